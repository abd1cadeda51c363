import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LimitExceededError, RtmpProtocolError } from '../src/errors/index.js';
import {
  AudioChannelOrder,
  AudioPacketType,
  buildAacAudioFrame,
  buildAacSequenceHeader,
  buildExAudioCodedFrames,
  buildExAudioSequenceStart,
  encodeExAudioTag,
  encodeLegacyAudioTag,
  parseAudioTag,
} from '../src/message/index.js';
import { exAudioTagInit } from './fixtures/message/media-arbitraries.js';
import { hex } from './helpers/hex.js';

describe('legacy audio tags', () => {
  it('reads an AAC sequence header: AF 00 12 10', () => {
    const payload = hex`
      af      # AAC | 44 kHz | 16-bit | stereo
      00      # AACPacketType 0: sequence header
      12 10   # AudioSpecificConfig: AAC LC, 44.1 kHz, stereo
    `;
    const tag = parseAudioTag(payload);
    expect(tag).toMatchObject({ isSilence: false, isExHeader: false, soundFormat: 10, soundRate: 3, soundSize: 1, soundType: 1, packetType: 0, isSequenceHeader: true, codec: 10 });
    expect(tag.body).toStrictEqual(hex`12 10`);
    expect(tag.body.buffer).toBe(payload.buffer);
    expect(buildAacSequenceHeader(hex`12 10`)).toStrictEqual(payload);
  });

  it('reads an AAC raw frame', () => {
    const payload = hex`af 01  21 10 04 60 8c   # AAC raw frame`;
    expect(parseAudioTag(payload)).toMatchObject({ packetType: 1, isSequenceHeader: false, body: hex`21 10 04 60 8c` });
    expect(buildAacAudioFrame(hex`21 10 04 60 8c`)).toStrictEqual(payload);
  });

  it('reads MP3 and Speex, which have no packet type byte', () => {
    expect(parseAudioTag(hex`2f ff fb   # MP3 | 44 kHz | 16-bit | stereo`)).toMatchObject({ soundFormat: 2, packetType: undefined, body: hex`ff fb` });
    expect(parseAudioTag(hex`b2 01   # Speex | 5.5 kHz | 16-bit | mono`)).toMatchObject({ soundFormat: 11, soundRate: 0, soundSize: 1, soundType: 0, body: hex`01` });
    expect(encodeLegacyAudioTag({ soundFormat: 11, soundRate: 0, soundSize: 1, soundType: 0, body: hex`01` })).toStrictEqual(hex`b2 01`);
  });

  it('reads an empty message as the silence marker', () => {
    expect(parseAudioTag(Buffer.alloc(0))).toMatchObject({ isSilence: true, soundFormat: undefined, tracks: [], codec: undefined, body: Buffer.alloc(0) });
  });
});

describe('Enhanced RTMP audio tags', () => {
  it("reads 0x90 'mp4a' <ASC>: an AAC sequence start", () => {
    const payload = hex`
      90            # SoundFormat 9 (ExHeader) | SequenceStart
      6d 70 34 61   # "mp4a"
      12 10         # AudioSpecificConfig
    `;
    expect(parseAudioTag(payload)).toMatchObject({ isExHeader: true, soundFormat: 9, soundRate: undefined, packetType: 0, isSequenceHeader: true, codec: 'mp4a', body: hex`12 10` });
    expect(buildExAudioSequenceStart('mp4a', hex`12 10`)).toStrictEqual(payload);
  });

  it("reads 0x91 'Opus' <packet>: case of the FourCC kept", () => {
    const payload = hex`91 4f 70 75 73  fc ff fe   # CodedFrames "Opus", one packet`;
    expect(parseAudioTag(payload)).toMatchObject({ packetType: 1, codec: 'Opus', body: hex`fc ff fe` });
    expect(buildExAudioCodedFrames('Opus', hex`fc ff fe`)).toStrictEqual(payload);
  });

  it("reads SequenceEnd of 'fLaC'", () => {
    expect(parseAudioTag(hex`92 66 4c 61 43`)).toMatchObject({ packetType: 2, codec: 'fLaC', body: Buffer.alloc(0) });
  });

  it('reads MultichannelConfig with the native order: a channel mask', () => {
    const payload = hex`
      94            # ExHeader | MultichannelConfig
      4f 70 75 73   # "Opus"
      01            # AudioChannelOrder native
      06            # 6 channels
      00 00 00 3f   # FL FR FC LFE1 BL BR (5.1)
    `;
    const tag = parseAudioTag(payload);
    expect(tag.tracks[0]!.multichannelConfig).toStrictEqual({ channelOrder: AudioChannelOrder.Native, channelCount: 6, channelMask: 0x3f });
    expect(tag.body).toStrictEqual(payload.subarray(5));
    expect(encodeExAudioTag({ packetType: 4, tracks: [{ fourCc: 'Opus', multichannelConfig: { channelOrder: 1, channelCount: 6, channelMask: 0x3f } }] })).toStrictEqual(payload);
  });

  it('reads MultichannelConfig with a custom order (a channel map) and unspecified (count only)', () => {
    expect(parseAudioTag(hex`94 4f 70 75 73  02 02  01 00   # custom: FR, FL`).tracks[0]!.multichannelConfig).toStrictEqual({ channelOrder: 2, channelCount: 2, channelMapping: hex`01 00` });
    expect(parseAudioTag(hex`94 4f 70 75 73  00 02   # unspecified, 2 channels`).tracks[0]!.multichannelConfig).toStrictEqual({ channelOrder: 0, channelCount: 2 });
  });

  it('reads a ModEx TimestampOffsetNano block', () => {
    const payload = hex`
      97            # ExHeader | ModEx
      02 00 03 e8   # 3 bytes: 1000 ns
      01            # TimestampOffsetNano | CodedFrames
      4f 70 75 73 aa
    `;
    expect(parseAudioTag(payload)).toMatchObject({ timestampOffsetNano: 1000, packetType: 1, codec: 'Opus', body: hex`aa` });
    expect(encodeExAudioTag({ packetType: 1, timestampOffsetNano: 1000, tracks: [{ fourCc: 'Opus', body: hex`aa` }] })).toStrictEqual(payload);
  });

  it('reads ManyTracks and ManyTracksManyCodecs', () => {
    const many = parseAudioTag(hex`
      95            # ExHeader | Multitrack
      11            # ManyTracks | CodedFrames
      4f 70 75 73   # "Opus"
      00 00 00 02 aa bb   # track 0, 2 bytes
      01 00 00 01 cc      # track 1, 1 byte
    `);
    expect(many.tracks).toStrictEqual([
      { trackId: 0, codec: 'Opus', body: hex`aa bb` },
      { trackId: 1, codec: 'Opus', body: hex`cc` },
    ]);
    const mixed = parseAudioTag(hex`
      95  20                          # Multitrack; ManyTracksManyCodecs | SequenceStart
      6d 70 34 61  00  00 00 02 12 10 # "mp4a", track 0, ASC
      4f 70 75 73  01  00 00 00       # "Opus", track 1, empty ID header
    `);
    expect(mixed).toMatchObject({ multitrackType: 2, isSequenceHeader: true, codec: 'mp4a' });
    expect(mixed.tracks.map((track) => [track.trackId, track.codec, track.body])).toStrictEqual([
      [0, 'mp4a', hex`12 10`],
      [1, 'Opus', Buffer.alloc(0)],
    ]);
  });
});

describe('audio tag errors', () => {
  it.each<[string, Buffer]>([
    ['AAC without its packet type', hex`af`],
    ['AACPacketType 2', hex`af 02 00`],
    ['a cut FourCC', hex`90 4f 70`],
    ['reserved packet type 3', hex`93 4f 70 75 73`],
    ['reserved packet type 6', hex`96 4f 70 75 73`],
    ['reserved packet type 8', hex`98 4f 70 75 73`],
    ['Multitrack inside Multitrack', hex`95 05 4f 70 75 73 00`],
    ['reserved AudioChannelOrder 3', hex`94 4f 70 75 73 03 02`],
    ['a channel map shorter than its count', hex`94 4f 70 75 73 02 03 00 01`],
    ['a native mask cut short', hex`94 4f 70 75 73 01 02 00 00`],
    ['a track size past the end', hex`95 11 4f 70 75 73 00 00 00 05 aa`],
  ])('rejects %s with RtmpProtocolError', (_name, payload) => {
    expect(() => parseAudioTag(payload)).toThrow(RtmpProtocolError);
  });

  it('applies maxTracks and maxModExEntries', () => {
    const tracks = encodeExAudioTag({ packetType: 1, multitrackType: 1, tracks: [0, 1, 2].map((trackId) => ({ trackId, fourCc: 'Opus' })) });
    expect(parseAudioTag(tracks, { maxTracks: 3 }).tracks).toHaveLength(3);
    expect(() => parseAudioTag(tracks, { maxTracks: 2 })).toThrow(expect.objectContaining({ limit: 'maxTracks' }));
    const chained = encodeExAudioTag({ packetType: 1, modEx: [{ type: 2, data: hex`00` }, { type: 2, data: hex`00` }], tracks: [{ fourCc: 'Opus' }] });
    expect(parseAudioTag(chained, { maxModExEntries: 2 }).modEx).toHaveLength(2);
    expect(() => parseAudioTag(chained, { maxModExEntries: 1 })).toThrow(LimitExceededError);
  });

  it('refuses bad options and bad writer input', () => {
    expect(() => parseAudioTag(hex`af 00`, { maxTracks: -1 })).toThrow(RangeError);
    expect(() => encodeLegacyAudioTag({ soundFormat: 9 })).toThrow(RangeError);
    expect(() => encodeExAudioTag({ packetType: 3, tracks: [{ fourCc: 'Opus' }] })).toThrow(RangeError);
    expect(() => encodeExAudioTag({ packetType: 1, multitrackType: 1, tracks: [{ fourCc: 'Opus' }, { fourCc: 'mp4a' }] })).toThrow(/ManyTracksManyCodecs/);
  });
});

describe('audio tag round trips', () => {
  it('parseAudioTag(encodeExAudioTag(init)) gives back every field', () => {
    fc.assert(
      fc.property(exAudioTagInit, (init) => {
        const tag = parseAudioTag(encodeExAudioTag(init));
        expect(tag).toMatchObject({ isExHeader: true, soundFormat: 9, packetType: init.packetType, multitrackType: init.multitrackType, timestampOffsetNano: init.timestampOffsetNano ?? 0 });
        expect(tag.isSequenceHeader).toBe(init.packetType === AudioPacketType.SequenceStart);
        if (init.modEx !== undefined) expect(tag.modEx).toStrictEqual(init.modEx);
        expect(tag.tracks).toHaveLength(init.tracks.length);
        tag.tracks.forEach((track, index) => {
          const expected = init.tracks[index]!;
          expect(track.trackId).toBe(expected.trackId);
          expect(track.codec).toBe(expected.fourCc);
          if (expected.multichannelConfig !== undefined) expect(track.multichannelConfig).toStrictEqual(expected.multichannelConfig);
          else expect(track.body).toStrictEqual(expected.body);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('parses legacy tags written by encodeLegacyAudioTag', () => {
    const formats = fc.integer({ min: 0, max: 15 }).filter((format) => format !== 9);
    fc.assert(
      fc.property(formats, fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 1 }), fc.uint8Array({ maxLength: 12 }), (soundFormat, soundRate, soundSize, soundType, aacType, body) => {
        const packetType = soundFormat === 10 ? aacType : undefined;
        const tag = parseAudioTag(encodeLegacyAudioTag({ soundFormat, soundRate, soundSize, soundType, packetType, body }));
        expect(tag).toMatchObject({ isExHeader: false, soundFormat, soundRate, soundSize, soundType, packetType, codec: soundFormat });
        expect(tag.body).toStrictEqual(Buffer.from(body));
      }),
      { numRuns: 100 },
    );
  });
});
