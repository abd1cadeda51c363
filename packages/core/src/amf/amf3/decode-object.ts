import { AmfDecodeError, RtmpError } from '../../errors/index.js';
import { AMF_CLASS_NAME, setOwnProperty, type AmfObject, type AmfValue } from '../amf-value.js';
import type { Amf3Decoder } from './amf3-decoder.js';
import { externalizableTraits, markDecodedTraits, type Amf3Traits } from './amf3-traits.js';
import { isStackOverflow } from './stack-overflow.js';
import { readU29 } from './u29.js';

/**
 * Reads the body of an object (0x0A): a reference, or traits (inline or by reference) then the
 * sealed member values, the dynamic members, or an externalizable class's custom body.
 */
export function readObject(decoder: Amf3Decoder): AmfValue {
  const header = readU29(decoder.reader);
  if ((header & 1) === 0) return decoder.objectAt(header >>> 1);
  const traits = readTraits(decoder, header);
  const target: AmfObject = {};
  if (traits.className !== '') target[AMF_CLASS_NAME] = traits.className;
  // In the table before its members, so a member may refer back to it (cycles).
  decoder.objects.push(target);
  decoder.enter('object');
  if (traits.externalizable) {
    readExternalizableBody(decoder, target, traits.className);
  } else {
    readMembers(decoder, target, traits);
  }
  decoder.leave();
  return target;
}

function readTraits(decoder: Amf3Decoder, header: number): Amf3Traits {
  if ((header & 2) === 0) return decoder.traitsAt(header >>> 2);
  if ((header & 4) !== 0) {
    // U29O-traits-ext: the remaining bits carry nothing.
    const traits = externalizableTraits(decoder.readString());
    decoder.traits.push(traits);
    return traits;
  }
  const dynamic = (header & 8) !== 0;
  const sealedCount = header >>> 4;
  const className = decoder.readString();
  decoder.requireItems(sealedCount, 1, 'sealed member names');
  const sealed: string[] = [];
  for (let i = 0; i < sealedCount; i++) sealed.push(decoder.readString());
  const traits: Amf3Traits = { className, sealed: Object.freeze(sealed), dynamic, externalizable: false };
  decoder.traits.push(traits);
  return traits;
}

function readMembers(decoder: Amf3Decoder, target: AmfObject, traits: Amf3Traits): void {
  decoder.requireItems(traits.sealed.length, 1, 'sealed member values');
  for (const name of traits.sealed) setOwnProperty(target, name, decoder.readValue());
  if (traits.dynamic) {
    for (let name = decoder.readString(); name !== ''; name = decoder.readString()) {
      setOwnProperty(target, name, decoder.readValue());
    }
  }
  markDecodedTraits(target, traits);
}

function readExternalizableBody(decoder: Amf3Decoder, target: AmfObject, className: string): void {
  const codec = decoder.externalizables.get(className);
  if (codec === undefined) {
    throw new AmfDecodeError(
      `externalizable class '${className}' has no codec: register a codec for '${className}' in the externalizables option`,
    );
  }
  try {
    codec.read(target, { className, reader: decoder.reader, readValue: () => decoder.readValue() });
  } catch (error) {
    if (RtmpError.isInstance(error) || isStackOverflow(error)) throw error;
    throw new AmfDecodeError(`the codec for externalizable class '${className}' failed: ${String(error)}`, { cause: error });
  }
}
