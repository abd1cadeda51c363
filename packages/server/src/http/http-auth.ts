import type { IncomingHttpHeaders } from 'node:http';
import type { AuthDecision, SignedUrlOptions } from '../auth/auth-types.js';
import { verifyStreamSignature, type SignatureProblem } from '../auth/signed-url.js';

/** An HTTP-FLV play to authorize. */
export interface HttpPlayRequest {
  app: string;
  /** The stream name (without `.flv` and the query). */
  name: string;
  /** The request's query (`exp`, `sig`, a token, …). */
  query: URLSearchParams;
  /** `address:port` of the client. */
  remote: string;
  headers: IncomingHttpHeaders;
}

/** Who may play over HTTP-FLV. Signed URLs are checked first, then the hook. */
export interface HttpAuthOptions {
  /**
   * The same signed URLs as RTMP (`?exp=…&sig=…` over app + stream name; see `signStream`), when
   * `require` includes `play` (its default). Pass the server's `auth.signedUrls` here.
   */
  signedUrls?: SignedUrlOptions;
  /** Decides each play (`true`/`undefined` allow; `false` or `{ allow: false, reason }` refuse with 403). */
  onPlay?(request: HttpPlayRequest): AuthDecision | Promise<AuthDecision>;
  /** The longest `onPlay` may take (ms) before the play is refused. Default 5000. */
  hookTimeoutMs?: number;
}

/** What the checks decided. */
export type HttpAuthOutcome = { allow: true } | { allow: false; reason: string; error?: unknown };

const SIGNATURE_REASONS: Record<SignatureProblem, string> = {
  missing: 'A signed URL is required (exp and sig).',
  malformed: 'The signed URL is malformed.',
  expired: 'The signed URL has expired.',
  invalid: 'The signature is not valid.',
};

function outcomeOf(decision: AuthDecision): HttpAuthOutcome {
  if (decision === undefined || decision === true) return { allow: true };
  if (typeof decision === 'object' && decision !== null && 'allow' in decision) {
    if (decision.allow === true) return { allow: true };
    return { allow: false, reason: decision.reason ?? 'Not allowed.' };
  }
  return { allow: false, reason: 'Not allowed.' };
}

/** Applies `HttpAuthOptions` to one request; a hook that throws or is late refuses. */
export async function authorizeHttpPlay(options: HttpAuthOptions, request: HttpPlayRequest): Promise<HttpAuthOutcome> {
  const signed = options.signedUrls;
  if (signed && (signed.require ?? ['publish', 'play']).includes('play')) {
    const check = verifyStreamSignature(signed.secret, request.app, request.name, request.query, { toleranceSeconds: signed.toleranceSeconds ?? 0 });
    if (!check.ok) return { allow: false, reason: SIGNATURE_REASONS[check.problem] };
  }
  const hook = options.onPlay;
  if (!hook) return { allow: true };
  const timeoutMs = options.hookTimeoutMs ?? 5000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<HttpAuthOutcome>((resolve) => {
    timer = setTimeout(() => resolve({ allow: false, reason: 'Authorization timed out.' }), timeoutMs);
  });
  try {
    return await Promise.race([(async () => outcomeOf(await hook(request)))(), late]);
  } catch (error) {
    return { allow: false, reason: 'Authorization failed.', error };
  } finally {
    clearTimeout(timer);
  }
}
