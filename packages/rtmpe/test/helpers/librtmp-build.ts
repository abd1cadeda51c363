import { execFileSync } from 'node:child_process';
import type { SecretPadding } from '../../src/crypto/dh.js';

function linkedLibraries(path: string): string {
  try {
    return execFileSync('ldd', [path], { encoding: 'utf8' });
  } catch {
    return '';
  }
}

/**
 * How the installed librtmp lays out a short DH secret, read from what it links against: GnuTLS
 * builds (Debian's) write it with nettle_mpz_get_str_256, zeros first; OpenSSL builds with
 * DH_compute_key, minimal bytes first. Undefined when that cannot be told.
 */
export function librtmpSecretPadding(program: string): SecretPadding | undefined {
  const direct = linkedLibraries(program);
  const librtmp = /librtmp\.so[^ ]* => (\S+)/.exec(direct)?.[1];
  const libraries = librtmp ? linkedLibraries(librtmp) : direct;
  if (/libgnutls|libnettle/.test(libraries)) return 'leading-zeros';
  if (/libcrypto/.test(libraries)) return 'trailing-zeros';
  return undefined;
}
