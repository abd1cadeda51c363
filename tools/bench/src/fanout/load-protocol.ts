/** Messages between the benchmark (parent) and the load generator (child), over Node's IPC channel. */

export interface Target {
  host: string;
  port: number;
  /** RTMPS: TLS, certificate not checked (the servers use development certificates). */
  tls: boolean;
  app: string;
  stream: string;
}

export type Request =
  /**
   * Start `count` players at `perSecond`; answer once each has its first keyframe or failed, or `settleMs` after the last start.
   * `stallAfterKeyframe`: each player stops reading its socket once it has its first keyframe (never resumed) and stays connected.
   */
  | { id: number; op: 'play'; target: Target; count: number; perSecond: number; settleMs: number; stallAfterKeyframe?: boolean }
  /** Same with clients that stop after `connect` is answered and stay idle. */
  | { id: number; op: 'connect'; target: Target; count: number; perSecond: number; settleMs: number }
  /** Bytes received so far by each player of a group. */
  | { id: number; op: 'bytes'; group: number }
  | { id: number; op: 'close'; group: number }
  /** `count` players one after another, each closed once it has its first keyframe (or after `timeoutMs`). */
  | { id: number; op: 'joins'; target: Target; count: number; gapMs: number; timeoutMs: number };

export type RequestBody = Request extends infer R ? (R extends Request ? Omit<R, 'id'> : never) : never;

export interface GroupResult {
  group: number;
  started: number;
  /** Players that got their keyframe (play) or their connect answer (connect). */
  reached: number;
  failed: number;
  pending: number;
  /** The first few distinct errors. */
  errors: string[];
  /** For each player that reached: ms from the start of its TCP connect. */
  ms: number[];
}

export interface BytesResult {
  /** Every byte received by each player since its TCP connect, including the handshake. */
  bytes: number[];
  /** Players whose connection is still open. */
  open: number;
}

export interface JoinsResult {
  /** ms from the TCP connect to the first keyframe, null when none came in time. */
  ms: Array<number | null>;
  errors: string[];
}

export type Reply = { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };
