/**
 * Real RTMP traffic (ffmpeg, rtmpdump and nginx-rtmp, captured on loopback; see
 * test/fixtures/captures/README.md) through the chunk layer: the decoder must find exactly the
 * messages the hand-checked fixture comments describe, however the bytes are split, and our
 * encoder must carry them again.
 */
import { describe, expect, it } from 'vitest';
import { ChunkDecoder, ChunkEncoder, type ExtendedTimestampMode } from '../src/chunk/index.js';
import type { RtmpMessage } from '../src/message/index.js';
import { CAPTURES, annotated, loadCapture, type Capture } from './fixtures/captures/captures.js';

interface Decoded {
  type: number;
  streamId: number;
  timestamp: number;
  chunkStreamId: number;
  payload: Buffer;
}

/** Feeds `pieces` in order to one fresh decoder; payloads are copied (they may be views). */
function decodePieces(pieces: Iterable<Uint8Array>, extendedTimestampOnType3?: ExtendedTimestampMode): Decoded[] {
  const decoder = new ChunkDecoder(extendedTimestampOnType3 === undefined ? {} : { extendedTimestampOnType3 });
  const out: Decoded[] = [];
  for (const piece of pieces) {
    decoder.push(piece, (message, chunkStreamId) => {
      const { type, streamId, timestamp } = message;
      out.push({ type, streamId, timestamp, chunkStreamId, payload: Buffer.from(message.payload) });
    });
  }
  return out;
}

function expected(capture: Capture): Decoded[] {
  return capture.messages.map(({ type, streamId, timestamp, chunkStreamId, payload }) => ({
    type,
    streamId,
    timestamp,
    chunkStreamId,
    payload,
  }));
}

/** Cheap equality for the many-splits loops (toEqual on 10 KB of buffers thousands of times is slow). */
function sameMessages(a: Decoded[], b: Decoded[]): boolean {
  return (
    a.length === b.length &&
    a.every(
      (m, i) =>
        m.type === b[i]!.type &&
        m.streamId === b[i]!.streamId &&
        m.timestamp === b[i]!.timestamp &&
        m.chunkStreamId === b[i]!.chunkStreamId &&
        m.payload.equals(b[i]!.payload),
    )
  );
}

/**
 * Writes `messages` again with our encoder, each on the chunk stream it came on, switching to the
 * peer's chunk size right after its Set Chunk Size message, as the peer did.
 */
function reencode(messages: Decoded[]): Buffer {
  const encoder = new ChunkEncoder();
  return Buffer.concat(
    messages.map(({ type, streamId, timestamp, payload, chunkStreamId }) => {
      const message: RtmpMessage = { type, streamId, timestamp, payload };
      const bytes = encoder.encode(message, chunkStreamId);
      if (type === 1) encoder.setChunkSize(payload.readUInt32BE(0));
      return bytes;
    }),
  );
}

const captures = CAPTURES.map((name) => loadCapture(name));

describe.each(captures.map((capture) => [capture.name, capture] as const))('chunk stream of %s', (_name, capture) => {
  const want = expected(capture);

  it('decodes, fed whole, to the annotated messages', () => {
    expect(want.length).toBeGreaterThan(0);
    expect(decodePieces([capture.bytes])).toEqual(want);
  });

  it('decodes the same, split in two at every offset', () => {
    const { bytes } = capture;
    const bad: number[] = [];
    for (let at = 0; at <= bytes.length; at++) {
      if (!sameMessages(decodePieces([bytes.subarray(0, at), bytes.subarray(at)]), want)) bad.push(at);
    }
    expect(bad).toEqual([]);
  });

  it('decodes the same, one byte at a time', () => {
    const { bytes } = capture;
    const pieces = Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
    expect(decodePieces(pieces)).toEqual(want);
  });

  it('holds back the last message until its last byte arrives', () => {
    const { bytes } = capture;
    const decoder = new ChunkDecoder();
    let count = 0;
    decoder.push(bytes.subarray(0, bytes.length - 1), () => count++);
    expect(count).toBe(want.length - 1);
    decoder.push(bytes.subarray(bytes.length - 1), () => count++);
    expect(count).toBe(want.length);
  });

  it('re-encoded by ChunkEncoder at the peer chunk size, decodes to the same messages', () => {
    const bytes = reencode(want);
    expect(decodePieces([bytes])).toEqual(want);
    // and split, so the re-encoded chunk boundaries are exercised too
    expect(decodePieces(Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1)))).toEqual(want);
  });
});

describe('our ChunkEncoder next to the real writers', () => {
  it.each(captures.map((c) => [c.name, c] as const))('is never larger than the peer on %s', (_name, capture) => {
    expect(reencode(expected(capture)).length).toBeLessThanOrEqual(capture.bytes.length);
  });

  // These two pin the header choices (fmt 0/1/3, including librtmp's fmt 3 that starts a new
  // SetBufferLength message): ffmpeg's and librtmp's writers and ours agree byte for byte.
  it.each(['ffmpeg-play.c2s', 'rtmpdump-play.c2s'])('writes %s byte for byte as the client did', (name) => {
    const capture = captures.find((c) => c.name === name)!;
    expect(reencode(expected(capture)).toString('hex')).toBe(capture.bytes.toString('hex'));
  });
});

describe('Set Chunk Size from a real peer', () => {
  const withSetChunkSize = captures.filter((c) => c.messages.some((m) => m.type === 1));

  it('is present in the captures of ffmpeg publishing and of nginx', () => {
    expect(withSetChunkSize.map((c) => c.name).sort()).toEqual(
      [
        'ffmpeg-play-ext.s2c',
        'ffmpeg-play.s2c',
        'ffmpeg-publish-ext.c2s',
        'ffmpeg-publish.c2s',
        'ffmpeg-publish.s2c',
        'rtmpdump-play.s2c',
      ].sort(),
    );
  });

  it.each(withSetChunkSize.map((c) => [c.name, c] as const))('takes effect at once in %s', (_name, capture) => {
    const decoder = new ChunkDecoder();
    const sizes: number[] = [];
    decoder.push(capture.bytes, () => sizes.push(decoder.chunkSize));
    const at = capture.messages.findIndex((m) => m.type === 1);
    expect(capture.messages[at]!.payload.readUInt32BE(0)).toBe(4096);
    expect(sizes.slice(0, at)).toEqual(Array(at).fill(128));
    expect(sizes.slice(at)).toEqual(Array(sizes.length - at).fill(4096));
    expect(decoder.chunkSize).toBe(4096);
  });

  it('lets ffmpeg send its 6689-byte keyframe as one 4096-byte chunk and one of 2593', () => {
    const capture = captures.find((c) => c.name === 'ffmpeg-publish.c2s')!;
    const keyframe = annotated(capture, 'video: AVC keyframe');
    const chunks = capture.chunks.filter((c) => c.message === keyframe.index);
    expect(chunks.map((c) => [c.fmt, c.dataLength])).toEqual([
      [1, 4096],
      [3, 2593],
    ]);
    const decoded = decodePieces([capture.bytes]).find((m) => m.type === 9 && m.payload.length === 6689);
    expect(decoded?.payload.equals(keyframe.payload)).toBe(true);
  });

  it.each(withSetChunkSize.map((c) => [c.name, c] as const))(
    'matters: %s without its Set Chunk Size chunk no longer decodes to the same messages',
    (_name, capture) => {
      const scs = capture.messages.find((m) => m.type === 1)!;
      const chunk = capture.chunks.find((c) => c.message === scs.index)!;
      const next = capture.chunks[capture.chunks.indexOf(chunk) + 1]!;
      const stripped = Buffer.concat([capture.bytes.subarray(0, chunk.offset), capture.bytes.subarray(next.offset)]);
      const want = expected(capture).filter((m) => m.type !== 1);
      let decoded: Decoded[] | Error;
      try {
        decoded = decodePieces([stripped]);
      } catch (error) {
        decoded = error as Error;
      }
      expect(decoded instanceof Error || !sameMessages(decoded, want)).toBe(true);
    },
  );
});

describe('extended timestamps from real peers (timestamps above 0xffffff)', () => {
  const publish = captures.find((c) => c.name === 'ffmpeg-publish-ext.c2s')!;
  const play = captures.find((c) => c.name === 'ffmpeg-play-ext.s2c')!;

  /** [fmt, csid, extended field value] of every chunk whose header carries an extended timestamp. */
  function extendedChunks(capture: Capture): [number, number, number][] {
    return capture.chunks
      .filter((c) => c.extendedTimestamp !== undefined)
      .map((c) => [c.fmt, c.chunkStreamId, c.extendedTimestamp!]);
  }

  it('ffmpeg puts a large delta in fmt 1 headers and repeats it on the fmt 3 continuation', () => {
    // audio: the sequence header at 0, then a delta of 16799977; video: 0, then 16800000 for the
    // 6689-byte keyframe, sent as fmt 1 + fmt 3 with the extended field in both
    expect(extendedChunks(publish)).toEqual([
      [1, 4, 16_799_977],
      [1, 6, 16_800_000],
      [3, 6, 16_800_000],
    ]);
    const keyframe = annotated(publish, 'video: AVC keyframe');
    expect(keyframe.timestamp).toBe(16_800_000);
  });

  it('nginx uses the extended field only in fmt 0 headers (absolute timestamps) to players', () => {
    expect(extendedChunks(play)).toEqual([
      [0, 6, 16_801_788],
      [0, 7, 16_801_960],
    ]);
  });

  it.each(['auto', 'always'] as const)('ffmpeg publishing decodes with extendedTimestampOnType3 %s', (mode) => {
    expect(decodePieces([publish.bytes], mode)).toEqual(expected(publish));
    const bytes = publish.bytes;
    expect(decodePieces(Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1)), mode)).toEqual(
      expected(publish),
    );
  });

  it('ffmpeg publishing does not decode the librtmp 2.4 way (extendedTimestampOnType3 never)', () => {
    let decoded: Decoded[] | Error;
    try {
      decoded = decodePieces([publish.bytes], 'never');
    } catch (error) {
      decoded = error as Error;
    }
    expect(decoded instanceof Error || !sameMessages(decoded, expected(publish))).toBe(true);
  });

  it.each(['auto', 'always', 'never'] as const)('nginx to a player decodes with extendedTimestampOnType3 %s', (mode) => {
    expect(decodePieces([play.bytes], mode)).toEqual(expected(play));
  });
});
