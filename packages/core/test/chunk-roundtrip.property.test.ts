import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChunkEncoder, encodeMessageChunks, type ExtendedTimestampMode } from '../src/chunk/index.js';
import type { RtmpMessage } from '../src/message/rtmp-message.js';
import { comparable, decodeParts, pattern, type Decoded } from './fixtures/chunk/decode.js';
import { randomSplit, seededRandom } from './fixtures/chunk/random.js';

// Random message sequences on random chunk streams, encoded, their chunks interleaved across
// chunk streams at random (each chunk stream keeping its order), cut at random, decoded.

const csidArb = fc.oneof(
  fc.integer({ min: 2, max: 63 }),
  fc.integer({ min: 64, max: 319 }),
  fc.integer({ min: 320, max: 65599 }),
);

/** How a message's timestamp follows the last one on its chunk stream. */
const stepArb = fc.oneof(
  fc.record({ kind: fc.constant('repeat' as const) }), // same delta again: invites fmt 3
  fc.record({ kind: fc.constant('delta' as const), value: fc.integer({ min: 0, max: 100 }) }),
  fc.record({ kind: fc.constant('delta' as const), value: fc.integer({ min: 0xfffff0, max: 0x1000010 }) }),
  fc.record({ kind: fc.constant('absolute' as const), value: fc.integer({ min: 0, max: 0xffffffff }) }), // often backwards
  fc.record({ kind: fc.constant('absolute' as const), value: fc.integer({ min: 0xfffff0, max: 0x1000010 }) }),
);

const eventArb = fc.record({
  csidIndex: fc.nat(),
  step: stepArb,
  length: fc.oneof(fc.constantFrom(0, 1, 4, 100), fc.integer({ min: 0, max: 3000 })),
  type: fc.constantFrom(8, 9, 18, 20, 4, 6, 22),
  streamId: fc.constantFrom(1, 1, 1, 0, 0xffffffff),
  sameShape: fc.boolean(), // reuse the last length, type and stream on this chunk stream: invites fmt 2/3
  shared: fc.boolean(), // sent as shared fan-out bytes (encodeMessageChunks + recordSent)
});

const scenarioArb = fc.record({
  csids: fc.uniqueArray(csidArb, { minLength: 1, maxLength: 5 }),
  segments: fc.array(
    fc.record({
      chunkSize: fc.oneof(fc.integer({ min: 1, max: 16 }), fc.integer({ min: 17, max: 4096 })),
      events: fc.array(eventArb, { maxLength: 10 }),
    }),
    { minLength: 1, maxLength: 3 },
  ),
  seed: fc.integer(),
});

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

interface Chunk {
  bytes: Buffer;
  /** Set on the last chunk of a message: what the decoder must hand out when it arrives. */
  completes?: Decoded;
}

/** Encodes the scenario; returns the wire bytes and the messages in the order they complete. */
function encodeScenario(scenario: Scenario): { wire: Buffer; expected: Decoded[] } {
  const random = seededRandom(scenario.seed);
  const encoder = new ChunkEncoder();
  const last = new Map<number, { timestamp: number; delta: number; shape: Omit<RtmpMessage, 'timestamp' | 'payload'> & { length: number } }>();
  const chunks: Chunk[] = [];
  const pushMessage = (parts: Buffer[], csid: number, message: RtmpMessage, into: Chunk[]) => {
    parts.forEach((bytes, i) => into.push(i === parts.length - 1 ? { bytes, completes: { csid, ...message } } : { bytes }));
  };

  for (const segment of scenario.segments) {
    // Each segment starts with a Set Chunk Size, written at the size in force before it.
    const size = Buffer.alloc(4);
    size.writeUInt32BE(segment.chunkSize);
    pushMessage(encoder.encodeChunks({ type: 1, streamId: 0, timestamp: 0, payload: size }, 2), 2, { type: 1, streamId: 0, timestamp: 0, payload: size }, chunks);
    encoder.setChunkSize(segment.chunkSize);

    const queues = new Map<number, Chunk[]>();
    for (const event of segment.events) {
      const csid = scenario.csids[event.csidIndex % scenario.csids.length]!;
      const previous = last.get(csid);
      const { step } = event;
      const shape = event.sameShape && previous ? previous.shape : { type: event.type, streamId: event.streamId, length: event.length };
      const before = previous?.timestamp ?? 0;
      const timestamp =
        step.kind === 'repeat'
          ? (before + (previous?.delta ?? 0)) >>> 0
          : step.kind === 'delta'
            ? (before + step.value) >>> 0
            : step.value;
      last.set(csid, { timestamp, delta: step.kind === 'absolute' ? timestamp : (timestamp - before) >>> 0, shape });
      const { type, streamId, length } = shape;
      const message: RtmpMessage = { type, streamId, timestamp, payload: pattern(length, timestamp) };
      let parts: Buffer[];
      if (event.shared) {
        parts = new ChunkEncoder({ chunkSize: segment.chunkSize }).encodeChunks(message, csid);
        expect(Buffer.concat(parts).equals(encodeMessageChunks(message, csid, segment.chunkSize))).toBe(true);
        encoder.recordSent(message, csid);
      } else {
        parts = encoder.encodeChunks(message, csid);
      }
      const queue = queues.get(csid) ?? [];
      queues.set(csid, queue);
      pushMessage(parts, csid, message, queue);
    }
    // Interleave: repeatedly take the next chunk of a random chunk stream.
    const pending = [...queues.values()];
    while (pending.length > 0) {
      const pick = random(pending.length);
      chunks.push(pending[pick]!.shift()!);
      if (pending[pick]!.length === 0) pending.splice(pick, 1);
    }
  }
  return {
    wire: Buffer.concat(chunks.map((chunk) => chunk.bytes)),
    expected: chunks.flatMap((chunk) => (chunk.completes ? [chunk.completes] : [])),
  };
}

describe('chunk stream round trip (fast-check)', () => {
  it.each(['auto', 'always'] as ExtendedTimestampMode[])(
    'decodes what the encoder wrote, interleaved and cut anywhere (%s)',
    (mode) => {
      fc.assert(
        fc.property(scenarioArb, (scenario) => {
          const { wire, expected } = encodeScenario(scenario);
          const parts = randomSplit(wire, seededRandom(scenario.seed ^ 0x5bd1e995), 24);
          expect(comparable(decodeParts(parts, { extendedTimestampOnType3: mode }))).toEqual(comparable(expected));
        }),
        { numRuns: 120 },
      );
    },
  );

  it('decodes byte by byte too', () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const { wire, expected } = encodeScenario(scenario);
        const bytes = Array.from({ length: Math.min(wire.length, 2000) }, (_, i) => wire.subarray(i, i + 1));
        const rest = wire.subarray(bytes.length);
        expect(comparable(decodeParts([...bytes, rest]))).toEqual(comparable(expected));
      }),
      { numRuns: 40 },
    );
  });
});
