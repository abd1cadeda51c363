import { createServer as createTlsServer } from 'node:tls';
import {
  DEFAULT_SESSION_TIMEOUTS,
  parseRtmpUrl,
  startClientSession,
  startServerSession,
  type ConnectOptions,
  type ListenOptions,
  type Session,
  type Transport,
} from '@rtmpkit/core';
import { listenOn, socketChannel } from '@rtmpkit/rtmp';
import { CertificateStore, type DevelopmentCertificateSettings, type ServerCertificates } from './certificate-store.js';
import type { RtmpsLog } from './log.js';
import { rtmpsListener, type RtmpsListener } from './rtmps-listener.js';
import { openTls, type RtmpsClientTlsOptions } from './tls-connect.js';

/** `connect()` options: the session's, plus TLS settings for this connection only. */
export interface RtmpsConnectOptions extends ConnectOptions {
  /** Laid over the transport's client TLS options (`ca`, `servername`, `insecureSkipVerify`, `minVersion`). */
  tls?: RtmpsClientTlsOptions;
}

/** Options of `rtmps()`: client TLS settings, server certificates, and the options `rtmp()` has. */
export interface RtmpsTransportOptions extends RtmpsClientTlsOptions, ServerCertificates {
  /** Defaults for every `connect()` (merged under the call's own options). */
  connect?: RtmpsConnectOptions;
  /** Defaults for every `listen()` (merged under the call's own options). Default port 443. */
  listen?: ListenOptions;
  /** Sessions that finished `connect` but were not yet taken from the listener. Default 128. */
  maxPendingSessions?: number;
  /**
   * Told about connections that failed before `connect`: TLS failures (`TlsHandshakeError`: not
   * TLS, old TLS version, hang-up, timeout) and RTMP ones (garbage, bad handshake, timeout).
   */
  onConnectionError?(error: unknown, remote: { address?: string; port?: number }): void;
  /**
   * Server without `certificate`: a self-signed development certificate is made (or reused from
   * its cache) and the `log` says where it is. Settings for it, or false to require `certificate`.
   */
  developmentCertificate?: DevelopmentCertificateSettings | false;
  /**
   * Poll the certificate files and reload when they change (new connections get the new
   * certificate, existing ones go on). `true` polls every 5 s. Default false.
   */
  watchCertificates?: boolean | { intervalMs?: number };
  /** Server: lowest TLS version accepted. Default `TLSv1.2`. */
  serverMinVersion?: 'TLSv1.2' | 'TLSv1.3';
  /** Where the listener says what it did with certificates. */
  log?: RtmpsLog;
}

/** The RTMPS transport: a `Transport` whose listeners can reload their certificates. */
export interface RtmpsTransport extends Transport {
  readonly scheme: 'rtmps';
  connect(url: string | URL, options?: RtmpsConnectOptions): Promise<Session>;
  listen(options?: ListenOptions): Promise<RtmpsListener>;
}

const DEFAULT_WATCH_INTERVAL_MS = 5000;

class RtmpsTransportImpl implements RtmpsTransport {
  readonly scheme = 'rtmps' as const;

  constructor(private readonly options: RtmpsTransportOptions) {}

  async connect(url: string | URL, options: RtmpsConnectOptions = {}): Promise<Session> {
    const { tls: baseTls, ...baseSession } = this.options.connect ?? {};
    const { tls: callTls, ...callSession } = options;
    const session = { ...baseSession, ...callSession };
    const { ca, servername, insecureSkipVerify, minVersion } = this.options;
    const tls = { ca, servername, insecureSkipVerify, minVersion, ...baseTls, ...callTls };
    const target = parseRtmpUrl(url, ['rtmps']);
    const socket = await openTls({
      ...tls,
      host: target.host,
      port: target.port,
      timeoutMs: session.timeouts?.handshake ?? DEFAULT_SESSION_TIMEOUTS.handshake,
      signal: session.signal,
    });
    return startClientSession(socketChannel(socket, { secure: true }), { ...session, url: target.tcUrl, scheme: 'rtmps' });
  }

  async listen(options: ListenOptions = {}): Promise<RtmpsListener> {
    const merged = { ...this.options.listen, ...options };
    const { host = '0.0.0.0', port = 443, signal, ...settings } = merged;
    // One options object for every session of the listener (each session keeps it).
    const sessionOptions = { ...settings, scheme: 'rtmps' as const };
    const minVersion = this.options.serverMinVersion ?? 'TLSv1.2';
    const store = await CertificateStore.open(
      { certificate: this.options.certificate, sni: this.options.sni },
      { contextOptions: { minVersion }, development: this.options.developmentCertificate ?? {}, bindHost: host, log: this.options.log },
    );
    const handshakeTimeoutMs = settings.timeouts?.handshake || DEFAULT_SESSION_TIMEOUTS.handshake;
    const server = createTlsServer({ ...store.defaultOptions, minVersion, SNICallback: store.sniCallback, handshakeTimeout: handshakeTimeoutMs });
    await listenOn(server, host, port, signal);
    const watch = this.options.watchCertificates;
    return rtmpsListener({
      server,
      store,
      startSession: (channel) => startServerSession(channel, sessionOptions),
      maxPendingSessions: this.options.maxPendingSessions,
      onConnectionError: this.options.onConnectionError,
      handshakeTimeoutMs,
      watch: watch ? { intervalMs: (typeof watch === 'object' && watch.intervalMs) || DEFAULT_WATCH_INTERVAL_MS } : undefined,
      log: this.options.log,
    });
  }
}

/**
 * RTMP over TLS. Client: `rtmps().connect('rtmps://host/app')` verifies the server's certificate
 * (Node's CA list, or `ca`). Server: `rtmps({ certificate: { certFile, keyFile } }).listen({ port: 443 })`,
 * with `sni` for more host names; without a certificate it serves a cached self-signed development
 * certificate. The RTMP session over the TLS socket is `@rtmpkit/rtmp`'s, unchanged.
 */
export function rtmps(options: RtmpsTransportOptions = {}): RtmpsTransport {
  return new RtmpsTransportImpl(options);
}
