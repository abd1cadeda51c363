import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ChunkDecoder } from '../src/chunk/index.js';
import { LimitExceededError } from '../src/errors/index.js';
import type { RtmpMessage } from '../src/message/index.js';
import type { ByteChannel } from '../src/session/byte-channel.js';
import { COALESCE_FLUSH_BYTES, Outgoing, type SharedEncoding } from '../src/session/outgoing.js';

/** A channel that records what reaches it: each write, and which writes were corked together. */
class RecordingChannel implements ByteChannel {
  readonly remote = { address: 'test', port: 0, family: 'other' as const };
  readonly secure = false;
  /** One entry per write; `batch` is the cork batch it was part of (0: not corked). */
  readonly writes: Array<{ bytes: Buffer; batch: number }> = [];
  writableLength = 0;
  highWaterMark = Infinity;
  private batch = 0;
  private corked = false;

  write(bytes: Uint8Array): boolean {
    this.writes.push({ bytes: Buffer.from(bytes), batch: this.corked ? this.batch : 0 });
    this.writableLength += bytes.length;
    return this.writableLength < this.highWaterMark;
  }
  cork(): void {
    this.corked = true;
    this.batch++;
  }
  uncork(): void {
    this.corked = false;
  }
  get bytes(): Buffer {
    return Buffer.concat(this.writes.map((write) => write.bytes));
  }
  pause(): void {}
  resume(): void {}
  end(): void {}
  destroy(): void {}
  attach(): void {}
}

function media(timestamp: number, size = 100, type: 8 | 9 = 9): RtmpMessage {
  return { type, streamId: 1, timestamp, payload: Buffer.alloc(size, timestamp & 0xff) };
}

function decodeAll(bytes: Buffer): RtmpMessage[] {
  const decoder = new ChunkDecoder();
  decoder.setChunkSize(4096);
  const messages: RtmpMessage[] = [];
  decoder.push(bytes, (message) => messages.push({ ...message, payload: Buffer.from(message.payload) }));
  return messages;
}

function outgoingOn(channel: RecordingChannel, maxOutgoingBytes = 1 << 20): { out: Outgoing; failures: Error[] } {
  const failures: Error[] = [];
  const out = new Outgoing(channel, maxOutgoingBytes, (error) => failures.push(error));
  out.setChunkSize(4096);
  channel.writes.length = 0;
  channel.writableLength = 0;
  return { out, failures };
}

describe('Outgoing: coalesced writes', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('holds coalesced messages, then writes them in one corked batch after coalesceMs', () => {
    const channel = new RecordingChannel();
    const { out } = outgoingOn(channel);
    for (let i = 0; i < 5; i++) expect(out.sendShared(media(i * 33), 6, new Map(), 100)).toBe(true);
    expect(channel.writes).toHaveLength(0);
    expect(out.heldLength).toBeGreaterThan(5 * 100);
    vi.advanceTimersByTime(99);
    expect(channel.writes).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(channel.writes).toHaveLength(5);
    expect(new Set(channel.writes.map((write) => write.batch))).toEqual(new Set([1]));
    expect(out.heldLength).toBe(0);
    expect(decodeAll(channel.bytes).map((message) => message.timestamp)).toEqual([0, 33, 66, 99, 132]);
  });

  it('writes held bytes before anything sent without coalesceMs, so order is kept', () => {
    const channel = new RecordingChannel();
    const { out } = outgoingOn(channel);
    out.send(media(1), 6, 100);
    out.send(media(2), 6, 100);
    out.send({ type: 20, streamId: 0, timestamp: 0, payload: Buffer.from([5, 0, 0, 0, 0, 0, 0, 0, 0, 0]) }, 3);
    expect(channel.writes).toHaveLength(3);
    expect(decodeAll(channel.bytes).map((message) => message.type)).toEqual([9, 9, 20]);
    // Nothing is left for the timer to write.
    vi.advanceTimersByTime(1000);
    expect(channel.writes).toHaveLength(3);
  });

  it(`writes at once past ${COALESCE_FLUSH_BYTES} held bytes (a burst such as a GOP replay does not wait)`, () => {
    const channel = new RecordingChannel();
    const { out } = outgoingOn(channel);
    const shared: SharedEncoding = new Map();
    out.sendShared(media(0, COALESCE_FLUSH_BYTES / 2), 6, shared, 100);
    expect(channel.writes).toHaveLength(0);
    out.sendShared(media(40, COALESCE_FLUSH_BYTES / 2), 6, new Map(), 100);
    expect(channel.writes).toHaveLength(2);
    expect(out.heldLength).toBe(0);
  });

  it('reports backpressure found by the flush to the next writer', () => {
    const channel = new RecordingChannel();
    channel.highWaterMark = 150;
    const { out } = outgoingOn(channel);
    expect(out.send(media(0), 6, 100)).toBe(true);
    expect(out.send(media(33), 6, 100)).toBe(true);
    expect(out.blocked).toBe(false);
    vi.advanceTimersByTime(100);
    expect(out.blocked).toBe(true);
    expect(out.send(media(66), 6, 100)).toBe(false);
  });

  it('counts held bytes against maxOutgoingBytes', () => {
    const channel = new RecordingChannel();
    const { out, failures } = outgoingOn(channel, 1000);
    for (let i = 0; i < 20 && failures.length === 0; i++) out.send(media(i, 200), 6, 100);
    expect(failures[0]).toBeInstanceOf(LimitExceededError);
    expect(channel.writes).toHaveLength(0);
  });

  it('flush() writes what is held now (a closing session calls it before ending the channel)', () => {
    const channel = new RecordingChannel();
    const { out } = outgoingOn(channel);
    out.send(media(0), 6, 100);
    out.flush();
    expect(channel.writes).toHaveLength(1);
    expect(channel.writes[0]!.batch).toBe(0); // a single write needs no cork
  });

  it('stop() drops held bytes and the pending timer', () => {
    const channel = new RecordingChannel();
    const { out } = outgoingOn(channel);
    out.send(media(0), 6, 100);
    out.stop();
    vi.advanceTimersByTime(1000);
    expect(channel.writes).toHaveLength(0);
    expect(out.heldLength).toBe(0);
  });

  it('works on a channel that cannot cork (writes one by one, same bytes)', () => {
    const corking = new RecordingChannel();
    const plain = new RecordingChannel();
    Object.assign(plain, { cork: undefined, uncork: undefined });
    for (const channel of [corking, plain]) {
      const { out } = outgoingOn(channel);
      for (let i = 0; i < 3; i++) out.send(media(i * 10), 6, 20);
      vi.advanceTimersByTime(20);
    }
    expect(plain.bytes.equals(corking.bytes)).toBe(true);
    expect(plain.writes.every((write) => write.batch === 0)).toBe(true);
  });
});
