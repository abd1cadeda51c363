import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AMF_CLASS_NAME, AMF_ECMA_ARRAY, type AmfObject, type AmfValue } from '../src/amf/amf-value.js';
import { decodeAmf0, decodeAmf0Values, encodeAmf0, encodeAmf0Values } from '../src/amf/amf0/index.js';
import { TruncatedInputError } from '../src/errors/index.js';
import { amf0Body, amf0Graph, amf0Tree } from './fixtures/amf0/amf0-arbitraries.js';
import { assertSameGraph } from './fixtures/amf0/same-graph.js';

describe('AMF0 round trips (fast-check)', () => {
  it('encode then decode gives back the same graph: values, sharing and cycles', () => {
    fc.assert(
      fc.property(amf0Graph(), (value) => {
        assertSameGraph(value, decodeAmf0(encodeAmf0(value)));
      }),
      { numRuns: 300 },
    );
  });

  it('a body of several values shares one reference table both ways', () => {
    fc.assert(
      fc.property(amf0Body(), (values) => {
        const decoded = decodeAmf0Values(encodeAmf0Values(values));
        expect(decoded).toHaveLength(values.length);
        // Compare as one array so identity across values is checked too.
        assertSameGraph(values, decoded);
      }),
      { numRuns: 200 },
    );
  });

  it('decode then encode gives back the same bytes', () => {
    fc.assert(
      fc.property(amf0Body(), (values) => {
        const bytes = encodeAmf0Values(values);
        expect(encodeAmf0Values(decodeAmf0Values(bytes)).equals(bytes)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('every cut short encoding of one value throws TruncatedInputError', () => {
    fc.assert(
      fc.property(amf0Tree(), fc.nat(), (value, at) => {
        const bytes = encodeAmf0(value);
        const cut = at % bytes.length; // 0 .. length-1: always short of the whole value
        expect(() => decodeAmf0(bytes.subarray(0, cut))).toThrow(TruncatedInputError);
      }),
      { numRuns: 300 },
    );
  });
});

describe('AMF0 round trips by hand', () => {
  it('keeps a shared object shared and a cycle closed', () => {
    const leaf = { x: 1 };
    const root: AmfObject = { left: leaf, right: [leaf] };
    root.back = root;
    const decoded = decodeAmf0(encodeAmf0(root)) as AmfObject;
    expect((decoded.right as AmfValue[])[0]).toBe(decoded.left);
    expect(decoded.back).toBe(decoded);
  });

  it('keeps NaN, infinities and -0', () => {
    const values = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, Number.MIN_VALUE];
    const decoded = decodeAmf0Values(encodeAmf0Values(values));
    decoded.forEach((value, i) => expect(Object.is(value, values[i])).toBe(true));
  });

  it('keeps an invalid date invalid', () => {
    expect((decodeAmf0(encodeAmf0(new Date(Number.NaN))) as Date).getTime()).toBeNaN();
  });

  it('keeps class name and ECMA marker through a round trip', () => {
    const value = { inner: { [AMF_CLASS_NAME]: 'a.B', n: 1 }, list: { [AMF_ECMA_ARRAY]: true, k: 'v' } } as AmfObject;
    expect(decodeAmf0(encodeAmf0(value))).toStrictEqual(value);
  });
});
