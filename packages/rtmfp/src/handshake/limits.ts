import { LimitExceededError } from '@rtmpkit/core';

/** Bounds on what a peer's handshake chunks may carry. Each has a default; past it, `LimitExceededError`. */
export interface HandshakeLimits {
  /** Longest IHello tag, default 64 (Flash sends 16). */
  readonly maxTagLength?: number;
  /** Longest cookie, default 256 (Cumulus sends 64, rtmfp-cpp 65, ours 68). */
  readonly maxCookieLength?: number;
  /** Longest certificate, default 4096 (Flash's is 132 bytes; rtmfp-cpp's with three static keys about 900). */
  readonly maxCertificateLength?: number;
  /** Longest session keying component, default 4096 (Flash's SKIC is 76 bytes). */
  readonly maxKeyingComponentLength?: number;
  /** Longest endpoint discriminator, default 1024 (a URI for servers, 34 bytes for a peer id). */
  readonly maxEpdLength?: number;
}

/** The defaults of `HandshakeLimits`. */
export const DEFAULT_HANDSHAKE_LIMITS: Required<HandshakeLimits> = {
  maxTagLength: 64,
  maxCookieLength: 256,
  maxCertificateLength: 4096,
  maxKeyingComponentLength: 4096,
  maxEpdLength: 1024,
};

/** Throws `LimitExceededError` when `bytes` is longer than the limit `name`. */
export function checkLength(limits: HandshakeLimits, name: keyof HandshakeLimits, bytes: Uint8Array, what: string): void {
  const max = limits[name] ?? DEFAULT_HANDSHAKE_LIMITS[name];
  if (bytes.length > max) throw new LimitExceededError(name, max, `${what} of ${bytes.length} bytes`);
}
