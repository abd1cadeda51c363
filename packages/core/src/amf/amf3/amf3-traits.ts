import { AmfEncodeError } from '../../errors/index.js';
import { AMF_CLASS_NAME, AMF_DYNAMIC, type AmfObject } from '../amf-value.js';

/**
 * The sealed member names of an AMF3 object, in wire order (a frozen string array).
 *
 * How a decoded object remembers its traits, so that decoding and re-encoding a canonical
 * encoding gives the same bytes:
 * - the class name is `[AMF_CLASS_NAME]` (absent for anonymous objects);
 * - without marks, an anonymous object is dynamic with no sealed members, and a typed object
 *   is sealed (not dynamic) with all its own keys, in `Object.keys` order, as sealed members;
 * - the decoder sets `[AMF_DYNAMIC]` only when the dynamic flag differs from that default, and
 *   `[AMF3_SEALED_MEMBERS]` only when the sealed names differ from it.
 * So `{ a: 1 }` and `typedObject('Foo', { a: 1 })` carry no extra keys, while an anonymous
 * object whose members were sealed comes back with both marks.
 */
export const AMF3_SEALED_MEMBERS: unique symbol = Symbol.for('@rtmpkit/amf/sealed-members') as never;

/** The traits marks an object may carry (see `AMF3_SEALED_MEMBERS`). */
export interface Amf3TraitMarks {
  [AMF_CLASS_NAME]?: string;
  [AMF_DYNAMIC]?: boolean;
  [AMF3_SEALED_MEMBERS]?: readonly string[];
}

/** One entry of the traits table. */
export interface Amf3Traits {
  readonly className: string;
  readonly sealed: readonly string[];
  readonly dynamic: boolean;
  readonly externalizable: boolean;
}

const NO_MEMBERS: readonly string[] = Object.freeze([]);

/** Traits of an externalizable class: only the name counts. */
export function externalizableTraits(className: string): Amf3Traits {
  return { className, sealed: NO_MEMBERS, dynamic: false, externalizable: true };
}

/** Records on a decoded object whatever of its traits the defaults would not restore. */
export function markDecodedTraits(target: AmfObject, traits: Amf3Traits): void {
  const marks = target as Amf3TraitMarks;
  const defaultDynamic = traits.className === '';
  if (traits.dynamic !== defaultDynamic) marks[AMF_DYNAMIC] = traits.dynamic;
  const defaultSealed = traits.dynamic ? NO_MEMBERS : Object.keys(target);
  if (!sameNames(defaultSealed, traits.sealed)) marks[AMF3_SEALED_MEMBERS] = traits.sealed;
}

/** The traits an object is written with: its marks, or the defaults described above. */
export function traitsForEncoding(value: AmfObject, className: string): Amf3Traits {
  const marks = value as Amf3TraitMarks;
  const dynamicMark = marks[AMF_DYNAMIC];
  const dynamic = dynamicMark === undefined ? className === '' : dynamicMark === true;
  const sealedMark = marks[AMF3_SEALED_MEMBERS];
  let sealed: readonly string[];
  if (sealedMark === undefined) {
    sealed = dynamic ? NO_MEMBERS : Object.keys(value);
  } else if (Array.isArray(sealedMark) && sealedMark.every((name) => typeof name === 'string')) {
    sealed = sealedMark;
  } else {
    throw new AmfEncodeError('[AMF3_SEALED_MEMBERS] must be an array of strings');
  }
  return { className, sealed, dynamic, externalizable: false };
}

/** A key for the encoder's traits table: equal keys may share one traits reference. */
export function traitsKey(traits: Amf3Traits): string {
  return traits.externalizable
    ? JSON.stringify([traits.className])
    : JSON.stringify([traits.className, traits.dynamic, traits.sealed]);
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
