import { describe, expect, it } from 'vitest';
import { ByteReader, ByteWriter } from '../src/bytes/index.js';
import { AmfDecodeError, TruncatedInputError } from '../src/errors/index.js';
import { AmfXml, AmfXmlDocument, type AmfValue } from '../src/amf/amf-value.js';
import { decodeAmf3, encodeAmf3, readAmf3, writeAmf3 } from '../src/amf/amf3/index.js';
import { hex, splits } from './helpers/hex.js';

describe('AMF3 single-byte values (0x00–0x03)', () => {
  it.each<[string, AmfValue, Buffer]>([
    ['undefined', undefined, hex`00`],
    ['null', null, hex`01`],
    ['false', false, hex`02`],
    ['true', true, hex`03`],
  ])('%s is one marker byte', (_name, value, bytes) => {
    expect(encodeAmf3(value)).toEqual(bytes);
    expect(decodeAmf3(bytes)).toBe(value);
  });

  it('keeps undefined and null apart', () => {
    expect(decodeAmf3(hex`00`)).toBeUndefined();
    expect(decodeAmf3(hex`01`)).toBeNull();
  });
});

describe('AMF3 numbers (0x04, 0x05)', () => {
  it('reads an integer', () => {
    expect(decodeAmf3(hex`04 05`)).toBe(5);
    expect(decodeAmf3(hex`04 ff ff ff ff`)).toBe(-1); // 29-bit two's complement
  });

  it('reads a double', () => {
    expect(decodeAmf3(hex`05 3f f8 00 00 00 00 00 00`)).toBe(1.5);
    expect(decodeAmf3(hex`05 7f f0 00 00 00 00 00 00`)).toBe(Infinity);
    expect(decodeAmf3(hex`05 7f f8 00 00 00 00 00 00`)).toBeNaN();
  });
});

describe('AMF3 strings (0x06) and the string table', () => {
  it('writes a string inline: (byteLength << 1) | 1, then UTF-8', () => {
    const bytes = hex`
      06              # string marker
      0b              # U29S-value: 5 bytes inline ((5 << 1) | 1)
      68 65 6c 6c 6f  # "hello"
    `;
    expect(encodeAmf3('hello')).toEqual(bytes);
    expect(decodeAmf3(bytes)).toBe('hello');
  });

  it('counts UTF-8 bytes, not UTF-16 units', () => {
    const bytes = hex`
      06              # string marker
      0d              # 6 bytes
      c3 a9           # é
      f0 9f 8e a5     # 🎥 (one code point, two UTF-16 units)
    `;
    expect(encodeAmf3('é🎥')).toEqual(bytes);
    expect(decodeAmf3(bytes)).toBe('é🎥');
  });

  it('sends a repeated string by reference and never the empty string', () => {
    const bytes = hex`
      09              # array marker
      09              # dense count 4
      01              # no associative part
      06 05 68 69     # "hi" inline: string table [0] = "hi"
      06 00           # reference to string 0 ((0 << 1) | 0)
      06 01           # "" is always inline...
      06 01           # ...and never enters the table
      `;
    expect(encodeAmf3(['hi', 'hi', '', ''])).toEqual(bytes);
    expect(decodeAmf3(bytes)).toEqual(['hi', 'hi', '', '']);
  });

  it('a string reference out of range is an AmfDecodeError', () => {
    expect(() => decodeAmf3(hex`06 00`)).toThrow(AmfDecodeError);
    expect(() => decodeAmf3(hex`09 05 01 06 03 61 06 02`)).toThrow(/string reference 1 out of range/);
  });

  it('a string longer than the input is a TruncatedInputError', () => {
    expect(() => decodeAmf3(hex`06 0b 68 65`)).toThrow(TruncatedInputError);
  });
});

describe('AMF3 Date (0x08)', () => {
  it('is a U29D-value of 1 and the milliseconds as a double', () => {
    const bytes = hex`
      08                          # date marker
      01                          # inline (no reference)
      42 78 bc fe 56 80 00 00     # 1.7e12 ms since 1970 (IEEE-754 double)
    `;
    expect(encodeAmf3(new Date(1.7e12))).toEqual(bytes);
    const decoded = decodeAmf3(bytes);
    expect(decoded).toBeInstanceOf(Date);
    expect((decoded as Date).getTime()).toBe(1.7e12);
  });

  it('sends the same Date instance twice by object reference', () => {
    const date = new Date(0);
    const bytes = hex`
      09 05 01                    # array, 2 dense, no associative part: object 0
      08 01 00 00 00 00 00 00 00 00  # the date inline: object 1
      08 02                       # reference to object 1
    `;
    expect(encodeAmf3([date, date])).toEqual(bytes);
    const [first, second] = decodeAmf3(bytes) as Date[];
    expect(first).toBe(second);
  });

  it('an invalid Date survives as an invalid Date', () => {
    const decoded = decodeAmf3(encodeAmf3(new Date(Number.NaN))) as Date;
    expect(Number.isNaN(decoded.getTime())).toBe(true);
  });
});

describe('AMF3 XML (0x0B) and XMLDocument (0x07)', () => {
  it('XML is AmfXml, its text inline', () => {
    const bytes = hex`
      0b                # xml marker
      09                # 4 bytes
      3c 61 2f 3e       # <a/>
    `;
    expect(encodeAmf3(new AmfXml('<a/>'))).toEqual(bytes);
    expect(decodeAmf3(bytes)).toEqual(new AmfXml('<a/>'));
  });

  it('XMLDocument is AmfXmlDocument', () => {
    const bytes = hex`07 09 3c 62 2f 3e   # xml-doc marker, 4 bytes, <b/>`;
    expect(encodeAmf3(new AmfXmlDocument('<b/>'))).toEqual(bytes);
    const decoded = decodeAmf3(bytes);
    expect(decoded).toBeInstanceOf(AmfXmlDocument);
    expect((decoded as AmfXmlDocument).xml).toBe('<b/>');
  });

  it('XML text uses the object table, not the string table', () => {
    const xml = new AmfXml('<a/>');
    const bytes = hex`
      09 07 01              # array of 3: object 0
      0b 09 3c 61 2f 3e     # XML inline: object 1 (no string-table entry)
      06 09 3c 61 2f 3e     # the same text as a string is still inline: string 0
      0b 02                 # the same AmfXml again: reference to object 1
    `;
    expect(encodeAmf3([xml, '<a/>', xml])).toEqual(bytes);
    const decoded = decodeAmf3(bytes) as unknown[];
    expect(decoded[0]).toBe(decoded[2]);
    expect(decoded[1]).toBe('<a/>');
  });
});

describe('AMF3 ByteArray (0x0C)', () => {
  it('writes any Uint8Array and decodes a Buffer view of the input', () => {
    const bytes = hex`
      0c            # byte-array marker
      07            # 3 bytes
      01 02 ff      # the bytes
    `;
    expect(encodeAmf3(new Uint8Array([1, 2, 255]))).toEqual(bytes);
    const decoded = decodeAmf3(bytes) as Buffer;
    expect(Buffer.isBuffer(decoded)).toBe(true);
    expect([...decoded]).toEqual([1, 2, 255]);
    expect(decoded.buffer).toBe(bytes.buffer); // a view, not a copy
    expect(decoded.byteOffset).toBe(bytes.byteOffset + 2);
  });

  it('the same Uint8Array twice goes once', () => {
    const data = Buffer.from([9]);
    expect(encodeAmf3([data, data])).toEqual(hex`09 05 01  0c 03 09  0c 02`);
  });
});

describe('bad input', () => {
  it.each([0x12, 0x20, 0xff])('marker 0x%s is an AmfDecodeError', (marker) => {
    expect(() => decodeAmf3(Buffer.from([marker]))).toThrow(AmfDecodeError);
    expect(() => decodeAmf3(Buffer.from([marker]))).toThrow(/unknown AMF3 marker/);
  });

  it('empty input is a TruncatedInputError', () => {
    expect(() => decodeAmf3(hex``)).toThrow(TruncatedInputError);
  });

  it('every cut of a valid encoding is a TruncatedInputError', () => {
    const bytes = encodeAmf3([1.5, 'hello', new Date(5), new Uint8Array([1, 2]), { a: [true] }]);
    for (const [head, tail] of splits(bytes)) {
      if (tail === undefined || tail.length === 0) continue;
      expect(() => decodeAmf3(head!)).toThrow(TruncatedInputError);
    }
  });
});

describe('the four entry points', () => {
  it('decodeAmf3 refuses trailing bytes', () => {
    expect(() => decodeAmf3(hex`03 00`)).toThrow(AmfDecodeError);
    expect(() => decodeAmf3(hex`03 00 00`)).toThrow(/2 trailing bytes/);
  });

  it('readAmf3 reads one value and leaves the reader just after it', () => {
    const reader = new ByteReader(hex`ff  04 05  06 03 61  ee`, 1);
    expect(readAmf3(reader)).toBe(5);
    expect(reader.offset).toBe(3);
    expect(readAmf3(reader)).toBe('a');
    expect(reader.offset).toBe(6);
  });

  it('each readAmf3 call starts with fresh tables', () => {
    // The second value refers to string 0, which only the first call's table holds.
    const reader = new ByteReader(hex`06 03 61  06 00`);
    expect(readAmf3(reader)).toBe('a');
    expect(() => readAmf3(reader)).toThrow(AmfDecodeError);
  });

  it('each writeAmf3 call starts with fresh tables', () => {
    const writer = new ByteWriter();
    writeAmf3(writer, 'a');
    writeAmf3(writer, 'a');
    expect(writer.finish()).toEqual(hex`06 03 61  06 03 61`);
  });

  it('encodeAmf3 returns a Buffer', () => {
    expect(Buffer.isBuffer(encodeAmf3(1))).toBe(true);
  });
});
