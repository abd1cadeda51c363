import type { ConnectInfo, PeerAddress, PublishType, TransportScheme } from '@rtmpkit/core';

/** Who is connecting: what auth hooks and events see of a client. */
export interface ClientInfo {
  /** The server's id for the connection (`s1`, `s2`, …). */
  sessionId: string;
  /** The application (`live`), without the connect URL's query. */
  app: string;
  /** The query of the connect URL (on `app` or `tcUrl`), e.g. a token. Empty when there is none. */
  query: URLSearchParams;
  remote: PeerAddress;
  scheme: TransportScheme;
  /** TLS on the wire. */
  secure: boolean;
  /** Everything the client sent in `connect`. */
  connectInfo: ConnectInfo;
}

/** A publish to authorize. */
export interface PublishAuthRequest extends ClientInfo {
  /** The stream name without its query. */
  name: string;
  /** The query of the stream name (`cam1?token=…`). */
  streamQuery: URLSearchParams;
  type: PublishType;
}

/** A play to authorize. */
export interface PlayAuthRequest extends ClientInfo {
  name: string;
  streamQuery: URLSearchParams;
  /** -2 live else recorded, -1 live only, >= 0 recorded from this offset (ms). */
  start: number;
  /** -1 to the end, else ms. */
  duration: number;
}

/**
 * What an auth hook answers: `true`, `undefined` or `{ allow: true }` let the client in; `false`
 * or `{ allow: false, reason }` refuse it. `reason` goes to the client as the status description;
 * `code` replaces the status code (publish: default `NetStream.Publish.Denied`; play: default
 * `NetStream.Play.Failed`; connect is always `NetConnection.Connect.Rejected`). A hook that
 * throws or takes longer than `hookTimeoutMs` refuses (the error is logged, not sent).
 */
export type AuthDecision = boolean | undefined | void | { allow: true } | { allow: false; reason?: string; code?: string };

/** A hook: sync or async. */
export type AuthHook<T> = (request: T) => AuthDecision | Promise<AuthDecision>;

/** Built-in signed URLs (see `signStreamUrl`). */
export interface SignedUrlOptions {
  /** The HMAC-SHA256 secret. */
  secret: string | Buffer;
  /** Requests that must be signed. Default `['publish', 'play']`. */
  require?: Array<'publish' | 'play'>;
  /** Clock skew allowed when checking `exp`, in seconds. Default 0. */
  toleranceSeconds?: number;
}

/** Who may connect, publish and play. Checks run in this order: signed URL, then the hook. */
export interface AuthOptions {
  onConnect?: AuthHook<ClientInfo>;
  onPublish?: AuthHook<PublishAuthRequest>;
  onPlay?: AuthHook<PlayAuthRequest>;
  signedUrls?: SignedUrlOptions;
  /** The longest a hook may take (ms) before the request is refused. Default 5000. */
  hookTimeoutMs?: number;
}

/** The outcome of the checks. */
export type AuthOutcome = { allow: true } | { allow: false; reason: string; code?: string; error?: unknown };
