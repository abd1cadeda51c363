import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signed stream URLs.
 *
 * A signed URL carries two query parameters, on the stream name
 * (`rtmp://host/live/cam1?exp=1767225600&sig=…`, the usual form) or on the connect URL
 * (`rtmp://host/live?exp=…&sig=…` with the stream name given apart, as OBS's "server" and
 * "stream key" fields do):
 *
 * - `exp`: expiry, Unix time in whole seconds;
 * - `sig`: `base64url(HMAC-SHA256(secret, app + "\n" + stream + "\n" + exp))`, without padding,
 *   where `app` is the application (`live`) and `stream` the stream name without its query.
 *
 * The server recomputes the HMAC, compares in constant time, and refuses expired links.
 */

/** Why a signed URL was refused. */
export type SignatureProblem = 'missing' | 'malformed' | 'expired' | 'invalid';

/** What `verifyStreamSignature` found. */
export type SignatureCheck = { ok: true; expires: number } | { ok: false; problem: SignatureProblem };

/** Options of `signStream` / `signStreamUrl`. */
export interface SignOptions {
  /** The shared secret (at least 16 bytes recommended). */
  secret: string | Buffer;
  /** Expiry: Unix seconds, or a Date. Default: `expiresIn` seconds from now. */
  expiresAt?: number | Date;
  /** Lifetime in seconds when `expiresAt` is not given. Default 3600. */
  expiresIn?: number;
  /** Now, in ms (injectable for tests). Default `Date.now()`. */
  now?: number;
}

/** The string that is signed. */
function signedText(app: string, stream: string, expires: number): string {
  return `${app}\n${stream}\n${expires}`;
}

/** The `sig` value for `app`, `stream` and `expires` (Unix seconds). */
export function streamSignature(secret: string | Buffer, app: string, stream: string, expires: number): string {
  return createHmac('sha256', secret).update(signedText(app, stream, expires), 'utf8').digest('base64url');
}

function expiryOf(options: SignOptions): number {
  if (options.expiresAt instanceof Date) return Math.floor(options.expiresAt.getTime() / 1000);
  if (options.expiresAt !== undefined) return Math.floor(options.expiresAt);
  const expiresIn = options.expiresIn ?? 3600;
  if (!Number.isFinite(expiresIn) || expiresIn <= 0) throw new RangeError(`expiresIn must be a positive number of seconds, got ${expiresIn}`);
  return Math.floor((options.now ?? Date.now()) / 1000 + expiresIn);
}

/** Signs `app` + `stream`: returns `exp`, `sig` and the query string `exp=…&sig=…`. */
export function signStream(app: string, stream: string, options: SignOptions): { exp: number; sig: string; query: string } {
  const exp = expiryOf(options);
  const sig = streamSignature(options.secret, app, stream, exp);
  return { exp, sig, query: `exp=${exp}&sig=${sig}` };
}

/**
 * Signs an RTMP URL whose path is `/app/stream` (the app is everything before the last `/`):
 * returns it with `?exp=…&sig=…` on the stream name (an existing query is kept, and the
 * signature covers only app and stream).
 */
export function signStreamUrl(url: string | URL, options: SignOptions): string {
  const parsed = new URL(url);
  const path = decodeURIComponent(parsed.pathname).replace(/^\/+/, '');
  const cut = path.lastIndexOf('/');
  if (cut <= 0 || cut === path.length - 1) {
    throw new RangeError(`signStreamUrl needs a URL of the form rtmp://host[:port]/app/stream, got ${String(url)}`);
  }
  const { query } = signStream(path.slice(0, cut), path.slice(cut + 1), options);
  parsed.search = parsed.search ? `${parsed.search}&${query}` : `?${query}`;
  return parsed.toString();
}

/**
 * Checks `exp` and `sig` in `params` against `app` and `stream`, at `now` (ms) with
 * `toleranceSeconds` of clock skew. The comparison is constant-time.
 */
export function verifyStreamSignature(
  secret: string | Buffer,
  app: string,
  stream: string,
  params: URLSearchParams,
  options: { now?: number; toleranceSeconds?: number } = {},
): SignatureCheck {
  const expText = params.get('exp');
  const sig = params.get('sig');
  if (expText === null || sig === null) return { ok: false, problem: 'missing' };
  if (!/^\d{1,12}$/.test(expText) || !/^[A-Za-z0-9_-]{1,128}$/.test(sig)) return { ok: false, problem: 'malformed' };
  const expires = Number(expText);
  const expected = Buffer.from(streamSignature(secret, app, stream, expires), 'utf8');
  const given = Buffer.from(sig, 'utf8');
  // Lengths are public (a SHA-256 HMAC is always 43 characters); only equal lengths are compared.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, problem: 'invalid' };
  const nowSeconds = (options.now ?? Date.now()) / 1000;
  if (expires + (options.toleranceSeconds ?? 0) <= nowSeconds) return { ok: false, problem: 'expired' };
  return { ok: true, expires };
}
