import { writeFileSync } from 'node:fs';
import { TruncatedInputError } from '@rtmpkit/core';
import { describe, expect, it } from 'vitest';
import { readFlvFile, type FlvHeader, type FlvTruncation } from '../src/index.js';
import { readAll, readParts } from './helpers/collect.js';
import { flvBytes, publishedStream } from './helpers/media.js';
import { useTempDir } from './helpers/temp-dir.js';

const path = useTempDir();
const bytes = flvBytes(publishedStream({ seconds: 2 }));
const expected = readParts([bytes]).tags;
writeFileSync(path('two.flv'), bytes);

describe('readFlvFile', () => {
  it('streams the tags of a file in small reads, the same as reading it whole', async () => {
    expect(bytes.length).toBeGreaterThan(4000);
    let header: FlvHeader | undefined;
    const tags = await readAll(path('two.flv'), { highWaterMark: 97, onHeader: (seen) => (header = seen) });
    expect(tags).toEqual(expected);
    expect(header).toEqual({ version: 1, hasAudio: true, hasVideo: true, dataOffset: 9 });
  });

  it('starts at a given tag offset', async () => {
    const from = expected[30]!;
    const tags = await readAll(path('two.flv'), { start: from.offset });
    expect(tags).toEqual(expected.slice(30));
  });

  it('throws on a truncated last tag, after giving the complete ones', async () => {
    const cutAt = expected[50]!.offset + 20;
    writeFileSync(path('cut.flv'), bytes.subarray(0, cutAt));
    const seen: number[] = [];
    const reading = (async () => {
      for await (const tag of readFlvFile(path('cut.flv'))) seen.push(tag.offset);
    })();
    await expect(reading).rejects.toThrow(TruncatedInputError);
    await expect(reading).rejects.toThrow(new RegExp(`after offset ${expected[50]!.offset}`));
    expect(seen).toEqual(expected.slice(0, 50).map((tag) => tag.offset));
  });

  it("stops cleanly at the last complete tag with truncated: 'stop', and says where", async () => {
    const cutAt = expected[50]!.offset + 20;
    writeFileSync(path('cut2.flv'), bytes.subarray(0, cutAt));
    let truncation: FlvTruncation | undefined;
    const tags = await readAll(path('cut2.flv'), { truncated: 'stop', onTruncated: (cut) => (truncation = cut) });
    expect(tags).toEqual(expected.slice(0, 50));
    expect(truncation).toEqual({ validLength: expected[50]!.offset, bytes: 20, inside: 'tag' });
  });

  it('an empty file has no tags to stop at, and is an error unless stopping', async () => {
    writeFileSync(path('empty.flv'), Buffer.alloc(0));
    await expect(readAll(path('empty.flv'))).rejects.toThrow(TruncatedInputError);
    expect(await readAll(path('empty.flv'), { truncated: 'stop' })).toEqual([]);
  });

  it('reports a missing file as fs does', async () => {
    await expect(readAll(path('missing.flv'))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('readFlvFile start offsets', () => {
  it('reads the whole file, header first, from start 0', async () => {
    let header: FlvHeader | undefined;
    expect(await readAll(path('two.flv'), { start: 0, onHeader: (seen) => (header = seen) })).toEqual(expected);
    expect(header?.dataOffset).toBe(9);
  });
});
