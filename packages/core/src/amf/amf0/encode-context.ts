import type { Amf3EncodeOptions } from '../amf3/index.js';
import { resolveMaxDepth } from './limits.js';

/** Options for encoding AMF0. */
export interface Amf0EncodeOptions {
  /**
   * When true (the connection's objectEncoding is 3), objects and arrays are written as the
   * AVM+ switch 0x11 followed by one AMF3 value; numbers, booleans, strings, null, undefined,
   * dates and XML documents stay AMF0. Default false.
   */
  avmplus?: boolean;
  /**
   * Deepest nesting of objects and arrays written (a top-level object is depth 1).
   * Default `AMF0_DEFAULT_MAX_DEPTH` (128); deeper values throw `LimitExceededError` with
   * `limit: 'maxDepth'`.
   */
  maxDepth?: number;
  /** Options handed to the AMF3 encoder for every value written behind an AVM+ switch. */
  amf3?: Amf3EncodeOptions;
}

/**
 * State shared by the values of one message body: the options and the table of objects and
 * arrays written so far (for references). Make one per body with `createAmf0EncodeContext`.
 */
export interface Amf0EncodeContext {
  readonly avmplus: boolean;
  readonly maxDepth: number;
  readonly amf3Options: Amf3EncodeOptions | undefined;
  /** Reference index of each object or array written inline, from its first appearance. */
  readonly references: Map<object, number>;
  /** Index the next object or array written inline takes (the decoder numbers them alike). */
  nextReferenceIndex: number;
  /** Current nesting depth; 0 between top-level values. */
  depth: number;
}

/** A fresh context (empty reference table) for writing the values of one message body. */
export function createAmf0EncodeContext(options: Amf0EncodeOptions = {}): Amf0EncodeContext {
  return {
    avmplus: options.avmplus === true,
    maxDepth: resolveMaxDepth(options.maxDepth),
    amf3Options: options.amf3,
    references: new Map(),
    nextReferenceIndex: 0,
    depth: 0,
  };
}
