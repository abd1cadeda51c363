import { RtmpError, RtmpProtocolError } from '@rtmpkit/core';
import { describe, expect, it } from 'vitest';
import { FlvReader } from '../src/index.js';
import { readParts } from './helpers/collect.js';
import { hex } from './helpers/hex.js';
import { SMALL_FILE, SMALL_FILE_TAGS } from './helpers/vectors.js';

const asHex = (tags: { payload: Buffer }[]) => tags.map((tag) => ({ ...tag, payload: tag.payload.toString('hex') }));

/** SMALL_FILE with `bytes` written at `offset`. */
function patched(offset: number, bytes: Buffer): Buffer {
  const copy = Buffer.from(SMALL_FILE);
  bytes.copy(copy, offset);
  return copy;
}

function thrown(action: () => void): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('FlvReader on a byte vector', () => {
  it('gives each tag as an RtmpMessage with its offset, the extended timestamp byte on top', () => {
    const { tags, reader } = readParts([SMALL_FILE]);
    expect(asHex(tags)).toEqual(SMALL_FILE_TAGS);
    expect(reader.header).toEqual({ version: 1, hasAudio: true, hasVideo: true, dataOffset: 9 });
    expect(reader.validLength).toBe(SMALL_FILE.length);
    expect(reader.truncation).toBeUndefined();
    expect(() => reader.end()).not.toThrow();
  });

  it('hands out payloads as views of the pushed bytes when a tag arrives whole', () => {
    const reader = new FlvReader();
    const payloads: Buffer[] = [];
    reader.push(SMALL_FILE, (tag) => payloads.push(tag.payload));
    expect(payloads.map((payload) => payload.buffer === SMALL_FILE.buffer)).toEqual([true, true, true]);
    expect(payloads[1]!.byteOffset - SMALL_FILE.byteOffset).toBe(68 + 11);
  });

  it('refuses a back pointer that does not match its tag, naming where', () => {
    const bad = patched(83, hex`00 00 00 10`); // tag 2's back pointer says 16, the tag is 15 bytes
    const error = thrown(() => readParts([bad]));
    expect(error).toBeInstanceOf(RtmpProtocolError);
    expect(String(error)).toMatch(/back pointer at offset 83 is 16, expected 15/);
  });

  it('reads past bad back pointers when told to tolerate them', () => {
    const bad = patched(83, hex`00 00 00 10`);
    expect(asHex(readParts([bad], { tolerateBadBackPointers: true }).tags)).toEqual(SMALL_FILE_TAGS);
  });

  it('checks PreviousTagSize0 too', () => {
    expect(String(thrown(() => readParts([patched(9, hex`00 00 00 0b`)])))).toMatch(/offset 9 is 11, expected 0/);
  });

  it('refuses encrypted tags (the filter bit) with a clear error', () => {
    const encrypted = patched(87, hex`29`); // 0x20 filter bit | type 9
    const error = thrown(() => readParts([encrypted]));
    expect(error).toBeInstanceOf(RtmpProtocolError);
    expect(String(error)).toMatch(/offset 87 has the filter bit set: encrypted FLV .* not supported/);
  });

  it('refuses a tag type FLV does not have', () => {
    expect(String(thrown(() => readParts([patched(68, hex`07`)])))).toMatch(/offset 68 has type 7/);
  });

  it('stays failed after an error', () => {
    const reader = new FlvReader();
    const error = thrown(() => reader.push(patched(68, hex`07`), () => {}));
    expect(RtmpError.isInstance(error)).toBe(true);
    expect(() => reader.push(SMALL_FILE, () => {})).toThrow(error as Error);
    expect(() => reader.end()).toThrow(error as Error);
  });

  it('starts at a tag when given a start offset, without a header', () => {
    const { tags, reader } = readParts([SMALL_FILE.subarray(87)], { start: 87 });
    expect(asHex(tags)).toEqual([SMALL_FILE_TAGS[2]]);
    expect(reader.header).toBeUndefined();
    expect(reader.validLength).toBe(109);
  });

  it('passes on the stream id a tag carries', () => {
    const withStream = patched(68 + 8, hex`00 00 07`);
    expect(readParts([withStream]).tags[1]!.streamId).toBe(7);
  });
});

describe('FlvReader and its handler', () => {
  it('is spent when the tag handler throws, rather than losing bytes silently', () => {
    const reader = new FlvReader();
    const failure = new Error('handler failed');
    expect(() => reader.push(SMALL_FILE, () => { throw failure; })).toThrow(failure);
    expect(() => reader.push(Buffer.alloc(0), () => {})).toThrow(failure);
  });
});
