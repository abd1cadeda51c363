import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { RtmpProtocolError } from '@rtmpkit/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FlvFileRecorder, indexFlvFile } from '../src/index.js';
import { readAll, readParts } from './helpers/collect.js';
import { flvBytes, publishedStream } from './helpers/media.js';
import { useTempDir } from './helpers/temp-dir.js';

const path = useTempDir();

async function record(file: string, messages: Parameters<FlvFileRecorder['write']>[0][], mode: 'write' | 'append') {
  const recorder = await FlvFileRecorder.open(file, { mode });
  for (const message of messages) await recorder.write(message);
  return recorder.close();
}

describe("FlvFileRecorder in 'append' mode", () => {
  it('continues an existing file: timestamps go on from where its media ends', async () => {
    await record(path('a.flv'), publishedStream({ seconds: 2 }), 'write');
    const before = await readAll(path('a.flv'));
    const summary = await record(path('a.flv'), publishedStream({ seconds: 1, start: 50_000 }), 'append');
    expect(summary).toMatchObject({ appended: true, discardedBytes: 0, duration: 3, durationField: 'rewritten' });
    const after = await readAll(path('a.flv'));
    expect(after.slice(0, before.length).slice(1)).toEqual(before.slice(1)); // the old tags are untouched (bar the patched metadata)
    const added = after.slice(before.length);
    expect(added.filter((tag) => tag.type === 18)).toEqual([]); // the file keeps its one onMetaData
    expect(added.length).toBe(publishedStream({ seconds: 1 }).length - 1);
    const media = added.map((tag) => tag.timestamp);
    expect(media[0]).toBe(2000);
    expect(media.at(-1)).toBe(2980);
    const index = await indexFlvFile(path('a.flv'));
    expect(index.duration).toBe(3);
    expect(index.metadata).toMatchObject({ duration: 3, filesize: summary.fileSize });
    expect(index.keyframes.map((frame) => frame.timestamp)).toEqual([0, 1000, 2000]);
  });

  it('creates a missing file', async () => {
    const summary = await record(path('new.flv'), publishedStream({ seconds: 1 }), 'append');
    expect(summary).toMatchObject({ appended: false, duration: 1 });
    expect((await readAll(path('new.flv'))).length).toBe(publishedStream({ seconds: 1 }).length);
  });

  it('starts over when not even the header survived', async () => {
    writeFileSync(path('stub.flv'), Buffer.from('464c5601', 'hex'));
    const summary = await record(path('stub.flv'), publishedStream({ seconds: 1 }), 'append');
    expect(summary.appended).toBe(false);
    expect((await indexFlvFile(path('stub.flv'))).duration).toBe(1);
  });

  it('cuts off a tag left incomplete by a crash, then appends after the last complete one', async () => {
    const first = flvBytes(publishedStream({ seconds: 2 }));
    const firstTags = readParts([first]).tags;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 14, max: first.length - 1 }), async (cutAt) => {
        writeFileSync(path('crash.flv'), first);
        truncateSync(path('crash.flv'), cutAt);
        const kept = firstTags.filter((tag) => tag.offset + 11 + tag.payload.length + 4 <= cutAt);
        const validLength = kept.length > 0 ? kept.at(-1)!.offset + 11 + kept.at(-1)!.payload.length + 4 : 13;
        const summary = await record(path('crash.flv'), publishedStream({ seconds: 1 }), 'append');
        expect(summary.discardedBytes).toBe(cutAt - validLength);
        const tags = await readAll(path('crash.flv')); // throws if anything is cut or misaligned
        expect(tags.slice(1, kept.length)).toEqual(kept.slice(1));
        const metadataKept = kept.length > 0 ? 1 : 0; // the new session's metadata only goes in a file without one
        expect(tags.length).toBe(kept.length + publishedStream({ seconds: 1 }).length - metadataKept);
        expect(tags[kept.length]!.offset).toBe(validLength);
      }),
      { numRuns: 25 },
    );
  });

  it('refuses a file that is not FLV, and leaves it alone', async () => {
    writeFileSync(path('notes.txt'), 'these are not the frames you are looking for');
    await expect(FlvFileRecorder.open(path('notes.txt'), { mode: 'append' })).rejects.toThrow(RtmpProtocolError);
    expect(readFileSync(path('notes.txt'), 'utf8')).toBe('these are not the frames you are looking for');
  });
});
