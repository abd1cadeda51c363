import { ByteReader } from '../../bytes/index.js';
import { RtmpProtocolError } from '../../errors/index.js';
import { checkLimit } from '../limits.js';
import { fourCcFromNumber } from './fourcc.js';
import { AvMultitrackType, ModExType } from './media-constants.js';

/** One ModEx block of an Enhanced RTMP audio or video tag: its type and data (a view). */
export interface ModExEntry {
  /** The ModEx type (high nibble of the byte after the data); see `ModExType`. */
  type: number;
  /** The 1..65536 data bytes. */
  data: Buffer;
}

/** What the ModEx chain at the start of an Enhanced RTMP tag said. */
export interface ModExChain {
  /** The packet type that follows the chain (the low nibble of its last byte). */
  packetType: number;
  entries: ModExEntry[];
  /** From a TimestampOffsetNano entry (the last one wins), else 0. */
  timestampOffsetNano: number;
}

/**
 * Reads ModEx blocks while the packet type is ModEx: size = UI8 + 1, or UI16 + 1 when that gave
 * 256; then the data; then a byte `ModExType(4) | next PacketType(4)`.
 */
export function readModExChain(reader: ByteReader, packetType: number, modExPacketType: number, maxEntries: number): ModExChain {
  const entries: ModExEntry[] = [];
  let timestampOffsetNano = 0;
  while (packetType === modExPacketType) {
    checkLimit('maxModExEntries', maxEntries, entries.length + 1, 'ModEx blocks in one media message');
    let size = reader.u8() + 1;
    if (size === 256) size = reader.u16() + 1;
    const data = reader.bytes(size);
    const next = reader.u8();
    const type = next >> 4;
    packetType = next & 0x0f;
    if (type === ModExType.TimestampOffsetNano) {
      if (data.length < 3) {
        throw new RtmpProtocolError(`TimestampOffsetNano ModEx data must be at least 3 bytes, got ${data.length}`);
      }
      timestampOffsetNano = (data[0]! << 16) | (data[1]! << 8) | data[2]!;
    }
    entries.push({ type, data });
  }
  return { packetType, entries, timestampOffsetNano };
}

/** The multitrack byte after a Multitrack packet type: `AvMultitrackType(4) | PacketType(4)`. */
export interface MultitrackHeader {
  multitrackType: number;
  packetType: number;
}

/** Reads the multitrack byte and rejects reserved types and nested Multitrack/ModEx packet types. */
export function readMultitrackHeader(reader: ByteReader, multitrackPacketType: number, modExPacketType: number): MultitrackHeader {
  const byte = reader.u8();
  const multitrackType = byte >> 4;
  const packetType = byte & 0x0f;
  if (multitrackType > AvMultitrackType.ManyTracksManyCodecs) {
    throw new RtmpProtocolError(`reserved AvMultitrackType ${multitrackType}`);
  }
  if (packetType === multitrackPacketType || packetType === modExPacketType) {
    throw new RtmpProtocolError(`a multitrack packet type must not be Multitrack or ModEx, got ${packetType}`);
  }
  return { multitrackType, packetType };
}

/** Reads a UI32 FourCC as its four characters. */
export function readFourCc(reader: ByteReader): string {
  return fourCcFromNumber(reader.u32());
}

/**
 * Walks the tracks of an Enhanced RTMP tag body. Without multitrack there is one track (id 0)
 * running to the end. With it, each track has `[FourCC if ManyTracksManyCodecs] trackId UI8
 * [sizeOfTrack UI24 unless OneTrack]`, and tracks follow one another until the message ends.
 * `readTrack` gets a reader bounded to the track's bytes.
 */
export function readExTracks<T>(
  reader: ByteReader,
  multitrackType: number | undefined,
  sharedFourCc: string | undefined,
  maxTracks: number,
  readTrack: (track: ByteReader, trackId: number, fourCc: string) => T,
): T[] {
  const tracks: T[] = [];
  do {
    checkLimit('maxTracks', maxTracks, tracks.length + 1, 'tracks in one media message');
    let fourCc = sharedFourCc;
    let trackId = 0;
    let end = reader.end;
    if (multitrackType !== undefined) {
      if (multitrackType === AvMultitrackType.ManyTracksManyCodecs) fourCc = readFourCc(reader);
      trackId = reader.u8();
      if (multitrackType !== AvMultitrackType.OneTrack) {
        const size = reader.u24();
        if (size > reader.remaining) {
          throw new RtmpProtocolError(`track ${trackId} says ${size} bytes but only ${reader.remaining} are left`);
        }
        end = reader.offset + size;
      }
    }
    tracks.push(readTrack(new ByteReader(reader.buffer, reader.offset, end), trackId, fourCc!));
    reader.offset = end;
  } while (multitrackType !== undefined && multitrackType !== AvMultitrackType.OneTrack && reader.remaining > 0);
  return tracks;
}
