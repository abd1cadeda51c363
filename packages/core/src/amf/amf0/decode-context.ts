import type { AmfValue } from '../amf-value.js';
import type { Amf3DecodeOptions } from '../amf3/index.js';
import { resolveMaxDepth } from './limits.js';

/** Options for decoding AMF0. */
export interface Amf0DecodeOptions {
  /**
   * Deepest nesting of objects, typed objects, ECMA arrays and strict arrays accepted
   * (a top-level object is depth 1). Default `AMF0_DEFAULT_MAX_DEPTH` (128). Deeper input
   * throws `LimitExceededError` with `limit: 'maxDepth'`. Decoding recurses: a limit raised
   * past what the stack holds still ends in `LimitExceededError`, reported when the stack runs out.
   */
  maxDepth?: number;
  /**
   * Options handed to the AMF3 decoder for each value behind an AVM+ switch (0x11),
   * e.g. the externalizable classes it understands. The AMF3 limits apply there.
   */
  amf3?: Amf3DecodeOptions;
}

/**
 * State shared by the values of one message body: the options and the reference table.
 * Make one per body with `createAmf0DecodeContext`. After a decode error, discard it.
 */
export interface Amf0DecodeContext {
  readonly maxDepth: number;
  readonly amf3Options: Amf3DecodeOptions | undefined;
  /**
   * Complex values read so far, in the order they started (objects, typed objects,
   * ECMA arrays, strict arrays): what a reference (0x07) indexes.
   */
  readonly references: AmfValue[];
  /** Current nesting depth; 0 between top-level values. */
  depth: number;
}

/** A fresh context (empty reference table) for reading the values of one message body. */
export function createAmf0DecodeContext(options: Amf0DecodeOptions = {}): Amf0DecodeContext {
  return {
    maxDepth: resolveMaxDepth(options.maxDepth),
    amf3Options: options.amf3,
    references: [],
    depth: 0,
  };
}
