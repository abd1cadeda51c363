/**
 * The JavaScript side of AMF, shared by the AMF0 and AMF3 codecs.
 *
 * number, boolean, string, null, undefined, Date, arrays and plain objects map to themselves.
 * What JavaScript cannot say on its own is carried by enumerable symbol keys (so spreading an
 * object keeps them, and `Object.keys`/JSON ignore them) or by small classes:
 *
 * | AMF                                   | JavaScript                                  |
 * | ------------------------------------- | ------------------------------------------- |
 * | anonymous object                      | plain object                                |
 * | typed object / AMF3 sealed traits     | plain object with `[AMF_CLASS_NAME]`        |
 * | ECMA array (AMF0)                     | plain object with `[AMF_ECMA_ARRAY]: true`  |
 * | strict array / AMF3 dense array       | Array (AMF3 associative part: extra string keys on the Array) |
 * | XML document (AMF0 0x0F, AMF3 0x07)   | `AmfXmlDocument`                            |
 * | AMF3 XML (E4X, 0x0B)                  | `AmfXml`                                    |
 * | AMF3 ByteArray                        | `Uint8Array` (decoded as a Buffer view)     |
 * | AMF3 Vector.<int/uint/Number/Object>  | `AmfVector`                                 |
 * | AMF3 Dictionary                       | `Map`                                       |
 * | AMF0 unsupported (0x0D)               | `AMF_UNSUPPORTED`                           |
 */

/** Class name of a typed object (AMF0 0x10, AMF3 traits with a class name). */
export const AMF_CLASS_NAME: unique symbol = Symbol.for('@rtmpkit/amf/class-name') as never;
/** Marks an object that came from (or should be written as) an AMF0 ECMA array. */
export const AMF_ECMA_ARRAY: unique symbol = Symbol.for('@rtmpkit/amf/ecma-array') as never;
/** Marks an AMF3 object whose traits are dynamic (extra members after the sealed ones). */
export const AMF_DYNAMIC: unique symbol = Symbol.for('@rtmpkit/amf/dynamic') as never;
/** The AMF0 "unsupported" marker (0x0D). */
export const AMF_UNSUPPORTED: unique symbol = Symbol.for('@rtmpkit/amf/unsupported') as never;

export interface AmfObject {
  [key: string]: AmfValue;
  [AMF_CLASS_NAME]?: string;
  [AMF_ECMA_ARRAY]?: boolean;
  [AMF_DYNAMIC]?: boolean;
}

/** An XML document (AMF0 0x0F, AMF3 XMLDocument 0x07), kept as text. */
export class AmfXmlDocument {
  constructor(readonly xml: string) {}
}

/** An AMF3 E4X XML value (0x0B), kept as text. */
export class AmfXml {
  constructor(readonly xml: string) {}
}

export type AmfVectorKind = 'int' | 'uint' | 'double' | 'object';

/** An AMF3 Vector. `typeName` is the element class for object vectors ("*" for any). */
export class AmfVector<T extends AmfValue = AmfValue> {
  constructor(
    readonly kind: AmfVectorKind,
    readonly items: T[],
    readonly fixed = false,
    readonly typeName = kind === 'object' ? '*' : '',
  ) {}
}

export type AmfValue =
  | number
  | boolean
  | string
  | null
  | undefined
  | Date
  | Uint8Array
  | AmfObject
  | AmfValue[]
  | Map<AmfValue, AmfValue>
  | AmfXml
  | AmfXmlDocument
  | AmfVector
  | typeof AMF_UNSUPPORTED
  | object;

/** Builds a typed object: `typedObject('flex.Foo', { a: 1 })`. */
export function typedObject<T extends Record<string, AmfValue>>(className: string, properties: T): T & AmfObject {
  return { ...properties, [AMF_CLASS_NAME]: className } as T & AmfObject;
}

/** Builds an object that encodes as an AMF0 ECMA array (as `onMetaData` expects). */
export function ecmaArray<T extends Record<string, AmfValue>>(properties: T): T & AmfObject {
  return { ...properties, [AMF_ECMA_ARRAY]: true } as T & AmfObject;
}

export function classNameOf(value: unknown): string | undefined {
  return typeof value === 'object' && value !== null ? (value as AmfObject)[AMF_CLASS_NAME] : undefined;
}

export function isEcmaArray(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as AmfObject)[AMF_ECMA_ARRAY] === true;
}

/**
 * Sets a decoded property without ever touching a prototype: `__proto__` becomes a plain own
 * data property, as do `constructor` and `prototype` (which plain assignment already keeps own).
 */
export function setOwnProperty(target: object, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    (target as Record<string, unknown>)[key] = value;
  }
}
