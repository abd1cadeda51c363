import { truncate } from 'node:fs/promises';
import { indexFlvFile } from './index-flv-file.js';
import type { FlvParseOptions } from './reader-options.js';

/** What `repairFlvFile` did. */
export interface FlvRepair {
  /** The file's size now: the end of its last complete tag. */
  validLength: number;
  /** Bytes of an incomplete tag that were cut off (0 when the file was whole). */
  discardedBytes: number;
}

/**
 * Cuts an FLV file back to the end of its last complete tag, dropping what a crash left of the
 * tag being written, so that every player reads it without complaint. A whole file is left as
 * it is. Errors other than a cut end (not FLV, a bad back pointer) throw as in `indexFlvFile`,
 * and a file too short for its header throws `TruncatedInputError`.
 */
export async function repairFlvFile(path: string, options: FlvParseOptions = {}): Promise<FlvRepair> {
  const index = await indexFlvFile(path, { ...options, truncated: 'stop' });
  const discardedBytes = index.fileSize - index.validLength;
  if (discardedBytes > 0) await truncate(path, index.validLength);
  return { validLength: index.validLength, discardedBytes };
}
