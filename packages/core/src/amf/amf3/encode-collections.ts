import { AmfEncodeError } from '../../errors/index.js';
import type { AmfObject, AmfValue, AmfVector } from '../amf-value.js';
import type { Amf3Encoder } from './amf3-encoder.js';
import { Amf3Marker } from './amf3-markers.js';
import { AMF3_WEAK_KEYS, type Amf3Dictionary } from './amf3-weak-keys.js';
import { isInt29, writeInlineHeader } from './u29.js';

/**
 * Writes a JavaScript Array as an AMF3 array (0x09). The dense part is the elements up to the
 * first hole; later elements and non-index own keys go in the associative part, as Flash
 * sends sparse arrays. (Trailing holes are not sent, so the length shrinks to the last element.)
 */
export function writeArray(encoder: Amf3Encoder, array: readonly AmfValue[]): void {
  const writer = encoder.writer;
  writer.u8(Amf3Marker.Array);
  if (encoder.writeReferenceOrRecord(array)) return;
  let denseCount = 0;
  while (denseCount < array.length && denseCount in array) denseCount++;
  writeInlineHeader(writer, denseCount, 'Array');
  encoder.enter('array');
  const keys = Object.keys(array);
  // Own keys list the indices first, ascending; the first `denseCount` are exactly 0..denseCount-1.
  for (let i = denseCount; i < keys.length; i++) {
    writeAssociative(encoder, keys[i]!, (array as unknown as Record<string, AmfValue>)[keys[i]!]);
  }
  writer.u8(0x01);
  for (let i = 0; i < denseCount; i++) encoder.writeValue(array[i]);
  encoder.leave();
}

/** An object marked `[AMF_ECMA_ARRAY]` (AMF0's ECMA array) becomes an array with only an associative part. */
export function writeEcmaArray(encoder: Amf3Encoder, value: AmfObject): void {
  const writer = encoder.writer;
  writer.u8(Amf3Marker.Array);
  if (encoder.writeReferenceOrRecord(value)) return;
  writer.u8(0x01);
  encoder.enter('array');
  for (const key of Object.keys(value)) writeAssociative(encoder, key, value[key]);
  writer.u8(0x01);
  encoder.leave();
}

function writeAssociative(encoder: Amf3Encoder, key: string, value: AmfValue): void {
  if (key === '') throw new AmfEncodeError('an array key cannot be "" in AMF3 (it ends the associative part)');
  encoder.writeString(key);
  encoder.writeValue(value);
}

const VECTOR_MARKERS = {
  int: Amf3Marker.VectorInt,
  uint: Amf3Marker.VectorUint,
  double: Amf3Marker.VectorDouble,
  object: Amf3Marker.VectorObject,
} as const;

/** Writes an `AmfVector` (0x0D–0x10). Items of int/uint vectors must fit 32 bits. */
export function writeVector(encoder: Amf3Encoder, vector: AmfVector): void {
  const writer = encoder.writer;
  const marker = VECTOR_MARKERS[vector.kind];
  if (marker === undefined) throw new AmfEncodeError(`unknown AmfVector kind '${String(vector.kind)}'`);
  writer.u8(marker);
  if (encoder.writeReferenceOrRecord(vector)) return;
  const items = vector.items;
  writeInlineHeader(writer, items.length, 'Vector');
  writer.u8(vector.fixed ? 1 : 0);
  switch (vector.kind) {
    case 'int':
      for (const item of items) writer.i32(checkedInteger(item, -0x80000000, 0x7fffffff, 'int'));
      return;
    case 'uint':
      for (const item of items) writer.u32(checkedInteger(item, 0, 0xffffffff, 'uint'));
      return;
    case 'double':
      for (const item of items) {
        if (typeof item !== 'number') throw new AmfEncodeError(`Vector.<Number> item ${String(item)} is not a number`);
        writer.f64(item);
      }
      return;
    case 'object':
      if (typeof vector.typeName !== 'string') throw new AmfEncodeError('a Vector.<Object> type name must be a string');
      encoder.writeString(vector.typeName);
      encoder.enter('Vector.<Object>');
      for (const item of items) encoder.writeValue(item);
      encoder.leave();
  }
}

function checkedInteger(item: AmfValue, min: number, max: number, kind: string): number {
  if (typeof item !== 'number' || !Number.isInteger(item) || item < min || item > max) {
    throw new AmfEncodeError(`Vector.<${kind}> item ${String(item)} is not an integer in ${min}..${max}`);
  }
  return item;
}

/**
 * Writes a `Map` as a Dictionary (0x11). As Flash does, number keys that are integers
 * (in the AMF3 integer range) are written as their base-10 strings.
 */
export function writeDictionary(encoder: Amf3Encoder, map: Amf3Dictionary<AmfValue, AmfValue>): void {
  const writer = encoder.writer;
  writer.u8(Amf3Marker.Dictionary);
  if (encoder.writeReferenceOrRecord(map)) return;
  writeInlineHeader(writer, map.size, 'Dictionary');
  writer.u8(map[AMF3_WEAK_KEYS] === true ? 1 : 0);
  encoder.enter('Dictionary');
  for (const [key, value] of map) {
    encoder.writeValue(typeof key === 'number' && isInt29(key) ? String(key) : key);
    encoder.writeValue(value);
  }
  encoder.leave();
}
