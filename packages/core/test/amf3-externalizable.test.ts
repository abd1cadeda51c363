import { describe, expect, it } from 'vitest';
import { AmfDecodeError, AmfEncodeError } from '../src/errors/index.js';
import { AMF_CLASS_NAME, typedObject, type AmfObject } from '../src/amf/amf-value.js';
import {
  FLEX_ARRAY_COLLECTION,
  FLEX_OBJECT_PROXY,
  arrayCollection,
  arrayCollectionCodec,
  createExternalizableRegistry,
  decodeAmf3,
  encodeAmf3,
  objectProxy,
  type Amf3ExternalizableCodec,
} from '../src/amf/amf3/index.js';
import { hex } from './helpers/hex.js';

const ARRAY_COLLECTION_NAME = hex`
  43                                    # 33 bytes inline
  66 6c 65 78 2e 6d 65 73 73 61 67 69 6e 67 2e 69 6f 2e   # flex.messaging.io.
  41 72 72 61 79 43 6f 6c 6c 65 63 74 69 6f 6e           # ArrayCollection
`;
const OBJECT_PROXY_NAME = hex`
  3b                                    # 29 bytes inline
  66 6c 65 78 2e 6d 65 73 73 61 67 69 6e 67 2e 69 6f 2e   # flex.messaging.io.
  4f 62 6a 65 63 74 50 72 6f 78 79                       # ObjectProxy
`;
const POINT_NAME = hex`23 63 6f 6d 2e 65 78 61 6d 70 6c 65 2e 50 6f 69 6e 74   # "com.example.Point"`;

const pointCodec: Amf3ExternalizableCodec = {
  read(target, context) {
    target['x'] = context.reader.f64();
    target['y'] = context.reader.f64();
  },
  write(value, context) {
    context.writer.f64(value['x'] as number).f64(value['y'] as number);
  },
};

describe('the Flex externalizable classes (known by default)', () => {
  it('ArrayCollection wraps one array, kept as `source`', () => {
    const bytes = Buffer.concat([
      hex`0a 07            # object marker; U29O-traits-ext (inline, externalizable)`,
      ARRAY_COLLECTION_NAME,
      hex`09 05 01 04 01 04 02   # custom body: the source array [1, 2]`,
    ]);
    expect(encodeAmf3(arrayCollection([1, 2]))).toEqual(bytes);
    expect(decodeAmf3(bytes)).toEqual(typedObject(FLEX_ARRAY_COLLECTION, { source: [1, 2] }));
  });

  it('ObjectProxy wraps one object, kept as `object`', () => {
    const bytes = Buffer.concat([hex`0a 07`, OBJECT_PROXY_NAME, hex`0a 0b 01 03 61 04 01 01   # { a: 1 }`]);
    expect(encodeAmf3(objectProxy({ a: 1 }))).toEqual(bytes);
    expect(decodeAmf3(bytes)).toEqual(typedObject(FLEX_OBJECT_PROXY, { object: { a: 1 } }));
  });

  it('a second instance of the class uses a traits reference', () => {
    const bytes = Buffer.concat([
      hex`09 05 01     # array of 2`,
      hex`0a 07`,
      ARRAY_COLLECTION_NAME,
      hex`09 01 01     # source []   (traits 0 = ArrayCollection, externalizable)`,
      hex`0a 01        # traits reference 0`,
      hex`09 01 01     # source []`,
    ]);
    expect(encodeAmf3([arrayCollection([]), arrayCollection([])])).toEqual(bytes);
    const decoded = decodeAmf3(bytes) as AmfObject[];
    expect(decoded.map((item) => item[AMF_CLASS_NAME])).toEqual([FLEX_ARRAY_COLLECTION, FLEX_ARRAY_COLLECTION]);
    expect(encodeAmf3(decoded)).toEqual(bytes);
  });

  it('nest inside each other and round-trip to the same bytes', () => {
    const value = arrayCollection([objectProxy(arrayCollection(['x', 'x'])), objectProxy({ b: null })]);
    const bytes = encodeAmf3(value);
    const decoded = decodeAmf3(bytes);
    expect(decoded).toEqual(value);
    expect(encodeAmf3(decoded)).toEqual(bytes);
  });

  it('an externalizable object is in the object table before its body', () => {
    const bytes = Buffer.concat([hex`0a 07`, OBJECT_PROXY_NAME, hex`0a 00   # body: reference to object 0, itself`]);
    const decoded = decodeAmf3(bytes) as AmfObject;
    expect(decoded['object']).toBe(decoded);
    expect(encodeAmf3(decoded)).toEqual(bytes);
  });
});

describe('unknown externalizable classes', () => {
  const bytes = hex`0a 07  07 46 6f 6f  01 02 03   # externalizable "Foo" and a body nobody can read`;

  it('are an AmfDecodeError that says to register a codec', () => {
    expect(() => decodeAmf3(bytes)).toThrow(AmfDecodeError);
    expect(() => decodeAmf3(bytes)).toThrow(/register a codec for 'Foo'/);
  });

  it('include the Flex classes when the registry leaves them out', () => {
    const empty = createExternalizableRegistry({ flex: false });
    const ac = encodeAmf3(arrayCollection([]));
    expect(() => decodeAmf3(ac, { externalizables: empty })).toThrow(/flex\.messaging\.io\.ArrayCollection/);
  });

  it('a typed object of an unregistered class is written with ordinary traits', () => {
    const empty = createExternalizableRegistry({ flex: false });
    expect(encodeAmf3(arrayCollection([]), { externalizables: empty })[1]).toBe(0x13); // sealed, 1 member
  });
});

describe('custom codecs', () => {
  const registry = createExternalizableRegistry().register('com.example.Point', pointCodec);

  it('read and write raw bytes', () => {
    const bytes = Buffer.concat([
      hex`0a 07`,
      POINT_NAME,
      hex`3f f0 00 00 00 00 00 00   # x = 1.0 (raw double, no marker)`,
      hex`40 00 00 00 00 00 00 00   # y = 2.0`,
    ]);
    const point = typedObject('com.example.Point', { x: 1, y: 2 });
    expect(encodeAmf3(point, { externalizables: registry })).toEqual(bytes);
    expect(decodeAmf3(bytes, { externalizables: registry })).toEqual(point);
  });

  it('share the string table with the values around them', () => {
    const labelCodec: Amf3ExternalizableCodec = {
      read(target, context) {
        target['label'] = context.readValue();
      },
      write(value, context) {
        context.writeValue(value['label']);
      },
    };
    const labels = createExternalizableRegistry().register('L', labelCodec);
    const bytes = hex`
      09 05 01          # array of 2
      06 05 68 69       # "hi": string 0
      0a 07 03 4c       # externalizable "L": string 1
      06 00             # body: "hi" by string reference 0
    `;
    const value = ['hi', typedObject('L', { label: 'hi' })];
    expect(encodeAmf3(value, { externalizables: labels })).toEqual(bytes);
    expect(decodeAmf3(bytes, { externalizables: labels })).toEqual(value);
  });

  it('a codec that fails with a plain error is reported as an AMF error with the cause', () => {
    const boom = new TypeError('boom');
    const failing = createExternalizableRegistry().register('Bad', {
      read() {
        throw boom;
      },
      write() {
        throw boom;
      },
    });
    let decodeError: unknown;
    try {
      decodeAmf3(hex`0a 07 07 42 61 64`, { externalizables: failing });
    } catch (error) {
      decodeError = error;
    }
    expect(decodeError).toBeInstanceOf(AmfDecodeError);
    expect((decodeError as Error).cause).toBe(boom);
    expect(() => encodeAmf3(typedObject('Bad', {}), { externalizables: failing })).toThrow(AmfEncodeError);
  });

  it('a codec reading past the end gets the TruncatedInputError through', () => {
    const bytes = Buffer.concat([hex`0a 07`, POINT_NAME, hex`3f f0 00`]);
    expect(() => decodeAmf3(bytes, { externalizables: registry })).toThrow(/needed 8 bytes/);
  });
});

describe('the registry', () => {
  it('lists, finds and replaces codecs', () => {
    const registry = createExternalizableRegistry();
    expect(registry.classNames()).toEqual([FLEX_ARRAY_COLLECTION, FLEX_OBJECT_PROXY]);
    expect(registry.get(FLEX_ARRAY_COLLECTION)).toBe(arrayCollectionCodec);
    expect(registry.has('com.example.Point')).toBe(false);
    registry.register('com.example.Point', pointCodec);
    expect(registry.get('com.example.Point')).toBe(pointCodec);
    expect(createExternalizableRegistry({ flex: false }).classNames()).toEqual([]);
  });

  it('refuses an empty class name or a codec without read/write', () => {
    const registry = createExternalizableRegistry();
    expect(() => registry.register('', pointCodec)).toThrow(TypeError);
    expect(() => registry.register('X', {} as never)).toThrow(TypeError);
  });

  it('registering on one registry does not change the default', () => {
    createExternalizableRegistry().register('Foo', pointCodec);
    expect(() => decodeAmf3(hex`0a 07 07 46 6f 6f`)).toThrow(/register a codec for 'Foo'/);
  });
});
