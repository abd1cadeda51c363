/**
 * Random and mutated bytes through every message decoder: each may return or throw an RtmpError
 * (checked with RtmpError.isInstance), never a TypeError or RangeError, and never hang.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteReader } from '../src/bytes/index.js';
import { RtmpError } from '../src/errors/index.js';
import {
  buildAggregate,
  buildAvcVideoFrame,
  decodeAbort,
  decodeAcknowledgement,
  decodeCommand,
  decodeData,
  decodeSetChunkSize,
  decodeSetPeerBandwidth,
  decodeSharedObject,
  decodeUserControl,
  decodeVideoMetadata,
  decodeWindowAcknowledgementSize,
  encodeCommand,
  encodeData,
  encodeExAudioTag,
  encodeExVideoTag,
  encodeSharedObject,
  encodeVideoMetadata,
  parseAudioTag,
  parseVideoTag,
  readFlvTagHeader,
  splitAggregate,
  type RtmpMessage,
} from '../src/message/index.js';
import { hex } from './helpers/hex.js';

type Decoder = (payload: Buffer) => unknown;

function onType(type: number, decode: (message: RtmpMessage) => unknown): Decoder {
  return (payload) => decode({ type, streamId: 1, timestamp: 1000, payload });
}

/** Valid payloads to mutate, so the fuzzing reaches past the first byte. */
const seeds: Record<string, Buffer[]> = {
  video: [
    buildAvcVideoFrame({ keyframe: true, compositionTime: 40, data: hex`00 00 00 02 65 88` }),
    encodeExVideoTag({ frameType: 1, packetType: 1, timestampOffsetNano: 5, multitrackType: 2, tracks: [{ trackId: 1, fourCc: 'hvc1', compositionTime: 3, body: hex`aa` }, { trackId: 2, fourCc: 'av01', body: hex`bb cc` }] }),
    encodeExVideoTag({ frameType: 1, packetType: 4, tracks: [{ fourCc: 'hvc1', body: hex`02 00 01 61 05` }] }),
  ],
  audio: [
    hex`af 00 12 10`,
    encodeExAudioTag({ packetType: 4, multitrackType: 1, tracks: [{ trackId: 0, fourCc: 'Opus', multichannelConfig: { channelOrder: 2, channelCount: 2, channelMapping: hex`00 01` } }, { trackId: 1, fourCc: 'Opus', multichannelConfig: { channelOrder: 1, channelCount: 2, channelMask: 3 } }] }),
  ],
  command: [encodeCommand({ name: 'connect', transactionId: 1, commandObject: { app: 'live', n: [1, { a: null }] }, args: ['x'] }, { streamId: 0 }).payload],
  command3: [encodeCommand({ name: 'call', transactionId: 2, commandObject: null, args: [{ a: [1, 'b'] }, 'x'] }, { streamId: 0, amf3: true }).payload],
  data: [encodeData({ name: '@setDataFrame', values: ['onMetaData', { width: 640 }] }, { streamId: 1 }).payload],
  sharedObject: [
    encodeSharedObject({ name: 'chat', version: 1, persistent: true, events: [{ kind: 'Change', properties: [{ name: 'a', value: { b: [1] } }] }, { kind: 'Status', code: 'c', level: 'l' }, { kind: 'SendMessage', values: ['h', 1] }] }).payload,
  ],
  aggregate: [buildAggregate([{ type: 8, streamId: 1, timestamp: 5, payload: hex`af 01 aa` }, { type: 9, streamId: 1, timestamp: 9, payload: hex`27 01 00 00 00` }]).payload],
  u32: [hex`00 00 10 00`],
  peerBandwidth: [hex`00 4c 4b 40 02`],
  userControl: [hex`00 03 00 00 00 01 00 00 0b b8`, hex`00 1a 01`],
};

const decoders: Array<[string, Decoder, Buffer[]]> = [
  ['Set Chunk Size', onType(1, decodeSetChunkSize), seeds.u32!],
  ['Abort', onType(2, decodeAbort), seeds.u32!],
  ['Acknowledgement', onType(3, decodeAcknowledgement), seeds.u32!],
  ['Window Acknowledgement Size', onType(5, decodeWindowAcknowledgementSize), seeds.u32!],
  ['Set Peer Bandwidth', onType(6, decodeSetPeerBandwidth), seeds.peerBandwidth!],
  ['User Control', onType(4, decodeUserControl), seeds.userControl!],
  ['AMF0 command', onType(20, decodeCommand), seeds.command!],
  ['AMF3 command', onType(17, decodeCommand), seeds.command3!],
  ['AMF0 data', onType(18, decodeData), seeds.data!],
  ['AMF3 data', onType(15, decodeData), seeds.command3!],
  ['video tag', (payload) => parseVideoTag(payload), seeds.video!],
  ['audio tag', (payload) => parseAudioTag(payload), seeds.audio!],
  ['aggregate', onType(22, splitAggregate), seeds.aggregate!],
  ['AMF0 shared object', onType(19, decodeSharedObject), seeds.sharedObject!],
  ['AMF3 shared object', onType(16, decodeSharedObject), [Buffer.concat([hex`00`, seeds.sharedObject![0]!])]],
  ['video metadata', (payload) => decodeVideoMetadata(payload), [encodeVideoMetadata([{ name: 'colorInfo', value: { hdrCll: { maxFall: 1 } } }])]],
  ['FLV tag header', (payload) => readFlvTagHeader(new ByteReader(payload)), seeds.aggregate!],
];

/** Runs `decode`, and fails the property unless it returns or throws an RtmpError. */
function onlyRtmpErrors(decode: Decoder, payload: Buffer): void {
  try {
    decode(payload);
  } catch (error) {
    if (!RtmpError.isInstance(error)) {
      throw new Error(`threw ${(error as Error)?.name}: ${(error as Error)?.message} for ${payload.toString('hex')}`, { cause: error });
    }
  }
}

function mutated(seedList: Buffer[]): fc.Arbitrary<Buffer> {
  return fc
    .tuple(fc.constantFrom(...seedList), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }), fc.nat())
    .map(([seed, edits, cut]) => {
      const copy = Buffer.from(seed);
      for (const [at, value] of edits) if (copy.length > 0) copy[at % copy.length] = value;
      return copy.subarray(0, copy.length - (cut % 4 === 0 ? cut % copy.length : 0));
    });
}

describe('message decoders on random bytes', () => {
  it.each(decoders)('%s throws only RtmpErrors on random bytes', (_name, decode) => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => onlyRtmpErrors(decode, Buffer.from(bytes))),
      { numRuns: 300 },
    );
  });

  it.each(decoders)('%s throws only RtmpErrors on mutated valid messages', (_name, decode, seedList) => {
    for (const seed of seedList) expect(() => decode(seed)).not.toThrow();
    fc.assert(
      fc.property(mutated(seedList), (bytes) => onlyRtmpErrors(decode, bytes)),
      { numRuns: 300 },
    );
  });

  it('a large random payload ends quickly', () => {
    const big = Buffer.alloc(1 << 20, 0x05); // a megabyte of AMF0 nulls, or of 0x05 media bytes
    const started = performance.now();
    for (const [, decode] of decoders) onlyRtmpErrors(decode, big);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
