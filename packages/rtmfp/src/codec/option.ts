import { ByteReader, ByteWriter, RtmpProtocolError } from '@rtmpkit/core';
import { readVlu, vluLength, writeVlu, encodeVlu } from './vlu.js';

/** One option of an option list (RFC 7016 §2.1.3): a VLU type and a value. */
export interface RtmfpOption {
  readonly type: number;
  /** A view of the value bytes inside the decoded input. */
  readonly value: Buffer;
}

/** An option list as read: its options, and where its first marker was, if any. */
export interface OptionList {
  readonly options: RtmfpOption[];
  /**
   * Offset just past the first marker (a zero-length option), relative to the list's start;
   * undefined when the list has no marker. A certificate's canonical part ends here.
   */
  readonly markerEnd: number | undefined;
}

/** Writes one option: `VLU(length of type + value) | VLU(type) | value`. */
export function writeOption(writer: ByteWriter, type: number, value: Uint8Array = new Uint8Array(0)): void {
  writeVlu(writer, vluLength(type) + value.length);
  writeVlu(writer, type);
  writer.bytes(value);
}

/** One option as bytes. */
export function encodeOption(type: number, value?: Uint8Array): Buffer {
  const writer = new ByteWriter(8 + (value?.length ?? 0));
  writeOption(writer, type, value);
  return writer.finish();
}

/** An option whose value is one VLU (a DH group id, a flow id). */
export function encodeVluOption(type: number, value: number): Buffer {
  return encodeOption(type, encodeVlu(value));
}

/** Writes the marker that ends an option list: a single `00`. */
export function writeMarker(writer: ByteWriter): void {
  writer.u8(0);
}

/**
 * Reads options until a marker (when `untilMarker`) or to the reader's end. A marker met with
 * `untilMarker` false is recorded in `markerEnd` and skipped. Throws `TruncatedInputError` or
 * `RtmpProtocolError` for lengths that run past the end or an option missing its type.
 */
export function readOptionList(reader: ByteReader, untilMarker: boolean): OptionList {
  const start = reader.offset;
  const options: RtmfpOption[] = [];
  let markerEnd: number | undefined;
  while (reader.remaining > 0) {
    const length = readVlu(reader);
    if (length === 0) {
      markerEnd ??= reader.offset - start;
      if (untilMarker) return { options, markerEnd };
      continue;
    }
    const field = new ByteReader(reader.bytes(length));
    const type = readVlu(field);
    options.push({ type, value: field.buffer.subarray(field.offset) });
  }
  if (untilMarker) throw new RtmpProtocolError('option list has no end marker');
  return { options, markerEnd };
}

/** Decodes a whole field as an option list that runs to its end (markers are skipped). */
export function decodeOptionList(bytes: Uint8Array): OptionList {
  return readOptionList(new ByteReader(bytes), false);
}

/** Encodes options in order, optionally closed by a marker. */
export function encodeOptionList(options: readonly { type: number; value: Uint8Array }[], marker = false): Buffer {
  const writer = new ByteWriter(64);
  for (const option of options) writeOption(writer, option.type, option.value);
  if (marker) writeMarker(writer);
  return writer.finish();
}
