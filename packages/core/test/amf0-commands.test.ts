import { describe, expect, it } from 'vitest';
import { AMF_ECMA_ARRAY, ecmaArray, type AmfObject, type AmfValue } from '../src/amf/amf-value.js';
import { createAmf0DecodeContext, decodeAmf0Values, encodeAmf0Values, readAmf0 } from '../src/amf/amf0/index.js';
import { ByteReader } from '../src/bytes/index.js';
import { TruncatedInputError } from '../src/errors/index.js';
import { hex, splits } from './helpers/hex.js';

// Built by hand, field by field, after the fact sheet §4.1 and FFmpeg's gen_connect order
// (player side: no "type", then fpad, capabilities, audioCodecs, videoCodecs, videoFunction).
const ffmpegPlayConnect = hex`
  02 00 07 63 6f 6e 6e 65 63 74              # String "connect"
  00 3f f0 00 00 00 00 00 00                 # Number 1: transaction id
  03                                         # Object: command object
    00 03 61 70 70                           #   "app"
    02 00 04 6c 69 76 65                     #   = "live"
    00 08 66 6c 61 73 68 56 65 72            #   "flashVer"
    02 00 0d 4c 4e 58 20 39 2c 30 2c 31 32 34 2c 32  # = "LNX 9,0,124,2"
    00 05 74 63 55 72 6c                     #   "tcUrl"
    02 00 1a 72 74 6d 70 3a 2f 2f 6c 6f 63 61 6c 68 6f 73 74 3a 31 39 33 35 2f 6c 69 76 65
                                             #   = "rtmp://localhost:1935/live"
    00 04 66 70 61 64                        #   "fpad"
    01 00                                    #   = false
    00 0c 63 61 70 61 62 69 6c 69 74 69 65 73   # "capabilities"
    00 40 2e 00 00 00 00 00 00               #   = 15
    00 0b 61 75 64 69 6f 43 6f 64 65 63 73   #   "audioCodecs"
    00 40 af ce 00 00 00 00 00               #   = 4071
    00 0b 76 69 64 65 6f 43 6f 64 65 63 73   #   "videoCodecs"
    00 40 6f 80 00 00 00 00 00               #   = 252
    00 0d 76 69 64 65 6f 46 75 6e 63 74 69 6f 6e  # "videoFunction"
    00 3f f0 00 00 00 00 00 00               #   = 1 (CLIENT_SEEK)
  00 00 09                                   # object end
`;

const ffmpegPlayConnectValues: AmfValue[] = [
  'connect',
  1,
  {
    app: 'live',
    flashVer: 'LNX 9,0,124,2',
    tcUrl: 'rtmp://localhost:1935/live',
    fpad: false,
    capabilities: 15,
    audioCodecs: 4071,
    videoCodecs: 252,
    videoFunction: 1,
  },
];

// Publisher side: "type": "nonprivate" after app, an FMLE flashVer, no player-only fields.
const ffmpegPublishConnect = hex`
  02 00 07 63 6f 6e 6e 65 63 74              # String "connect"
  00 3f f0 00 00 00 00 00 00                 # Number 1
  03                                         # Object
    00 03 61 70 70 02 00 04 6c 69 76 65      #   "app": "live"
    00 04 74 79 70 65                        #   "type"
    02 00 0a 6e 6f 6e 70 72 69 76 61 74 65   #   = "nonprivate"
    00 08 66 6c 61 73 68 56 65 72            #   "flashVer"
    02 00 23 46 4d 4c 45 2f 33 2e 30 20 28 63 6f 6d 70 61 74 69 62 6c 65 3b 20
       4c 61 76 66 36 31 2e 31 2e 31 30 30 29  # = "FMLE/3.0 (compatible; Lavf61.1.100)"
    00 05 74 63 55 72 6c                     #   "tcUrl"
    02 00 1a 72 74 6d 70 3a 2f 2f 6c 6f 63 61 6c 68 6f 73 74 3a 31 39 33 35 2f 6c 69 76 65
  00 00 09                                   # object end
`;

/** `@setDataFrame`, `onMetaData`, ECMA array, as a publisher sends it (fact sheet §4.3, §4.7). */
function setDataFrame(count: string): Buffer {
  return hex`
    02 00 0d 40 73 65 74 44 61 74 61 46 72 61 6d 65  # String "@setDataFrame"
    02 00 0a 6f 6e 4d 65 74 61 44 61 74 61           # String "onMetaData"
    08 ${count}                                      # ECMA array + U32 count
      00 08 64 75 72 61 74 69 6f 6e                  #   "duration"
      00 00 00 00 00 00 00 00 00                     #   = 0 (live)
      00 05 77 69 64 74 68                           #   "width"
      00 40 94 00 00 00 00 00 00                     #   = 1280
      00 06 68 65 69 67 68 74                        #   "height"
      00 40 86 80 00 00 00 00 00                     #   = 720
      00 0d 76 69 64 65 6f 64 61 74 61 72 61 74 65   #   "videodatarate"
      00 40 a3 88 00 00 00 00 00                     #   = 2500
      00 09 66 72 61 6d 65 72 61 74 65               #   "framerate"
      00 40 3e 00 00 00 00 00 00                     #   = 30
      00 0c 76 69 64 65 6f 63 6f 64 65 63 69 64      #   "videocodecid"
      00 40 1c 00 00 00 00 00 00                     #   = 7 (AVC)
      00 0d 61 75 64 69 6f 64 61 74 61 72 61 74 65   #   "audiodatarate"
      00 40 60 00 00 00 00 00 00                     #   = 128
      00 0f 61 75 64 69 6f 73 61 6d 70 6c 65 72 61 74 65  # "audiosamplerate"
      00 40 e5 88 80 00 00 00 00                     #   = 44100
      00 0f 61 75 64 69 6f 73 61 6d 70 6c 65 73 69 7a 65  # "audiosamplesize"
      00 40 30 00 00 00 00 00 00                     #   = 16
      00 06 73 74 65 72 65 6f                        #   "stereo"
      01 01                                          #   = true
      00 0c 61 75 64 69 6f 63 6f 64 65 63 69 64      #   "audiocodecid"
      00 40 24 00 00 00 00 00 00                     #   = 10 (AAC)
      00 07 65 6e 63 6f 64 65 72                     #   "encoder"
      02 00 0c 4c 61 76 66 36 31 2e 31 2e 31 30 30   #   = "Lavf61.1.100"
      00 08 66 69 6c 65 73 69 7a 65                  #   "filesize"
      00 00 00 00 00 00 00 00 00                     #   = 0
    00 00 09                                         # end
  `;
}

const onMetaData = ecmaArray({
  duration: 0,
  width: 1280,
  height: 720,
  videodatarate: 2500,
  framerate: 30,
  videocodecid: 7,
  audiodatarate: 128,
  audiosamplerate: 44100,
  audiosamplesize: 16,
  stereo: true,
  audiocodecid: 10,
  encoder: 'Lavf61.1.100',
  filesize: 0,
});

describe('a connect command body as FFmpeg sends it', () => {
  it('decodes the player connect field by field', () => {
    expect(decodeAmf0Values(ffmpegPlayConnect)).toStrictEqual(ffmpegPlayConnectValues);
  });

  it('encodes the same values to the same bytes', () => {
    expect(encodeAmf0Values(ffmpegPlayConnectValues).toString('hex')).toBe(ffmpegPlayConnect.toString('hex'));
  });

  it('round-trips the publisher connect byte for byte and keeps the property order', () => {
    const values = decodeAmf0Values(ffmpegPublishConnect);
    expect(Object.keys(values[2] as AmfObject)).toEqual(['app', 'type', 'flashVer', 'tcUrl']);
    expect((values[2] as AmfObject).flashVer).toBe('FMLE/3.0 (compatible; Lavf61.1.100)');
    expect(encodeAmf0Values(values)).toEqual(ffmpegPublishConnect);
  });

  it('reads the body one value at a time with readAmf0', () => {
    const reader = new ByteReader(ffmpegPublishConnect);
    const context = createAmf0DecodeContext();
    expect(readAmf0(reader, context)).toBe('connect');
    expect(readAmf0(reader, context)).toBe(1);
    expect((readAmf0(reader, context) as AmfObject).app).toBe('live');
    expect(reader.remaining).toBe(0);
  });

  it('decodes every cut of the body to whole leading values or TruncatedInputError', () => {
    // Value boundaries: after "connect" (10 bytes) and after the transaction id (19 bytes).
    const whole = decodeAmf0Values(ffmpegPlayConnect);
    const boundaries = new Map([
      [0, 0],
      [10, 1],
      [19, 2],
      [ffmpegPlayConnect.length, 3],
    ]);
    let cuts = 0;
    for (const parts of splits(ffmpegPlayConnect)) {
      if (parts.length !== 2) continue;
      const head = parts[0]!;
      const complete = boundaries.get(head.length);
      if (complete === undefined) {
        expect(() => decodeAmf0Values(head), `cut at ${head.length}`).toThrow(TruncatedInputError);
      } else {
        expect(decodeAmf0Values(head)).toStrictEqual(whole.slice(0, complete));
      }
      cuts++;
    }
    expect(cuts).toBe(ffmpegPlayConnect.length + 1);
  });
});

describe('an onMetaData data body', () => {
  it('decodes @setDataFrame, onMetaData and the ECMA array', () => {
    const [wrapper, name, metadata] = decodeAmf0Values(setDataFrame('00 00 00 0d  # count 13'));
    expect(wrapper).toBe('@setDataFrame');
    expect(name).toBe('onMetaData');
    expect(metadata).toStrictEqual(onMetaData);
    expect((metadata as AmfObject)[AMF_ECMA_ARRAY]).toBe(true);
  });

  it('decodes the same with a count of 0 and with a wrong count', () => {
    const zero = decodeAmf0Values(setDataFrame('00 00 00 00  # count 0'));
    const wrong = decodeAmf0Values(setDataFrame('00 00 00 02  # count 2, wrong'));
    expect(zero[2]).toStrictEqual(onMetaData);
    expect(wrong[2]).toStrictEqual(onMetaData);
  });

  it('encodes with the real count, byte for byte', () => {
    const bytes = encodeAmf0Values(['@setDataFrame', 'onMetaData', onMetaData]);
    expect(bytes.toString('hex')).toBe(setDataFrame('00 00 00 0d').toString('hex'));
  });

  it('re-encodes a body that came with count 0 with the real count', () => {
    const values = decodeAmf0Values(setDataFrame('00 00 00 00'));
    expect(encodeAmf0Values(values)).toEqual(setDataFrame('00 00 00 0d'));
  });
});
