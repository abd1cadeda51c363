import { ascii, hex } from './hex.js';

/**
 * A complete three-tag FLV file, byte by byte. Offsets: header 0, PreviousTagSize0 9, tag 1 at
 * 13 (11 + 40 bytes), its back pointer at 64, tag 2 at 68 (11 + 4), back pointer 83, tag 3 at 87
 * (11 + 7), back pointer 105, end 109.
 */
export const SMALL_FILE = hex`
  46 4c 56 01 05 00 00 00 09      # "FLV", version 1, audio+video, DataOffset 9
  00 00 00 00                     # PreviousTagSize0
  # tag 1 at 13: script data, 40-byte body, timestamp 0
  12 00 00 28 00 00 00 00 00 00 00
  02 00 0a ${ascii('onMetaData')}  # AMF0 string "onMetaData"
  08 00 00 00 01                  # ECMA array, count hint 1
  00 08 ${ascii('duration')} 00 40 0c 00 00 00 00 00 00   # duration: 3.5
  00 00 09                        # end of array
  00 00 00 33                     # back pointer 11 + 40 = 51
  # tag 2 at 68: audio, 4-byte body, timestamp 0
  08 00 00 04 00 00 00 00 00 00 00
  af 00 12 08                     # AAC sequence header (AudioSpecificConfig 12 08)
  00 00 00 0f                     # 11 + 4 = 15
  # tag 3 at 87: video, 7-byte body, timestamp 0x01020304 (low 24 bits 020304, extension byte 01)
  09 00 00 07 02 03 04 01 00 00 00
  17 01 00 00 00 aa bb            # AVC key frame, NALU packet, cts 0, data aa bb
  00 00 00 12                     # 11 + 7 = 18
`;

/** Where each tag of `SMALL_FILE` starts, and where the file ends. */
export const SMALL_FILE_TAG_OFFSETS = [13, 68, 87];
export const SMALL_FILE_TAG_ENDS = [68, 87, 109];

/** The tags of `SMALL_FILE` as the reader should give them (payloads as hex). */
export const SMALL_FILE_TAGS = [
  { type: 18, timestamp: 0, streamId: 0, offset: 13, payload: SMALL_FILE.subarray(24, 64).toString('hex') },
  { type: 8, timestamp: 0, streamId: 0, offset: 68, payload: 'af001208' },
  { type: 9, timestamp: 0x01020304, streamId: 0, offset: 87, payload: '17010000' + '00aabb' },
];
