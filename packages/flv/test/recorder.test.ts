import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { RtmpProtocolError, type RtmpMessage } from '@rtmpkit/core';
import { describe, expect, it } from 'vitest';
import { FlvFileRecorder, indexFlvFile } from '../src/index.js';
import { readAll, readParts } from './helpers/collect.js';
import { audio, flvBytes, publishedStream } from './helpers/media.js';
import { useTempDir } from './helpers/temp-dir.js';

const path = useTempDir();

async function record(file: string, messages: RtmpMessage[], options?: Parameters<typeof FlvFileRecorder.open>[1]) {
  const recorder = await FlvFileRecorder.open(file, options);
  for (const message of messages) await recorder.write(message);
  return recorder.close();
}

describe('FlvFileRecorder', () => {
  it('writes what FlvWriter writes, then fixes duration and filesize in place', async () => {
    const messages = publishedStream({ seconds: 3, start: 7000, metadata: { duration: 0, width: 320, filesize: 0 } });
    const summary = await record(path('rec.flv'), messages, { rebaseTimestamps: true });
    const bytes = readFileSync(path('rec.flv'));
    const plain = flvBytes(messages, { rebaseTimestamps: true });
    expect(bytes.length).toBe(plain.length);
    expect(summary).toEqual({
      path: path('rec.flv'),
      fileSize: plain.length,
      tagsWritten: messages.length,
      duration: 3,
      appended: false,
      discardedBytes: 0,
      durationField: 'rewritten',
      filesizeField: 'rewritten',
    });
    const index = await indexFlvFile(path('rec.flv'));
    expect(index.metadata).toMatchObject({ duration: 3, width: 320, filesize: plain.length });
    expect(index.firstTimestamp).toBe(0);
    // Only the two numbers changed.
    const differing = [...bytes].flatMap((byte, i) => (byte === plain[i] ? [] : [i]));
    expect(differing.every((i) => i >= 13 && i < index.metadataTag!.offset + 11 + index.metadataTag!.payload.length)).toBe(true);
    expect(differing.length).toBeGreaterThan(0);
  });

  it('says so when the metadata has no number to rewrite, or there is no metadata', async () => {
    const noFields = await record(path('nofields.flv'), publishedStream({ seconds: 1, metadata: { width: 320, filesize: 0 } }));
    expect([noFields.durationField, noFields.filesizeField]).toEqual(['no-number-field', 'rewritten']);
    expect((await indexFlvFile(path('nofields.flv'))).metadata).toMatchObject({ width: 320, filesize: noFields.fileSize });
    const noMeta = await record(path('nometa.flv'), publishedStream({ seconds: 1, metadata: null }));
    expect([noMeta.durationField, noMeta.filesizeField]).toEqual(['no-metadata', 'no-metadata']);
  });

  it('sets the header flags to the media it recorded', async () => {
    await record(path('audio.flv'), [audio(0), audio(20)]);
    expect(readFileSync(path('audio.flv'))[4]).toBe(0x04);
    await record(path('both.flv'), publishedStream({ seconds: 0.2 }), { hasAudio: false });
    expect(readFileSync(path('both.flv'))[4]).toBe(0x05);
  });

  it('keeps call order when writes are not awaited', async () => {
    const messages = publishedStream({ seconds: 1 });
    const recorder = await FlvFileRecorder.open(path('burst.flv'));
    await Promise.all(messages.map((message) => recorder.write(message)));
    await recorder.close();
    const tags = await readAll(path('burst.flv'));
    const expected = readParts([flvBytes(messages)]).tags;
    expect(tags.map((tag) => [tag.type, tag.timestamp, tag.offset])).toEqual(expected.map((tag) => [tag.type, tag.timestamp, tag.offset]));
    expect(tags.slice(1)).toEqual(expected.slice(1)); // all but the patched metadata, byte for byte
  });

  it('refuses writes after close, and close twice gives the same summary', async () => {
    const recorder = await FlvFileRecorder.open(path('closed.flv'));
    const first = recorder.close();
    await expect(recorder.write(audio(0))).rejects.toThrow(/closed/);
    expect(await recorder.close()).toBe(await first);
  });
});
