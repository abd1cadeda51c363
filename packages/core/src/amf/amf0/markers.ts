/**
 * AMF0 type markers (AMF0 spec §2.1). One byte in front of every value.
 * 0x11 is the AVM+ switch added with Flash Player 9: the next value is one AMF3 value.
 */
export const Amf0Marker = {
  Number: 0x00,
  Boolean: 0x01,
  String: 0x02,
  Object: 0x03,
  MovieClip: 0x04,
  Null: 0x05,
  Undefined: 0x06,
  Reference: 0x07,
  EcmaArray: 0x08,
  ObjectEnd: 0x09,
  StrictArray: 0x0a,
  Date: 0x0b,
  LongString: 0x0c,
  Unsupported: 0x0d,
  RecordSet: 0x0e,
  XmlDocument: 0x0f,
  TypedObject: 0x10,
  AvmPlus: 0x11,
} as const;

/** One of the `Amf0Marker` byte values. */
export type Amf0Marker = (typeof Amf0Marker)[keyof typeof Amf0Marker];

/** Largest byte length a U16-prefixed AMF0 string (and every property or class name) can have. */
export const AMF0_MAX_SHORT_STRING_BYTES = 0xffff;

/** Largest index a reference (0x07) can carry: the index is a U16. */
export const AMF0_MAX_REFERENCE_INDEX = 0xffff;
