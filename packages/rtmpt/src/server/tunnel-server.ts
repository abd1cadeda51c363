import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { TunnelError } from '../errors.js';
import { parseTunnelPath, type TunnelCommand, type TunnelRoute } from '../protocol/tunnel-path.js';
import { writeRefusal, writeTunnelReply } from './http-reply.js';
import { requestIsEncrypted, requestPeerAddress } from './peer-address.js';
import { readBody } from './read-body.js';
import { resolveLimits, type TunnelServerLimits, type TunnelServerOptions } from './server-options.js';
import type { TunnelRequest } from './tunnel-request.js';
import { TunnelSession } from './tunnel-session.js';

/**
 * 16 random bytes as hex: 32 characters, which cannot be guessed and fit FFmpeg's 64-byte
 * client id buffer.
 */
const SESSION_ID_BYTES = 16;
/** After a 413 the rest of the body is discarded for at most this long, then the socket is dropped. */
const DISCARD_GRACE_MS = 1000;

/** The server side of RTMPT, to mount on a `node:http` or `node:https` server. */
export interface TunnelServer {
  /**
   * Handles a request if its path is an RTMPT one (`/open/…`, `/send/…`, `/idle/…`, `/close/…`,
   * `/fcs/…`) and returns true; returns false (touching nothing) for any other path, so the caller
   * can serve it. Never throws; a bad request gets its status and affects no other tunnel.
   */
  handleRequest(request: IncomingMessage, response: ServerResponse): boolean;
  /** Tunnel sessions open now. */
  readonly sessionCount: number;
  /** The limits in force (defaults filled in). */
  readonly limits: Readonly<TunnelServerLimits>;
  /** Closes every tunnel session and refuses new ones (503). Does not close the HTTP server. */
  close(): void;
}

/**
 * Makes an RTMPT tunnel server: each `/open` makes a tunnel session, handed to `onChannel` as a
 * `ByteChannel` for the RTMP session. Mount it on any HTTP(S) server:
 * `server.on('request', (req, res) => tunnel.handleRequest(req, res) || other(req, res))`.
 */
export function createTunnelServer(options: TunnelServerOptions): TunnelServer {
  const limits = resolveLimits(options);
  const sessions = new Map<string, TunnelSession>();
  let closing = false;

  const refuse = (request: IncomingMessage, response: ServerResponse, status: number, message: string, extra: Parameters<typeof writeRefusal>[3] = {}) => {
    writeRefusal(response, status, message, extra);
    options.onRequestError?.(new TunnelError(message, status), request);
  };

  const open = (request: IncomingMessage, response: ServerResponse) => {
    if (closing) return refuse(request, response, 503, 'the RTMPT server is shutting down');
    if (sessions.size >= limits.maxSessions) {
      return refuse(request, response, 503, `too many RTMPT sessions (limit maxSessions = ${limits.maxSessions})`);
    }
    const id = randomBytes(SESSION_ID_BYTES).toString('hex');
    const session = new TunnelSession({
      id,
      remote: options.peerAddress ? options.peerAddress(request) : requestPeerAddress(request),
      secure: typeof options.secure === 'function' ? options.secure(request) : (options.secure ?? requestIsEncrypted(request)),
      limits,
      polling: options.polling,
      onGone: (gone) => {
        if (sessions.get(gone.id) === gone) sessions.delete(gone.id);
      },
    });
    sessions.set(id, session);
    try {
      options.onChannel(session);
    } catch (error) {
      session.destroy(error instanceof Error ? error : new Error(String(error)));
      return refuse(request, response, 500, 'the RTMPT session could not be started');
    }
    writeTunnelReply(response, [Buffer.from(`${id}\n`)]);
  };

  const command = (request: IncomingMessage, response: ServerResponse, route: { kind: TunnelCommand; id: string; seq: number }, body: Buffer) => {
    const session = sessions.get(route.id);
    if (!session || session.isClosed) return refuse(request, response, 404, `no RTMPT session ${route.id} (never opened, closed or expired)`);
    const refusal = session.offer(tunnelRequest(route.kind, route.seq, body, response));
    if (refusal === 'closed') return refuse(request, response, 404, `RTMPT session ${route.id} is closed`);
    if (refusal) {
      const why = {
        stale: `is not above the last one handled (${route.seq})`,
        duplicate: `was already received (${route.seq})`,
        'beyond-window': `is too far ahead (${route.seq}; limit reorderWindow = ${limits.reorderWindow})`,
      }[refusal];
      refuse(request, response, 400, `RTMPT session ${route.id}: sequence number ${why}`);
    }
  };

  const serve = async (request: IncomingMessage, response: ServerResponse, route: TunnelRoute) => {
    if (request.method !== 'POST') {
      request.resume();
      return refuse(request, response, 405, `RTMPT requests are POSTs, not ${request.method}`, { closeConnection: true, headers: { Allow: 'POST' } });
    }
    const declared = Number(request.headers['content-length'] ?? 0);
    const tooLarge = () => {
      request.resume();
      response.once('finish', () => setTimeout(() => request.socket.destroy(), DISCARD_GRACE_MS).unref());
      refuse(request, response, 413, `request body larger than ${limits.maxBodyBytes} bytes (limit maxBodyBytes)`, { closeConnection: true });
    };
    if (declared > limits.maxBodyBytes) return tooLarge();
    const read = await readBody(request, limits.maxBodyBytes);
    if (!read.ok) return read.reason === 'too-large' ? tooLarge() : undefined;
    switch (route.kind) {
      case 'ident':
        // Flash asks first; Red5 answers 404 unless configured, and every client copes with it.
        return writeRefusal(response, 404, 'no ident2');
      case 'unknown':
        return refuse(request, response, 404, `not an RTMPT path: ${(request.url ?? '').slice(0, 200)}`);
      case 'bad-seq':
        return refuse(request, response, 400, route.detail);
      case 'open':
        return open(request, response);
      default:
        return command(request, response, route, read.body);
    }
  };

  return {
    handleRequest(request, response) {
      const route = parseTunnelPath(request.url ?? '/');
      if (!route) return false;
      serve(request, response, route).catch((error: unknown) => {
        if (!response.headersSent) writeRefusal(response, 500, 'internal error in the RTMPT server', { closeConnection: true });
        options.onRequestError?.(new TunnelError('internal error while handling an RTMPT request', 500, { cause: error }), request);
      });
      return true;
    },
    get sessionCount() {
      return sessions.size;
    },
    limits,
    close() {
      closing = true;
      for (const session of [...sessions.values()]) session.destroy();
    },
  };
}

/** Wraps the HTTP response of one send/idle/close request for the tunnel session. */
function tunnelRequest(command: TunnelCommand, seq: number, body: Buffer, response: ServerResponse): TunnelRequest {
  let gone = false;
  response.once('close', () => {
    gone = true;
  });
  return {
    command,
    seq,
    body,
    get alive() {
      return !gone && !response.writableEnded;
    },
    reply: (chunks) => writeTunnelReply(response, chunks),
  };
}
