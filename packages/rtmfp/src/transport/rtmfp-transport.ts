import { lookup } from 'node:dns/promises';
import {
  AsyncQueue,
  DEFAULT_SESSION_TIMEOUTS,
  parseRtmpUrl,
  startClientSession,
  startServerSession,
  type ConnectOptions,
  type HandshakeDriver,
  type IncomingSession,
  type Listener,
  type ListenOptions,
  type Session,
  type SessionTuning,
  type Transport,
} from '@rtmpkit/core';
import type { PeerAddress } from '../codec/address.js';
import { serverEpd } from '../crypto/epd.js';
import type { SessionMachineOptions } from '../session/session-options.js';
import type { KeepalivePeriods } from '../tc/user-control.js';
import { RtmfpEndpoint } from './endpoint.js';
import type { EndpointOptions } from './endpoint-options.js';
import type { EndpointSession } from './endpoint-session.js';
import { formatAddressText } from '../tc/peer-info.js';
import { localAddresses } from './local-addresses.js';
import { setSessionInfo } from './session-info.js';
import { TcChannel, type TcChannelOptions } from './tc-channel.js';

/** Options of `rtmfp()`. */
export interface RtmfpTransportOptions {
  /** Defaults for every `connect()` (merged under the call's own options). */
  connect?: ConnectOptions;
  /** Defaults for every `listen()` (merged under the call's own options). */
  listen?: ListenOptions;
  /** The UDP endpoint: handshake rate limits, session limits, flow and timing settings. */
  endpoint?: EndpointOptions;
  /**
   * Audio and video not delivered within this many ms are abandoned (partial reliability: the
   * receiver moves on, both sides count it). Default 0: media is reliable, like RTMP.
   */
  mediaDeadlineMs?: number;
  /** `NetStream.send` waits above this many unacknowledged bytes per session. Default 1 MiB. */
  highWaterMark?: number;
  /** Server: the Set Keepalive sent to a client after its `setPeerInfo`. Default 15 000 / 10 000 ms (Cumulus'). */
  keepalive?: KeepalivePeriods | false;
  /** Client: send `setPeerInfo` with the local addresses after connecting, as Flash Player does. Default true. */
  sendPeerInfo?: boolean;
  /** Sessions that finished `connect` but were not yet taken from the listener. Default 128. */
  maxPendingSessions?: number;
  /** Told about sessions that failed before `connect` was answered. */
  onConnectionError?(error: unknown, remote: PeerAddress): void;
}

/** The RTMFP handshake is over before core's session starts; its own handshake ends on the first bytes. */
function noHandshake(): HandshakeDriver {
  return { receive: (bytes) => ({ output: [], done: true, remainder: Buffer.from(bytes) }) };
}

/** Session settings from core's tuning: keepalives well inside the idle deadline. */
function sessionOptions(base: SessionMachineOptions | undefined, tuning: SessionTuning): SessionMachineOptions {
  const idle = tuning.timeouts?.idle ?? DEFAULT_SESSION_TIMEOUTS.idle;
  const keepalive = base?.keepaliveMs ?? 15_000;
  return {
    ...base,
    keepaliveMs: idle > 0 ? Math.min(keepalive, Math.max(250, Math.floor(idle / 4))) : keepalive,
    peerTimeoutMs: base?.peerTimeoutMs ?? (idle > 0 ? idle : 120_000),
    // A TC message is the RTMP message plus its 5-byte header.
    maxMessageSize: base?.maxMessageSize ?? (tuning.limits?.maxMessageSize ?? 8 * 1024 * 1024) + 5,
  };
}

class RtmfpTransport implements Transport {
  readonly scheme = 'rtmfp' as const;

  constructor(private readonly options: RtmfpTransportOptions) {}

  private channelOptions(role: 'client' | 'server', tuning: SessionTuning): TcChannelOptions {
    const keepalive = this.options.keepalive;
    return {
      role,
      mediaDeadlineMs: this.options.mediaDeadlineMs ?? 0,
      highWaterMark: this.options.highWaterMark ?? 1024 * 1024,
      maxMessageSize: (tuning.limits?.maxMessageSize ?? 8 * 1024 * 1024) + 5,
      ...(role === 'server' && keepalive !== false && { keepalive: keepalive ?? { serverMs: 15_000, peerMs: 10_000 } }),
    };
  }

  async connect(url: string | URL, options: ConnectOptions = {}): Promise<Session> {
    const merged = { ...this.options.connect, ...options };
    const target = parseRtmpUrl(url, ['rtmfp']);
    const resolved = await lookup(target.host);
    const endpoint = await RtmfpEndpoint.bind(resolved.family === 6 ? '::' : '0.0.0.0', 0, {
      ...this.options.endpoint,
      session: sessionOptions(this.options.endpoint?.session, merged),
    });
    let endpointSession: EndpointSession;
    try {
      endpointSession = await endpoint.open({
        epd: serverEpd(target.tcUrl),
        addresses: [{ host: resolved.address, port: target.port }],
        timeoutMs: merged.timeouts?.handshake ?? DEFAULT_SESSION_TIMEOUTS.handshake,
        signal: merged.signal,
      });
    } catch (error) {
      await endpoint.close();
      throw error;
    }
    const channel = new TcChannel(endpointSession, this.channelOptions('client', merged));
    let session: Session;
    try {
      session = await startClientSession(channel, { ...merged, url: target.tcUrl, scheme: 'rtmfp', handshake: noHandshake(), pingInterval: 0 });
    } catch (error) {
      await endpoint.close();
      throw error;
    }
    setSessionInfo(session, infoOf(endpointSession, endpoint.identity.decoded.fingerprint, []));
    void session.closed.then(() => endpoint.close());
    if (this.options.sendPeerInfo ?? true) {
      const addresses = localAddresses(endpoint.address).map(formatAddressText);
      session.notify('setPeerInfo', addresses).catch(() => {});
    }
    return session;
  }

  async listen(options: ListenOptions = {}): Promise<Listener> {
    const merged = { ...this.options.listen, ...options };
    const { host = '0.0.0.0', port = 1935, signal, ...settings } = merged;
    const endpoint = await RtmfpEndpoint.bind(host, port, {
      ...this.options.endpoint,
      session: sessionOptions(this.options.endpoint?.session, settings),
    });
    const queue = new AsyncQueue<IncomingSession>(this.options.maxPendingSessions ?? 128);
    endpoint.accept({
      onSession: (endpointSession) => {
        const reported: PeerAddress[] = [];
        const channel = new TcChannel(endpointSession, {
          ...this.channelOptions('server', settings),
          onPeerInfo: (addresses) => reported.splice(0, reported.length, ...addresses.slice(0, 16)),
        });
        startServerSession(channel, { ...settings, scheme: 'rtmfp', handshake: noHandshake(), pingInterval: 0 }).then(
          (incoming) => {
            setSessionInfo(incoming, infoOf(endpointSession, endpoint.serverFingerprint!, reported));
            if (!queue.push(incoming)) void incoming.reject('server busy: too many connections waiting to be accepted');
          },
          (error: unknown) => this.options.onConnectionError?.(error, endpointSession.remote),
        );
      },
    });
    let closing: Promise<void> | undefined;
    const close = (): Promise<void> => {
      closing ??= (async () => {
        queue.end();
        for (const pending of queue.drain()) await pending.reject('server shutting down').catch(() => {});
        await endpoint.close();
      })();
      return closing;
    };
    signal?.addEventListener('abort', () => void close(), { once: true });
    return {
      address: endpoint.address,
      [Symbol.asyncIterator]: () => queue[Symbol.asyncIterator](),
      close,
    };
  }
}

function infoOf(session: EndpointSession, near: Buffer, reported: PeerAddress[]) {
  return {
    nearPeerId: near.toString('hex'),
    farPeerId: session.result.peerCertificate.fingerprint.toString('hex'),
    reportedAddresses: reported,
    protection: session.result.protection,
    get remote() {
      return session.remote;
    },
    get keepaliveMs() {
      return session.machine.options.keepaliveMs;
    },
    get stats() {
      return session.machine.stats;
    },
  };
}

/**
 * RTMFP over UDP with the rtmpkit session interface. `rtmfp().connect('rtmfp://host/app')` for
 * a client session (a Flash Player-shaped handshake, then NetConnection over TC flows);
 * `rtmfp().listen({ port: 1935 })` for a server yielding incoming sessions. The default port is
 * 1935/udp.
 */
export function rtmfp(options: RtmfpTransportOptions = {}): Transport {
  return new RtmfpTransport(options);
}

