import { AmfVector, AmfXml } from '../amf-value.js';

/**
 * True for JavaScript values only AMF3 can say: byte arrays, Maps (AMF3 Dictionary),
 * vectors, E4X XML, and arrays that carry string keys besides their elements (the AMF3
 * array's associative part). The AMF0 writer sends these through the AVM+ switch.
 */
export function needsAmf3(value: object): boolean {
  return (
    value instanceof Uint8Array ||
    value instanceof Map ||
    value instanceof AmfVector ||
    value instanceof AmfXml ||
    (Array.isArray(value) && hasNonIndexKeys(value))
  );
}

/**
 * Own enumerable keys list array indices first, ascending, then other strings in creation
 * order; so the last key tells whether any non-index key exists.
 */
function hasNonIndexKeys(array: readonly unknown[]): boolean {
  const keys = Object.keys(array);
  return keys.length > 0 && !isArrayIndex(keys[keys.length - 1]!);
}

function isArrayIndex(key: string): boolean {
  const index = Number(key);
  return Number.isInteger(index) && index >= 0 && index < 2 ** 32 - 1 && String(index) === key;
}
