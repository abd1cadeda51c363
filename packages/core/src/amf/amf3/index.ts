/** AMF3 codec (AMF3 spec, January 2013) for AVM+-switched values and RTMP type 15/16/17 bodies. */
export { readAmf3, writeAmf3, decodeAmf3, encodeAmf3 } from './amf3.js';
export {
  AMF3_DEFAULT_MAX_DEPTH,
  createExternalizableRegistry,
  type Amf3CodecOptions,
  type Amf3DecodeOptions,
  type Amf3EncodeOptions,
  type ExternalizableRegistryOptions,
} from './amf3-options.js';
export {
  Amf3ExternalizableRegistry,
  type Amf3ExternalizableCodec,
  type Amf3ExternalizableReadContext,
  type Amf3ExternalizableWriteContext,
} from './externalizable.js';
export {
  FLEX_ARRAY_COLLECTION,
  FLEX_OBJECT_PROXY,
  arrayCollectionCodec,
  objectProxyCodec,
  arrayCollection,
  objectProxy,
} from './flex-codecs.js';
export { AMF3_SEALED_MEMBERS, type Amf3TraitMarks } from './amf3-traits.js';
export { AMF3_WEAK_KEYS, type Amf3Dictionary } from './amf3-weak-keys.js';
export { Amf3Marker } from './amf3-markers.js';
