import { typedObject, type AmfObject, type AmfValue } from '../amf-value.js';
import type { Amf3ExternalizableCodec } from './externalizable.js';

/** Class name of Flex's `ArrayCollection`, an externalizable wrapper around one Array. */
export const FLEX_ARRAY_COLLECTION = 'flex.messaging.io.ArrayCollection';

/** Class name of Flex's `ObjectProxy`, an externalizable wrapper around one object. */
export const FLEX_OBJECT_PROXY = 'flex.messaging.io.ObjectProxy';

/**
 * `flex.messaging.io.ArrayCollection`: the body is one AMF3 value (the source Array), kept as
 * the `source` property of the typed object. Whatever value is there is read and written as is.
 */
export const arrayCollectionCodec: Amf3ExternalizableCodec = {
  read(target, context) {
    target['source'] = context.readValue();
  },
  write(value, context) {
    context.writeValue(value['source']);
  },
};

/**
 * `flex.messaging.io.ObjectProxy`: the body is one AMF3 value (the proxied object), kept as the
 * `object` property of the typed object.
 */
export const objectProxyCodec: Amf3ExternalizableCodec = {
  read(target, context) {
    target['object'] = context.readValue();
  },
  write(value, context) {
    context.writeValue(value['object']);
  },
};

/** Builds an `ArrayCollection` value: `arrayCollection([1, 2])`. */
export function arrayCollection(source: AmfValue[]): AmfObject {
  return typedObject(FLEX_ARRAY_COLLECTION, { source });
}

/** Builds an `ObjectProxy` value: `objectProxy({ a: 1 })`. */
export function objectProxy(object: AmfValue): AmfObject {
  return typedObject(FLEX_OBJECT_PROXY, { object });
}
