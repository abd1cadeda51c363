import { createHash } from 'node:crypto';
import type { RandomSource } from '../../src/index.js';

/** A deterministic `RandomSource`: SHA-256 in counter mode over a seed. Same seed, same bytes. */
export function seededRandom(seed: string | number): RandomSource {
  let counter = 0;
  return (size) => {
    const out = Buffer.alloc(size);
    for (let filled = 0; filled < size; filled += 32) {
      createHash('sha256').update(`${seed}/${counter++}`).digest().copy(out, filled);
    }
    return out;
  };
}

/** A `RandomSource` that hands out the given buffers in order, then fails. */
export function scriptedRandom(...chunks: Buffer[]): RandomSource {
  return (size) => {
    const next = chunks.shift();
    if (!next || next.length !== size) throw new Error(`scripted random: asked for ${size} bytes, had ${next?.length}`);
    return Buffer.from(next);
  };
}
