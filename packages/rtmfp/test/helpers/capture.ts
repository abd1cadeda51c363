import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The Flash Player 11.7 capture (from optman/go-rtmfp's `data/`), kept in the shared folder
 * beside the repository: `<repo>/../shared/protocol/vectors/rtmfp-flash-11.7/`. It is not
 * copied into the project; a missing folder fails the tests that need it, loudly.
 */
export const CAPTURE_DIR = join(import.meta.dirname, '..', '..', '..', '..', '..', 'shared', 'protocol', 'vectors', 'rtmfp-flash-11.7');

/** One captured datagram, by file stem (`IHello`, `RHello`, `IIKeying`, `RIKeying`, `5` … `11`). */
export function captured(name: string): Buffer {
  const path = join(CAPTURE_DIR, `${name}.dat`);
  if (!existsSync(path)) throw new Error(`capture file missing: ${path} (the shared vectors folder must sit beside the repository)`);
  return readFileSync(path);
}

/** `decrypted.txt`, the decryption notes that came with the capture. */
export function capturedNotes(): string {
  return readFileSync(join(CAPTURE_DIR, 'decrypted.txt'), 'utf8');
}
