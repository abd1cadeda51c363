/**
 * Set to `true` on a `Map` that came from (or should be written as) an AMF3 Dictionary with
 * weak keys. The flag means nothing in JavaScript; it is kept so a decoded Dictionary
 * re-encodes to the same bytes.
 */
export const AMF3_WEAK_KEYS: unique symbol = Symbol.for('@rtmpkit/amf/weak-keys') as never;

/** A `Map` that may carry the weak-keys flag. */
export type Amf3Dictionary<K = unknown, V = unknown> = Map<K, V> & { [AMF3_WEAK_KEYS]?: boolean };
