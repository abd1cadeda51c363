import { Agent as HttpAgent, request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { ConnectionOptions } from 'node:tls';
import { LimitExceededError, type PeerAddress } from '@rtmpkit/core';
import { totalLength } from '../byte-queue.js';
import { TunnelError } from '../errors.js';
import { RTMPT_REQUEST_HEADERS } from '../protocol/constants.js';
import type { TunnelTarget } from './tunnel-target.js';

/** A complete reply: status, whole body, and where it came from. */
export interface PostReply {
  status: number;
  body: Buffer;
  remote: PeerAddress;
}

/** Settings of a `TunnelPoster`. */
export interface TunnelPosterOptions {
  tls?: ConnectionOptions;
  userAgent: string;
  maxReplyBytes: number;
  requestTimeoutMs: number;
}

/**
 * Posts RTMPT requests over one keep-alive connection, one at a time (as Flash, librtmp and
 * FFmpeg do), reading each reply whole.
 */
export class TunnelPoster {
  private readonly agent: HttpAgent;
  private current: ClientRequest | undefined;

  constructor(
    private readonly target: TunnelTarget,
    private readonly options: TunnelPosterOptions,
  ) {
    const agentOptions = { keepAlive: true, maxSockets: 1, maxFreeSockets: 1 };
    this.agent = target.secure ? new HttpsAgent({ ...options.tls, ...agentOptions }) : new HttpAgent(agentOptions);
  }

  /** `host:port`, for messages. */
  get where(): string {
    return `${this.target.secure ? 'https' : 'http'}://${this.target.host.includes(':') ? `[${this.target.host}]` : this.target.host}:${this.target.port}`;
  }

  /** POSTs `chunks` to `path` and resolves with the whole reply (any status). */
  post(path: string, chunks: readonly Buffer[], signal?: AbortSignal): Promise<PostReply> {
    const send = this.target.secure ? httpsRequest : httpRequest;
    return new Promise<PostReply>((resolve, reject) => {
      const request = send({
        host: this.target.host,
        port: this.target.port,
        method: 'POST',
        path,
        agent: this.agent,
        signal,
        headers: { ...RTMPT_REQUEST_HEADERS, 'User-Agent': this.options.userAgent, 'Content-Length': String(totalLength(chunks)) },
      });
      this.current = request;
      request.setTimeout(this.options.requestTimeoutMs, () => {
        reject(new TunnelError(`no reply from ${this.where} to ${path} in ${this.options.requestTimeoutMs} ms (requestTimeoutMs)`));
        request.destroy();
      });
      request.on('error', (error: NodeJS.ErrnoException) => {
        if (error.code === 'ECONNREFUSED') {
          reject(new TunnelError(`nothing accepts RTMPT requests at ${this.where} (is the server running, and is that its port?)`, undefined, { cause: error }));
        } else {
          reject(error);
        }
      });
      request.once('response', (response) => this.collect(request, response, path).then(resolve, reject));
      for (const chunk of chunks) request.write(chunk);
      request.end();
    }).finally(() => {
      this.current = undefined;
    });
  }

  /** Aborts the request in flight, if any. */
  abort(): void {
    this.current?.destroy();
  }

  /** Closes the kept-alive connection. */
  close(): void {
    this.agent.destroy();
  }

  private collect(request: ClientRequest, response: IncomingMessage, path: string): Promise<PostReply> {
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const socket = response.socket;
      const family = socket.remoteFamily === 'IPv4' || socket.remoteFamily === 'IPv6' ? socket.remoteFamily : 'other';
      const remote: PeerAddress = { address: socket.remoteAddress ?? this.target.host, port: socket.remotePort ?? this.target.port, family };
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > this.options.maxReplyBytes) {
          const error = new LimitExceededError('maxReplyBytes', this.options.maxReplyBytes, `the reply to ${path} from ${this.where} is too large`);
          reject(error);
          // Dropped without an error: the rejection above is the one report.
          request.destroy();
          return;
        }
        chunks.push(chunk);
      });
      response.once('end', () => resolve({ status: response.statusCode ?? 0, body: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size), remote }));
      response.on('error', reject);
      response.once('close', () => {
        if (!response.complete) reject(new TunnelError(`${this.where} closed the connection in the middle of the reply to ${path}`));
      });
    });
  }
}
