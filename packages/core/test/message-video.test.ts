import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LimitExceededError, RtmpProtocolError } from '../src/errors/index.js';
import {
  DEFAULT_MAX_MODEX_ENTRIES,
  DEFAULT_MAX_MEDIA_TRACKS,
  COLOR_INFO,
  ModExType,
  VideoCommand,
  VideoPacketType,
  buildAvcEndOfSequence,
  buildAvcSequenceHeader,
  buildAvcVideoFrame,
  buildExVideoCodedFrames,
  buildExVideoSequenceEnd,
  buildExVideoSequenceStart,
  decodeVideoMetadata,
  encodeVideoMetadata,
  encodeExVideoTag,
  encodeLegacyVideoTag,
  parseVideoTag,
  type VideoTag,
} from '../src/message/index.js';
import { exVideoTagInit } from './fixtures/message/media-arbitraries.js';
import { hex } from './helpers/hex.js';

const avcC = hex`
  01 64 00 1f ff e1   # avcC: version 1, High profile, level 3.1, 4-byte lengths, 1 SPS
  00 04 67 64 00 1f   # SPS
  01 00 04 68 ee 3c 80   # 1 PPS
`;

/** True when `view` shares memory with `payload` (a subarray, not a copy). */
function isViewOf(view: Buffer, payload: Buffer): boolean {
  return view.buffer === payload.buffer && view.byteOffset >= payload.byteOffset && view.byteOffset + view.length <= payload.byteOffset + payload.length;
}

describe('legacy video tags', () => {
  it('reads an AVC sequence header', () => {
    const payload = Buffer.concat([hex`17 00 00 00 00   # key frame | AVC, sequence header, cts 0`, avcC]);
    const tag = parseVideoTag(payload);
    expect(tag).toMatchObject({ isExHeader: false, frameType: 1, codec: 7, packetType: 0, isKeyframe: true, isSequenceHeader: true, compositionTime: 0, command: undefined, multitrackType: undefined });
    expect(tag.body).toStrictEqual(avcC);
    expect(isViewOf(tag.body, payload)).toBe(true);
    expect(buildAvcSequenceHeader(avcC)).toStrictEqual(payload);
  });

  it('reads an AVC key frame with its composition time', () => {
    const payload = hex`
      17             # key frame | AVC
      01             # NALU
      00 00 42       # cts 66 ms
      00 00 00 02 65 88   # one length-prefixed IDR NALU
    `;
    const tag = parseVideoTag(payload);
    expect(tag).toMatchObject({ frameType: 1, isKeyframe: true, isSequenceHeader: false, packetType: 1, compositionTime: 66 });
    expect(tag.body).toStrictEqual(hex`00 00 00 02 65 88`);
    expect(tag.tracks).toStrictEqual([{ trackId: 0, codec: 7, compositionTime: 66, body: tag.body }]);
    expect(buildAvcVideoFrame({ keyframe: true, compositionTime: 66, data: hex`00 00 00 02 65 88` })).toStrictEqual(payload);
  });

  it('reads a negative SI24 composition time on an inter frame', () => {
    const payload = hex`27 01 ff ff fe  00 00 00 01 41   # inter | AVC, NALU, cts -2`;
    expect(parseVideoTag(payload)).toMatchObject({ frameType: 2, isKeyframe: false, compositionTime: -2 });
    expect(buildAvcVideoFrame({ keyframe: false, compositionTime: -2, data: hex`00 00 00 01 41` })).toStrictEqual(payload);
  });

  it('reads the cts field as 0 on a sequence header even when it is not zero', () => {
    expect(parseVideoTag(hex`17 00 00 00 05 01`).compositionTime).toBe(0);
  });

  it('reads an AVC end of sequence', () => {
    const tag = parseVideoTag(hex`17 02 00 00 00   # key | AVC, end of sequence`);
    expect(tag).toMatchObject({ packetType: 2, isSequenceHeader: false, body: Buffer.alloc(0) });
    expect(buildAvcEndOfSequence()).toStrictEqual(hex`17 02 00 00 00`);
  });

  it('reads a non-AVC codec as header byte + body (Sorenson H.263 inter frame)', () => {
    expect(parseVideoTag(hex`22 aa bb   # inter | H.263`)).toMatchObject({ frameType: 2, codec: 2, packetType: undefined, isKeyframe: false, body: hex`aa bb` });
  });

  it('reads a generated key frame as a key frame', () => {
    expect(parseVideoTag(hex`47 01 00 00 00`).isKeyframe).toBe(true);
  });

  it('reads a command frame: one VideoCommand byte, no tracks', () => {
    const tag = parseVideoTag(hex`57 00   # command frame | AVC, start of seek`);
    expect(tag).toMatchObject({ frameType: 5, command: VideoCommand.StartSeek, codec: 7, tracks: [], isKeyframe: false, packetType: undefined });
    expect(encodeLegacyVideoTag({ frameType: 5, codecId: 7, command: 0 })).toStrictEqual(hex`57 00`);
  });
});

describe('Enhanced RTMP video tags (spec examples)', () => {
  it("reads 0x90 'hvc1' <hvcC>: a HEVC sequence start", () => {
    const payload = hex`
      90            # IsExHeader | key frame | SequenceStart
      68 76 63 31   # FourCC "hvc1"
      01 01 60 00   # HEVCDecoderConfigurationRecord (start)
    `;
    const tag = parseVideoTag(payload);
    expect(tag).toMatchObject({ isExHeader: true, frameType: 1, packetType: 0, codec: 'hvc1', isKeyframe: true, isSequenceHeader: true, compositionTime: 0 });
    expect(tag.body).toStrictEqual(hex`01 01 60 00`);
    expect(buildExVideoSequenceStart('hvc1', hex`01 01 60 00`)).toStrictEqual(payload);
  });

  it("reads 0x91 'hvc1' <cts> <NALUs>: CodedFrames with an SI24 composition time", () => {
    const payload = hex`
      91            # IsExHeader | key frame | CodedFrames
      68 76 63 31   # "hvc1"
      00 00 21      # cts 33
      00 00 00 02 26 01   # length-prefixed NALU
    `;
    const tag = parseVideoTag(payload);
    expect(tag).toMatchObject({ packetType: 1, codec: 'hvc1', compositionTime: 33, isKeyframe: true, isSequenceHeader: false });
    expect(tag.body).toStrictEqual(hex`00 00 00 02 26 01`);
    expect(isViewOf(tag.body, payload)).toBe(true);
    expect(buildExVideoCodedFrames({ fourCc: 'hvc1', keyframe: true, compositionTime: 33, data: tag.body })).toStrictEqual(payload);
  });

  it("reads 0xA3 'hvc1' <NALUs>: CodedFramesX, cts left out and taken as 0", () => {
    const payload = hex`
      a3            # IsExHeader | inter frame | CodedFramesX
      68 76 63 31   # "hvc1"
      00 00 00 02 02 01   # NALU (no cts before it)
    `;
    const tag = parseVideoTag(payload);
    expect(tag).toMatchObject({ frameType: 2, packetType: 3, compositionTime: 0, isKeyframe: false });
    expect(tag.body).toStrictEqual(hex`00 00 00 02 02 01`);
    expect(buildExVideoCodedFrames({ fourCc: 'hvc1', keyframe: false, data: tag.body })).toStrictEqual(payload);
  });

  it("reads 0x91 'av01' <OBUs>: AV1 CodedFrames have no cts", () => {
    const tag = parseVideoTag(hex`91 61 76 30 31  12 00 0a 0b   # "av01", OBUs`);
    expect(tag).toMatchObject({ codec: 'av01', compositionTime: 0, body: hex`12 00 0a 0b` });
    expect(buildExVideoCodedFrames({ fourCc: 'av01', keyframe: true, data: hex`12 00 0a 0b` })).toStrictEqual(hex`91 61 76 30 31 12 00 0a 0b`);
  });

  it('reads SequenceEnd, and MPEG2TSSequenceStart as a sequence header', () => {
    expect(parseVideoTag(hex`92 68 76 63 31   # SequenceEnd "hvc1"`)).toMatchObject({ packetType: 2, isSequenceHeader: false, body: Buffer.alloc(0) });
    expect(buildExVideoSequenceEnd('hvc1')).toStrictEqual(hex`92 68 76 63 31`);
    expect(parseVideoTag(hex`95 61 76 30 31 80 04   # MPEG2TSSequenceStart "av01", descriptor`)).toMatchObject({ packetType: 5, isSequenceHeader: true, codec: 'av01' });
  });

  it('reads a Metadata packet: AMF body, frame type ignored (never a key frame)', () => {
    const payload = hex`
      94                              # IsExHeader | frame type 1 (ignored) | Metadata
      68 76 63 31                     # "hvc1"
      02 00 09 63 6f 6c 6f 72 49 6e 66 6f   # AMF0 string "colorInfo"
      03 00 00 09                     # AMF0 empty object
    `;
    const tag = parseVideoTag(payload);
    expect(tag).toMatchObject({ packetType: VideoPacketType.Metadata, isKeyframe: false, command: undefined });
    expect(tag.body).toStrictEqual(payload.subarray(5));
    expect(decodeVideoMetadata(tag.body)).toStrictEqual([{ name: COLOR_INFO, value: {} }]);
    // Frame type 5 with Metadata is still metadata, not a command.
    expect(parseVideoTag(Buffer.concat([hex`d4`, payload.subarray(1)]))).toMatchObject({ frameType: 5, packetType: 4, command: undefined, codec: 'hvc1' });
  });

  it('reads an Enhanced RTMP command frame: no FourCC, one VideoCommand byte', () => {
    const tag = parseVideoTag(hex`d0 01   # IsExHeader | command frame | packet type 0; EndSeek`);
    expect(tag).toMatchObject({ isExHeader: true, frameType: 5, command: VideoCommand.EndSeek, codec: undefined, tracks: [] });
    expect(encodeExVideoTag({ frameType: 5, packetType: 0, command: 1 })).toStrictEqual(hex`d0 01`);
  });

  it('reads a ModEx TimestampOffsetNano block before the packet type', () => {
    const payload = hex`
      97            # IsExHeader | key frame | ModEx
      02            # ModEx data size - 1: 3 bytes
      07 a1 20      # UI24 500,000 ns
      01            # ModExType 0 (TimestampOffsetNano) | next packet type 1 (CodedFrames)
      61 76 63 31   # "avc1"
      00 00 00      # cts 0
      aa            # body
    `;
    const tag = parseVideoTag(payload);
    expect(tag).toMatchObject({ packetType: 1, codec: 'avc1', timestampOffsetNano: 500_000, compositionTime: 0, body: hex`aa` });
    expect(tag.modEx).toStrictEqual([{ type: ModExType.TimestampOffsetNano, data: hex`07 a1 20` }]);
    expect(encodeExVideoTag({ frameType: 1, packetType: 1, timestampOffsetNano: 500_000, tracks: [{ fourCc: 'avc1', body: hex`aa` }] })).toStrictEqual(payload);
  });

  it('switches the ModEx size to UI16 + 1 when UI8 + 1 reaches 256', () => {
    const data = Buffer.alloc(300, 0x33);
    const payload = Buffer.concat([
      hex`97            # ModEx`,
      hex`ff 01 2b      # 0xff + 1 = 256, so read UI16 0x012b + 1 = 300`,
      data,
      hex`53            # ModExType 5 (unknown) | next packet type 3 (CodedFramesX)`,
      hex`61 76 63 31 bb   # "avc1", body`,
    ]);
    const tag = parseVideoTag(payload);
    expect(tag).toMatchObject({ packetType: 3, timestampOffsetNano: 0, body: hex`bb` });
    expect(tag.modEx).toStrictEqual([{ type: 5, data }]);
    expect(encodeExVideoTag({ frameType: 1, packetType: 3, modEx: [{ type: 5, data }], tracks: [{ fourCc: 'avc1', body: hex`bb` }] })).toStrictEqual(payload);
  });

  it('uses one UI8 size for exactly 255 bytes and the UI16 form for 256', () => {
    const sized = (size: number) => encodeExVideoTag({ frameType: 1, packetType: 2, modEx: [{ type: 1, data: Buffer.alloc(size) }], tracks: [{ fourCc: 'av01' }] });
    expect(sized(255).subarray(0, 2)).toStrictEqual(hex`97 fe`);
    expect(sized(256).subarray(0, 4)).toStrictEqual(hex`97 ff 00 ff`);
    expect(parseVideoTag(sized(256)).modEx[0]!.data).toHaveLength(256);
    expect(parseVideoTag(sized(65536)).modEx[0]!.data).toHaveLength(65536);
  });
});

describe('video Metadata bodies', () => {
  it('round-trips an HDR colorInfo object', () => {
    const colorInfo = {
      colorConfig: { bitDepth: 10, colorPrimaries: 9, transferCharacteristics: 16, matrixCoefficients: 9 },
      hdrCll: { maxFall: 400, maxCLL: 1000 },
    };
    const body = encodeVideoMetadata([{ name: COLOR_INFO, value: colorInfo }]);
    const payload = encodeExVideoTag({ frameType: 1, packetType: VideoPacketType.Metadata, tracks: [{ fourCc: 'hvc1', body }] });
    expect(decodeVideoMetadata(parseVideoTag(payload).body)).toStrictEqual([{ name: 'colorInfo', value: colorInfo }]);
  });

  it('reads colorInfo undefined (the reset)', () => {
    expect(decodeVideoMetadata(hex`02 00 09 63 6f 6c 6f 72 49 6e 66 6f  06   # "colorInfo", undefined`)).toStrictEqual([{ name: 'colorInfo', value: undefined }]);
  });

  it('rejects an odd number of values and a name that is not a string', () => {
    expect(() => decodeVideoMetadata(hex`02 00 01 61`)).toThrow(RtmpProtocolError);
    expect(() => decodeVideoMetadata(hex`05 05`)).toThrow(RtmpProtocolError);
    expect(() => decodeVideoMetadata(hex`05 05 05 05`, { maxValues: 3 })).toThrow(LimitExceededError);
  });
});

describe('Enhanced RTMP multitrack video', () => {
  it('reads OneTrack: a track id, then the body to the end', () => {
    const tag = parseVideoTag(hex`
      96            # IsExHeader | key | Multitrack
      01            # OneTrack | CodedFrames
      61 76 63 31   # "avc1" for all tracks
      05            # track id 5
      00 00 10      # cts 16
      cc dd         # body
    `);
    expect(tag).toMatchObject({ multitrackType: 0, packetType: 1, codec: 'avc1', compositionTime: 16 });
    expect(tag.tracks).toStrictEqual([{ trackId: 5, codec: 'avc1', compositionTime: 16, body: hex`cc dd` }]);
  });

  it('reads ManyTracks: one FourCC, then id and UI24 size per track', () => {
    const tag = parseVideoTag(hex`
      96            # IsExHeader | key | Multitrack
      11            # ManyTracks | CodedFrames
      68 76 63 31   # "hvc1"
      00 00 00 05   # track 0, 5 bytes
      00 00 01 aa bb      # cts 1, body
      01 00 00 04   # track 1, 4 bytes
      ff ff ff cc         # cts -1, body
    `);
    expect(tag.tracks).toStrictEqual([
      { trackId: 0, codec: 'hvc1', compositionTime: 1, body: hex`aa bb` },
      { trackId: 1, codec: 'hvc1', compositionTime: -1, body: hex`cc` },
    ]);
    expect(tag).toMatchObject({ multitrackType: 1, compositionTime: 1, body: hex`aa bb` });
  });

  it('reads ManyTracksManyCodecs: a FourCC per track', () => {
    const payload = hex`
      96            # IsExHeader | key | Multitrack
      20            # ManyTracksManyCodecs | SequenceStart
      61 76 63 31  00  00 00 03  01 02 03   # "avc1", track 0, 3 bytes of avcC
      61 76 30 31  01  00 00 02  81 04      # "av01", track 1, 2 bytes of av1C
    `;
    const tag = parseVideoTag(payload);
    expect(tag).toMatchObject({ multitrackType: 2, packetType: 0, isSequenceHeader: true });
    expect(tag.tracks.map(({ trackId, codec, body }) => [trackId, codec, body])).toStrictEqual([
      [0, 'avc1', hex`01 02 03`],
      [1, 'av01', hex`81 04`],
    ]);
    expect(tag.tracks.every((track) => isViewOf(track.body, payload))).toBe(true);
    expect(
      encodeExVideoTag({
        frameType: 1,
        packetType: 0,
        multitrackType: 2,
        tracks: [
          { trackId: 0, fourCc: 'avc1', body: hex`01 02 03` },
          { trackId: 1, fourCc: 'av01', body: hex`81 04` },
        ],
      }),
    ).toStrictEqual(payload);
  });

  it('ignores the frame type of multitrack Metadata too', () => {
    const tag = parseVideoTag(hex`
      86            # IsExHeader | frame type 0 (reserved, but ignored for Metadata) | Multitrack
      04            # OneTrack | Metadata
      68 76 63 31   # "hvc1"
      03            # track 3
      02 00 09 63 6f 6c 6f 72 49 6e 66 6f  06   # "colorInfo", undefined
    `);
    expect(tag).toMatchObject({ frameType: 0, packetType: 4, isKeyframe: false, multitrackType: 0 });
    expect(decodeVideoMetadata(tag.tracks[0]!.body)).toStrictEqual([{ name: 'colorInfo', value: undefined }]);
  });

  it('reads ModEx in front of Multitrack', () => {
    const tag = parseVideoTag(hex`
      97  02 00 00 64  06   # ModEx: 100 ns, then Multitrack
      03  61 76 30 31       # OneTrack | CodedFramesX, "av01"
      02  ee                # track 2, body
    `);
    expect(tag).toMatchObject({ timestampOffsetNano: 100, multitrackType: 0, packetType: 3 });
    expect(tag.tracks).toStrictEqual([{ trackId: 2, codec: 'av01', compositionTime: 0, body: hex`ee` }]);
  });
});

describe('video tag errors', () => {
  it.each<[string, Buffer]>([
    ['an empty payload', hex``],
    ['a legacy AVC tag cut before its cts', hex`17 01 00`],
    ['an unknown AVCPacketType', hex`17 03 00 00 00`],
    ['a legacy command frame without its command', hex`57`],
    ['legacy frame type 0', hex`07 01 00 00 00`],
    ['Enhanced frame type 6', hex`e1 68 76 63 31`],
    ['a cut FourCC', hex`90 68 76`],
    ['reserved packet type 8', hex`98 68 76 63 31`],
    ['CodedFrames of hvc1 without its cts', hex`91 68 76 63 31 00`],
    ['Multitrack inside Multitrack', hex`96 06 68 76 63 31`],
    ['ModEx inside Multitrack', hex`96 07 68 76 63 31`],
    ['reserved AvMultitrackType 3', hex`96 31 68 76 63 31 00`],
    ['a track size past the end', hex`96 11 68 76 63 31 00 00 00 09 00 00 00`],
    ['ManyTracks cut inside a track header', hex`96 13 68 76 63 31 00 00`],
    ['TimestampOffsetNano data shorter than 3 bytes', hex`97 01 aa bb 01 61 76 63 31 00 00 00`],
    ['ModEx data past the end', hex`97 10 aa`],
    ['an Enhanced command frame without its command', hex`d0`],
  ])('rejects %s with RtmpProtocolError', (_name, payload) => {
    expect(() => parseVideoTag(payload)).toThrow(RtmpProtocolError);
  });

  it(`stops at maxTracks (default ${DEFAULT_MAX_MEDIA_TRACKS})`, () => {
    const tracks = (count: number) => encodeExVideoTag({ frameType: 1, packetType: 3, multitrackType: 1, tracks: Array.from({ length: count }, (_, trackId) => ({ trackId, fourCc: 'av01' })) });
    expect(parseVideoTag(tracks(DEFAULT_MAX_MEDIA_TRACKS)).tracks).toHaveLength(DEFAULT_MAX_MEDIA_TRACKS);
    expect(() => parseVideoTag(tracks(DEFAULT_MAX_MEDIA_TRACKS + 1))).toThrow(LimitExceededError);
    expect(() => parseVideoTag(tracks(3), { maxTracks: 2 })).toThrow(expect.objectContaining({ limit: 'maxTracks', value: 2 }));
  });

  it(`stops at maxModExEntries (default ${DEFAULT_MAX_MODEX_ENTRIES})`, () => {
    const chain = (count: number) => encodeExVideoTag({ frameType: 1, packetType: 2, modEx: Array.from({ length: count }, () => ({ type: 3, data: hex`00` })), tracks: [{ fourCc: 'av01' }] });
    expect(parseVideoTag(chain(DEFAULT_MAX_MODEX_ENTRIES)).modEx).toHaveLength(DEFAULT_MAX_MODEX_ENTRIES);
    expect(() => parseVideoTag(chain(DEFAULT_MAX_MODEX_ENTRIES + 1))).toThrow(LimitExceededError);
    expect(() => parseVideoTag(chain(2), { maxModExEntries: 1 })).toThrow(expect.objectContaining({ limit: 'maxModExEntries' }));
  });

  it('refuses to write a composition time where the format has none', () => {
    expect(() => buildExVideoCodedFrames({ fourCc: 'av01', keyframe: true, compositionTime: 5, data: hex`00` })).toThrow(RangeError);
  });
});

describe('video tag round trips', () => {
  it('parseVideoTag(encodeExVideoTag(init)) gives back every field', () => {
    fc.assert(
      fc.property(exVideoTagInit, (init) => {
        const tag: VideoTag = parseVideoTag(encodeExVideoTag(init));
        expect(tag.isExHeader).toBe(true);
        expect(tag.frameType).toBe(init.frameType);
        expect(tag.packetType).toBe(init.packetType);
        expect(tag.command).toBe(init.command);
        expect(tag.multitrackType).toBe(init.multitrackType);
        expect(tag.timestampOffsetNano).toBe(init.timestampOffsetNano ?? 0);
        if (init.modEx !== undefined) expect(tag.modEx).toStrictEqual(init.modEx);
        const expectedTracks = (init.tracks ?? []).map((track) => ({ trackId: track.trackId, codec: track.fourCc, compositionTime: track.compositionTime, body: track.body }));
        expect(tag.tracks).toStrictEqual(expectedTracks);
      }),
      { numRuns: 300 },
    );
  });

  it('parses legacy AVC tags written by encodeLegacyVideoTag', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 2 }), fc.integer({ min: -0x800000, max: 0x7fffff }), fc.uint8Array({ maxLength: 16 }), (frameType, packetType, cts, body) => {
        const compositionTime = packetType === 1 ? cts : 0;
        const tag = parseVideoTag(encodeLegacyVideoTag({ frameType, codecId: 7, packetType, compositionTime, body }));
        expect(tag).toMatchObject({ frameType, codec: 7, packetType, compositionTime, isSequenceHeader: packetType === 0 });
        expect(tag.body).toStrictEqual(Buffer.from(body));
      }),
      { numRuns: 100 },
    );
  });
});
