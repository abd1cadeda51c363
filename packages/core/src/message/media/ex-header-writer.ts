import { ByteWriter } from '../../bytes/index.js';
import { assertIntegerInRange } from '../encode-checks.js';
import type { ModExEntry } from './ex-header.js';
import { fourCcToNumber } from './fourcc.js';
import { AvMultitrackType, ModExType } from './media-constants.js';

/** Largest ModEx data block: UI16 + 1. */
export const MAX_MODEX_DATA_SIZE = 0x10000;

/** The ModEx blocks to write: the given ones, or one TimestampOffsetNano block for `timestampOffsetNano`. */
export function modExEntriesFor(modEx: ModExEntry[] | undefined, timestampOffsetNano: number | undefined): ModExEntry[] {
  if (timestampOffsetNano === undefined) return modEx ?? [];
  if (modEx !== undefined && modEx.length > 0) throw new RangeError('give either modEx or timestampOffsetNano, not both');
  assertIntegerInRange('timestampOffsetNano', timestampOffsetNano, 0, 999_999);
  const data = Buffer.of(timestampOffsetNano >> 16, (timestampOffsetNano >> 8) & 0xff, timestampOffsetNano & 0xff);
  return [{ type: ModExType.TimestampOffsetNano, data }];
}

/**
 * Writes ModEx blocks (the packet type nibble in front of them must already say ModEx). Each
 * block: size - 1 as UI8, or 0xFF then size - 1 as UI16 from 256 up; the data; then
 * `type(4) | next packet type(4)`, where the next type is ModEx again until the last block.
 */
export function writeModExEntries(writer: ByteWriter, entries: ModExEntry[], nextPacketType: number, modExPacketType: number): void {
  entries.forEach((entry, index) => {
    assertIntegerInRange('ModEx data size', entry.data.length, 1, MAX_MODEX_DATA_SIZE);
    assertIntegerInRange('ModEx type', entry.type, 0, 15);
    if (entry.data.length < 256) {
      writer.u8(entry.data.length - 1);
    } else {
      writer.u8(0xff).u16(entry.data.length - 1);
    }
    writer.bytes(entry.data);
    const next = index < entries.length - 1 ? modExPacketType : nextPacketType;
    writer.u8((entry.type << 4) | next);
  });
}

/** A track to write: its id (0 by default), codec and already-built body. */
export interface ExTrackBytes {
  trackId?: number;
  fourCc: string;
  /** Everything after the track header (for video CodedFrames of avc1/hvc1/vvc1 this starts with the SI24 cts). */
  bytes: Uint8Array;
}

/**
 * Writes the FourCC(s) and tracks after the packet type. Without `multitrackType` exactly one track
 * is written as `FourCC body`; with it the multitrack byte must already be written, and each track
 * gets `[FourCC] trackId [UI24 size]` as `readExTracks` expects.
 */
export function writeExTracks(writer: ByteWriter, multitrackType: number | undefined, tracks: ExTrackBytes[]): void {
  if (multitrackType === undefined || multitrackType === AvMultitrackType.OneTrack) {
    if (tracks.length !== 1) throw new RangeError(`a single-track tag needs exactly one track, got ${tracks.length}`);
  } else if (tracks.length === 0) {
    throw new RangeError('a multitrack tag needs at least one track');
  }
  const manyCodecs = multitrackType === AvMultitrackType.ManyTracksManyCodecs;
  if (!manyCodecs) {
    const shared = tracks[0]!.fourCc;
    if (tracks.some((track) => track.fourCc !== shared)) {
      throw new RangeError('tracks with different codecs need multitrackType ManyTracksManyCodecs');
    }
    writer.u32(fourCcToNumber(shared));
  }
  for (const track of tracks) {
    if (multitrackType !== undefined) {
      if (manyCodecs) writer.u32(fourCcToNumber(track.fourCc));
      const trackId = track.trackId ?? 0;
      assertIntegerInRange('trackId', trackId, 0, 0xff);
      writer.u8(trackId);
      if (multitrackType !== AvMultitrackType.OneTrack) {
        assertIntegerInRange('track size', track.bytes.length, 0, 0xffffff);
        writer.u24(track.bytes.length);
      }
    }
    writer.bytes(track.bytes);
  }
}

/** Writes the multitrack byte `AvMultitrackType(4) | PacketType(4)`. */
export function writeMultitrackHeader(writer: ByteWriter, multitrackType: number, packetType: number): void {
  assertIntegerInRange('multitrackType', multitrackType, 0, AvMultitrackType.ManyTracksManyCodecs);
  writer.u8((multitrackType << 4) | packetType);
}

/** A writer sized for a header plus `bodyBytes`, so `finish()` does not keep a much larger buffer alive. */
export function sizedWriter(bodyBytes: number): ByteWriter {
  return new ByteWriter(bodyBytes + 64);
}
