import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AMF_CLASS_NAME, AmfVector, type AmfObject } from '../src/amf/amf-value.js';
import { decodeAmf3, encodeAmf3 } from '../src/amf/amf3/index.js';
import { complexValues, graph, hasReference, isArrayIndex } from './fixtures/amf3/arbitrary-amf3.js';
import { expectSameGraph } from './fixtures/amf3/same-graph.js';

describe('AMF3 property tests', () => {
  it('encode → decode keeps the value, its sharing and its cycles', () => {
    fc.assert(
      fc.property(graph, (make) => {
        const value = make();
        expectSameGraph(value, decodeAmf3(encodeAmf3(value)));
      }),
      { numRuns: 300 },
    );
  });

  it('decode → encode gives back the same bytes', () => {
    fc.assert(
      fc.property(graph, (make) => {
        const bytes = encodeAmf3(make());
        expect(encodeAmf3(decodeAmf3(bytes))).toEqual(bytes);
      }),
      { numRuns: 300 },
    );
  });
});

// A sanity check on the generator itself, so the properties above cannot pass vacuously.
describe('the AMF3 value generator', () => {
  it('produces shared references, cycles, typed objects and every container kind', () => {
    const seen = new Set<string>();
    fc.assert(
      fc.property(graph, (make) => {
        const value = make();
        const values = complexValues(value);
        for (const item of values) {
          if (item instanceof Map) seen.add('map');
          else if (item instanceof AmfVector) seen.add(`vector:${item.kind}`);
          else if (Array.isArray(item)) seen.add(Object.keys(item).some((key) => !isArrayIndex(key)) ? 'associative' : 'array');
          else if ((item as AmfObject)[AMF_CLASS_NAME]) seen.add('typed');
        }
        if (hasReference(value)) seen.add('shared');
        if (values.some((item) => Object.prototype.hasOwnProperty.call(item, '__proto__'))) seen.add('__proto__');
      }),
      { numRuns: 300 },
    );
    expect([...seen].sort()).toEqual(
      ['__proto__', 'array', 'associative', 'map', 'shared', 'typed', 'vector:double', 'vector:int', 'vector:object', 'vector:uint'].sort(),
    );
  });
});

