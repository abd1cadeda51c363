import type { ByteReader, ByteWriter } from '../../bytes/index.js';
import type { AmfObject, AmfValue } from '../amf-value.js';

/** What a codec gets while reading the custom body of an externalizable object. */
export interface Amf3ExternalizableReadContext {
  /** The class name from the traits. */
  readonly className: string;
  /** The input, positioned at the start of the custom body. Raw reads go straight through it. */
  readonly reader: ByteReader;
  /** Reads one nested AMF3 value with the same reference tables and nesting limit. */
  readValue(): AmfValue;
}

/** What a codec gets while writing the custom body of an externalizable object. */
export interface Amf3ExternalizableWriteContext {
  /** The class name being written. */
  readonly className: string;
  /** The output, positioned just after the class name. */
  readonly writer: ByteWriter;
  /** Writes one nested AMF3 value with the same reference tables and nesting limit. */
  writeValue(value: AmfValue): void;
}

/**
 * Reads and writes the custom body of one `flash.utils.IExternalizable` class: the bytes only
 * that class understands (AMF3 spec §3.12, U29O-traits-ext).
 */
export interface Amf3ExternalizableCodec {
  /**
   * Fills `target`, a typed object that already carries `[AMF_CLASS_NAME]` and already sits in
   * the object table (so a nested value may refer back to it), from the custom body.
   */
  read(target: AmfObject, context: Amf3ExternalizableReadContext): void;
  /** Writes the custom body of `value`. */
  write(value: AmfObject, context: Amf3ExternalizableWriteContext): void;
}

/**
 * The externalizable classes an AMF3 codec knows, by class name. The decoder needs a codec
 * for every externalizable class it meets; the encoder writes a typed object whose class
 * name is registered as externalizable, through its codec.
 */
export class Amf3ExternalizableRegistry {
  private readonly codecs = new Map<string, Amf3ExternalizableCodec>();

  /** Adds (or replaces) the codec for `className`. Returns the registry for chaining. */
  register(className: string, codec: Amf3ExternalizableCodec): this {
    if (typeof className !== 'string' || className === '') {
      throw new TypeError('an externalizable class needs a non-empty class name');
    }
    if (typeof codec?.read !== 'function' || typeof codec.write !== 'function') {
      throw new TypeError(`the codec for ${className} needs read and write functions`);
    }
    this.codecs.set(className, codec);
    return this;
  }

  /** The codec for `className`, if registered. */
  get(className: string): Amf3ExternalizableCodec | undefined {
    return this.codecs.get(className);
  }

  /** True when `className` has a codec. */
  has(className: string): boolean {
    return this.codecs.has(className);
  }

  /** The registered class names, in registration order. */
  classNames(): string[] {
    return [...this.codecs.keys()];
  }
}
