import { AmfDecodeError } from '../../errors/index.js';
import { AmfVector, setOwnProperty, type AmfValue, type AmfVectorKind } from '../amf-value.js';
import type { Amf3Decoder } from './amf3-decoder.js';
import { Amf3Marker } from './amf3-markers.js';
import { AMF3_WEAK_KEYS, type Amf3Dictionary } from './amf3-weak-keys.js';
import { readU29 } from './u29.js';

/**
 * Reads the body of an array (0x09): the dense count, the associative part (string keys,
 * ended by the empty string), then the dense values. Associative keys become extra own
 * properties of the JavaScript Array; keys that are array indices (Flash's way of sending
 * sparse arrays) become elements.
 */
export function readArray(decoder: Amf3Decoder): AmfValue {
  const header = readU29(decoder.reader);
  if ((header & 1) === 0) return decoder.objectAt(header >>> 1);
  const denseCount = header >>> 1;
  const array: AmfValue[] = [];
  decoder.objects.push(array);
  decoder.enter('array');
  for (let key = decoder.readString(); key !== ''; key = decoder.readString()) {
    // Assigning `length` would truncate the array or throw a RangeError.
    if (key === 'length') throw new AmfDecodeError('an AMF3 array may not have an associative key named "length"');
    setOwnProperty(array, key, decoder.readValue());
  }
  decoder.requireItems(denseCount, 1, 'array elements');
  for (let i = 0; i < denseCount; i++) array[i] = decoder.readValue();
  decoder.leave();
  return array;
}

const VECTOR_KINDS: Record<number, AmfVectorKind> = {
  [Amf3Marker.VectorInt]: 'int',
  [Amf3Marker.VectorUint]: 'uint',
  [Amf3Marker.VectorDouble]: 'double',
  [Amf3Marker.VectorObject]: 'object',
};

/** Reads the body of a vector (0x0D–0x10): count, fixed flag, [type name,] items. */
export function readVector(decoder: Amf3Decoder, marker: number): AmfValue {
  const reader = decoder.reader;
  const header = readU29(reader);
  if ((header & 1) === 0) return decoder.objectAt(header >>> 1);
  const count = header >>> 1;
  const fixed = reader.u8() !== 0;
  const kind = VECTOR_KINDS[marker]!;
  const items: AmfValue[] = [];
  if (kind === 'object') {
    const vector = new AmfVector(kind, items, fixed, decoder.readString());
    decoder.objects.push(vector);
    decoder.enter('Vector.<Object>');
    decoder.requireItems(count, 1, 'Vector.<Object> items');
    for (let i = 0; i < count; i++) items.push(decoder.readValue());
    decoder.leave();
    return vector;
  }
  decoder.requireItems(count, kind === 'double' ? 8 : 4, `Vector.<${kind}> items`);
  const vector = new AmfVector(kind, items, fixed);
  decoder.objects.push(vector);
  if (kind === 'int') for (let i = 0; i < count; i++) items.push(reader.i32());
  else if (kind === 'uint') for (let i = 0; i < count; i++) items.push(reader.u32());
  else for (let i = 0; i < count; i++) items.push(reader.f64());
  return vector;
}

/**
 * Reads the body of a Dictionary (0x11) into a `Map`: count, weak-keys flag (kept as
 * `[AMF3_WEAK_KEYS]`), then key/value pairs. Keys of any type are kept as decoded.
 */
export function readDictionary(decoder: Amf3Decoder): AmfValue {
  const reader = decoder.reader;
  const header = readU29(reader);
  if ((header & 1) === 0) return decoder.objectAt(header >>> 1);
  const count = header >>> 1;
  const map: Amf3Dictionary<AmfValue, AmfValue> = new Map();
  if (reader.u8() !== 0) map[AMF3_WEAK_KEYS] = true;
  decoder.objects.push(map);
  decoder.enter('Dictionary');
  decoder.requireItems(count, 2, 'Dictionary entries');
  for (let i = 0; i < count; i++) {
    const key = decoder.readValue();
    map.set(key, decoder.readValue());
  }
  decoder.leave();
  return map;
}
