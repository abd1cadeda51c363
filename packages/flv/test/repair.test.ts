import { readFileSync, writeFileSync } from 'node:fs';
import { RtmpProtocolError, TruncatedInputError } from '@rtmpkit/core';
import { describe, expect, it } from 'vitest';
import { repairFlvFile } from '../src/index.js';
import { readAll } from './helpers/collect.js';
import { SMALL_FILE, SMALL_FILE_TAGS } from './helpers/vectors.js';
import { useTempDir } from './helpers/temp-dir.js';

const path = useTempDir();

describe('repairFlvFile', () => {
  it('cuts a file back to its last complete tag', async () => {
    writeFileSync(path('cut.flv'), SMALL_FILE.subarray(0, 100)); // inside tag 3 (87..109)
    expect(await repairFlvFile(path('cut.flv'))).toEqual({ validLength: 87, discardedBytes: 13 });
    expect(readFileSync(path('cut.flv'))).toEqual(SMALL_FILE.subarray(0, 87));
    expect((await readAll(path('cut.flv'))).map((tag) => tag.offset)).toEqual(SMALL_FILE_TAGS.slice(0, 2).map((tag) => tag.offset));
  });

  it('leaves a whole file alone', async () => {
    writeFileSync(path('whole.flv'), SMALL_FILE);
    expect(await repairFlvFile(path('whole.flv'))).toEqual({ validLength: SMALL_FILE.length, discardedBytes: 0 });
    expect(readFileSync(path('whole.flv'))).toEqual(SMALL_FILE);
  });

  it('does not touch what is not a cut FLV file', async () => {
    const broken = Buffer.from(SMALL_FILE);
    broken[83 + 3] = 0x10; // tag 2's back pointer says 16
    writeFileSync(path('broken.flv'), broken);
    await expect(repairFlvFile(path('broken.flv'))).rejects.toThrow(RtmpProtocolError);
    expect(readFileSync(path('broken.flv'))).toEqual(broken);
    writeFileSync(path('stub.flv'), SMALL_FILE.subarray(0, 5));
    await expect(repairFlvFile(path('stub.flv'))).rejects.toThrow(TruncatedInputError);
  });
});
