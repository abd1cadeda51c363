import type { AuthDecision, AuthHook, AuthOptions, AuthOutcome, ClientInfo, PlayAuthRequest, PublishAuthRequest } from './auth-types.js';
import { verifyStreamSignature, type SignatureProblem } from './signed-url.js';

const ALLOW: AuthOutcome = Object.freeze({ allow: true });

const SIGNATURE_REASONS: Record<SignatureProblem, string> = {
  missing: 'A signed URL is required (exp and sig).',
  malformed: 'The signed URL is malformed.',
  expired: 'The signed URL has expired.',
  invalid: 'The signature is not valid.',
};

function outcomeOf(decision: AuthDecision): AuthOutcome {
  if (decision === undefined || decision === true) return ALLOW;
  if (decision === false) return { allow: false, reason: 'Not allowed.' };
  if (typeof decision === 'object' && decision !== null) {
    if (decision.allow === true) return ALLOW;
    if (decision.allow === false) {
      return { allow: false, reason: decision.reason ?? 'Not allowed.', ...(decision.code ? { code: decision.code } : {}) };
    }
  }
  return { allow: false, reason: 'Not allowed.', error: new TypeError(`an auth hook returned ${String(decision)}`) };
}

/** Runs a hook with a deadline; a throw or a timeout refuses. */
async function runHook<T>(hook: AuthHook<T> | undefined, request: T, timeoutMs: number): Promise<AuthOutcome> {
  if (!hook) return ALLOW;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<AuthOutcome>((resolve) => {
    timer = setTimeout(() => resolve({ allow: false, reason: 'Authorization timed out.', error: new Error(`an auth hook took longer than ${timeoutMs} ms`) }), timeoutMs);
  });
  try {
    const decided = (async () => outcomeOf(await hook(request)))();
    return await Promise.race([decided, deadline]);
  } catch (error) {
    return { allow: false, reason: 'Authorization failed.', error };
  } finally {
    clearTimeout(timer);
  }
}

/** Applies `AuthOptions`: signed URLs first, then the hooks. */
export class Authorizer {
  private readonly timeoutMs: number;

  constructor(private readonly options: AuthOptions = {}) {
    this.timeoutMs = options.hookTimeoutMs ?? 5000;
    if (!Number.isSafeInteger(this.timeoutMs) || this.timeoutMs < 1) {
      throw new RangeError(`auth.hookTimeoutMs must be a positive integer, got ${String(options.hookTimeoutMs)}`);
    }
    const secret = options.signedUrls?.secret;
    if (options.signedUrls && (secret === undefined || secret.length === 0)) throw new RangeError('auth.signedUrls.secret must not be empty');
  }

  connect(client: ClientInfo): Promise<AuthOutcome> {
    return runHook(this.options.onConnect, client, this.timeoutMs);
  }

  async publish(request: PublishAuthRequest): Promise<AuthOutcome> {
    const signed = this.checkSignature('publish', request);
    if (!signed.allow) return signed;
    return runHook(this.options.onPublish, request, this.timeoutMs);
  }

  async play(request: PlayAuthRequest): Promise<AuthOutcome> {
    const signed = this.checkSignature('play', request);
    if (!signed.allow) return signed;
    return runHook(this.options.onPlay, request, this.timeoutMs);
  }

  /** The stream name's query if it holds a signature, else the connect URL's. */
  private checkSignature(action: 'publish' | 'play', request: PublishAuthRequest | PlayAuthRequest): AuthOutcome {
    const signed = this.options.signedUrls;
    if (!signed || !(signed.require ?? ['publish', 'play']).includes(action)) return ALLOW;
    const params = request.streamQuery.has('sig') ? request.streamQuery : request.query;
    const check = verifyStreamSignature(signed.secret, request.app, request.name, params, { toleranceSeconds: signed.toleranceSeconds ?? 0 });
    return check.ok ? ALLOW : { allow: false, reason: SIGNATURE_REASONS[check.problem] };
  }
}
