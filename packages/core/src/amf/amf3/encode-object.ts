import { AmfEncodeError, RtmpError } from '../../errors/index.js';
import { AMF_CLASS_NAME, type AmfObject } from '../amf-value.js';
import type { Amf3Encoder } from './amf3-encoder.js';
import { Amf3Marker } from './amf3-markers.js';
import { externalizableTraits, traitsForEncoding, traitsKey, type Amf3Traits } from './amf3-traits.js';
import type { Amf3ExternalizableCodec } from './externalizable.js';
import { isStackOverflow } from './stack-overflow.js';
import { writeU29 } from './u29.js';

/** Largest sealed member count the traits header has room for (25 bits). */
const MAX_SEALED_MEMBERS = 0x1ffffff;

/**
 * Writes an object (0x0A). A typed object whose class is registered as externalizable goes
 * through its codec; any other object goes with its traits (see `AMF3_SEALED_MEMBERS`).
 */
export function writeObject(encoder: Amf3Encoder, value: AmfObject): void {
  encoder.writer.u8(Amf3Marker.Object);
  if (encoder.writeReferenceOrRecord(value)) return;
  const className = value[AMF_CLASS_NAME] ?? '';
  if (typeof className !== 'string') throw new AmfEncodeError('[AMF_CLASS_NAME] must be a string');
  const codec = className === '' ? undefined : encoder.externalizables.get(className);
  encoder.enter('object');
  if (codec !== undefined) {
    writeExternalizable(encoder, value, className, codec);
  } else {
    const traits = traitsForEncoding(value, className);
    writeTraits(encoder, traits);
    writeMembers(encoder, value, traits);
  }
  encoder.leave();
}

/** Writes the traits inline the first time, then as a traits reference. */
function writeTraits(encoder: Amf3Encoder, traits: Amf3Traits): void {
  const key = traitsKey(traits);
  const index = encoder.traits.get(key);
  if (index !== undefined) {
    writeU29(encoder.writer, index * 4 + 1);
    return;
  }
  encoder.traits.set(key, encoder.traits.size);
  if (traits.externalizable) {
    encoder.writer.u8(0x07);
    encoder.writeString(traits.className);
    return;
  }
  const count = traits.sealed.length;
  if (count > MAX_SEALED_MEMBERS) throw new AmfEncodeError(`${count} sealed members do not fit in AMF3 traits`);
  writeU29(encoder.writer, count * 16 + (traits.dynamic ? 0x0b : 0x03));
  encoder.writeString(traits.className);
  for (const name of traits.sealed) encoder.writeString(name);
}

function writeMembers(encoder: Amf3Encoder, value: AmfObject, traits: Amf3Traits): void {
  const sealed = traits.sealed;
  for (const name of sealed) encoder.writeValue(value[name]);
  const sealedSet = sealed.length > 0 ? new Set(sealed) : undefined;
  const keys = Object.keys(value);
  if (!traits.dynamic) {
    const extra = sealedSet === undefined ? keys[0] : keys.find((key) => !sealedSet.has(key));
    if (extra !== undefined) {
      throw new AmfEncodeError(`member '${extra}' is not one of the sealed members of a non-dynamic object`);
    }
    return;
  }
  for (const key of keys) {
    if (sealedSet?.has(key)) continue;
    if (key === '') throw new AmfEncodeError('a dynamic member cannot be named "" in AMF3 (it ends the member list)');
    encoder.writeString(key);
    encoder.writeValue(value[key]);
  }
  encoder.writer.u8(0x01);
}

function writeExternalizable(encoder: Amf3Encoder, value: AmfObject, className: string, codec: Amf3ExternalizableCodec): void {
  writeTraits(encoder, externalizableTraits(className));
  try {
    codec.write(value, { className, writer: encoder.writer, writeValue: (nested) => encoder.writeValue(nested) });
  } catch (error) {
    if (RtmpError.isInstance(error) || isStackOverflow(error)) throw error;
    throw new AmfEncodeError(`the codec for externalizable class '${className}' failed: ${String(error)}`, { cause: error });
  }
}
