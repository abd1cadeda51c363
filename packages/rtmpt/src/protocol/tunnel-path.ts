/** The tunnel commands that carry a session id and a sequence number. */
export type TunnelCommand = 'send' | 'idle' | 'close';

/** What a request path asks for, as the tunnel server sees it. */
export type TunnelRoute =
  | { kind: 'ident' }
  | { kind: 'open' }
  | { kind: TunnelCommand; id: string; seq: number }
  /** One of our paths with a sequence number that is not a non-negative integer. */
  | { kind: 'bad-seq'; detail: string }
  /** Starts like one of our paths but has the wrong shape (answered 404). */
  | { kind: 'unknown' };

const OWNED_FIRST_SEGMENTS = new Set(['open', 'send', 'idle', 'close', 'fcs']);
const COMMANDS = new Set<string>(['send', 'idle', 'close']);
/** Digits only, at most 15 of them: always a safe integer. */
const SEQ_PATTERN = /^\d{1,15}$/;
/** Session ids we hand out are hex; accept any URL-safe token so a wrong id is a clean 404. */
const ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * Reads the path of a request (query string ignored). Returns undefined for paths the tunnel does
 * not own, so a server can route them elsewhere (HTTP-FLV, an API, static files). Owned: the first
 * segment is `open`, `send`, `idle`, `close` or `fcs`.
 */
export function parseTunnelPath(url: string): TunnelRoute | undefined {
  const queryAt = url.indexOf('?');
  const path = queryAt === -1 ? url : url.slice(0, queryAt);
  const segments = path.split('/');
  // A path starts with '/', so segments[0] is ''.
  if (segments[0] !== '' || !OWNED_FIRST_SEGMENTS.has(segments[1] ?? '')) return undefined;
  const [, first, second, third, ...rest] = segments;
  if (first === 'fcs') return second === 'ident2' && third === undefined ? { kind: 'ident' } : { kind: 'unknown' };
  if (first === 'open') return second !== undefined && SEQ_PATTERN.test(second) && third === undefined ? { kind: 'open' } : { kind: 'unknown' };
  if (!COMMANDS.has(first!) || second === undefined || third === undefined || rest.length > 0 || !ID_PATTERN.test(second)) {
    return { kind: 'unknown' };
  }
  if (!SEQ_PATTERN.test(third)) return { kind: 'bad-seq', detail: `sequence number "${third.slice(0, 32)}" is not a non-negative integer` };
  return { kind: first as TunnelCommand, id: second, seq: Number(third) };
}

/** The path of a client request: `/open/1`, or `/<command>/<id>/<seq>`. */
export function tunnelPath(command: 'open' | TunnelCommand, id?: string, seq?: number): string {
  return command === 'open' ? '/open/1' : `/${command}/${id}/${seq}`;
}
