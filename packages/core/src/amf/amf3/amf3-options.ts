import { LimitExceededError } from '../../errors/index.js';
import { Amf3ExternalizableRegistry } from './externalizable.js';
import { FLEX_ARRAY_COLLECTION, FLEX_OBJECT_PROXY, arrayCollectionCodec, objectProxyCodec } from './flex-codecs.js';

/** Default for `maxDepth`: how many objects, arrays, object vectors and dictionaries may nest. */
export const AMF3_DEFAULT_MAX_DEPTH = 128;

/** Options shared by the AMF3 reader and writer. */
export interface Amf3CodecOptions {
  /**
   * The externalizable classes known. Default: a registry with the Flex codecs only
   * (`flex.messaging.io.ArrayCollection` and `flex.messaging.io.ObjectProxy`).
   */
  externalizables?: Amf3ExternalizableRegistry;
  /**
   * How many objects, arrays, `Vector.<Object>`s, dictionaries and externalizable bodies may
   * be open at once (a reference to an object already written does not count). Default 128.
   * Passing it throws `LimitExceededError` with `limit: 'maxDepth'`.
   */
  maxDepth?: number;
}

/** Options of `readAmf3` and `decodeAmf3`. */
export type Amf3DecodeOptions = Amf3CodecOptions;

/** Options of `writeAmf3` and `encodeAmf3`. */
export type Amf3EncodeOptions = Amf3CodecOptions;

/** Options of `createExternalizableRegistry`. */
export interface ExternalizableRegistryOptions {
  /** Start with the Flex `ArrayCollection` and `ObjectProxy` codecs. Default true. */
  flex?: boolean;
}

/** A new registry, with the Flex codecs unless `{ flex: false }`; add more with `register`. */
export function createExternalizableRegistry(options: ExternalizableRegistryOptions = {}): Amf3ExternalizableRegistry {
  const registry = new Amf3ExternalizableRegistry();
  if (options.flex !== false) {
    registry.register(FLEX_ARRAY_COLLECTION, arrayCollectionCodec).register(FLEX_OBJECT_PROXY, objectProxyCodec);
  }
  return registry;
}

/** Used when no `externalizables` option is given; never handed out, so nobody can add to it. */
const DEFAULT_EXTERNALIZABLES = createExternalizableRegistry();

/** Options with their defaults filled in and checked. */
export interface ResolvedAmf3Options {
  readonly externalizables: Amf3ExternalizableRegistry;
  readonly maxDepth: number;
}

/** Fills in defaults. A bad option is a programming error, so it throws a TypeError or RangeError. */
export function resolveAmf3Options(options: Amf3CodecOptions = {}): ResolvedAmf3Options {
  const { externalizables = DEFAULT_EXTERNALIZABLES, maxDepth = AMF3_DEFAULT_MAX_DEPTH } = options;
  if (typeof externalizables?.get !== 'function') {
    throw new TypeError('externalizables must be a registry from createExternalizableRegistry()');
  }
  if (!Number.isSafeInteger(maxDepth) || maxDepth < 0) {
    throw new RangeError(`maxDepth must be a non-negative integer, got ${String(maxDepth)}`);
  }
  return { externalizables, maxDepth };
}

/** Nesting state shared by the reader and the writer. */
export interface NestingState {
  depth: number;
  readonly maxDepth: number;
}

/** Steps one level deeper, or throws `LimitExceededError('maxDepth')`. The caller does `depth--`. */
export function enterNested(state: NestingState, what: string, verb: 'decoding' | 'encoding'): void {
  if (state.depth >= state.maxDepth) {
    throw new LimitExceededError(
      'maxDepth',
      state.maxDepth,
      `${verb} an AMF3 ${what} nested deeper than ${state.maxDepth} levels`,
    );
  }
  state.depth++;
}
