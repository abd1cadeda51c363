import { describe, expect, it } from 'vitest';
import { Rc4 } from '../src/crypto/rc4.js';
import { hex } from './helpers/hex.js';

/**
 * RFC 6229 "Test Vectors for the Stream Cipher RC4" (Strombergson, Josefsson, May 2011), section 2:
 * the 16 keystream bytes at each offset for the keys 01 02 03 ... of several lengths, and for
 * keys of the RFC's second set (833222772a, 1910833222772a). Offset 1536 is the one RTMPE starts ciphering at. A subset of offsets for most keys; every
 * offset for the 128-bit key, the size RTMPE uses.
 */
const RFC6229: { key: string; stream: Record<number, string> }[] = [
  {
    key: '0102030405', // 40 bits
    stream: {
      0: 'b2 39 63 05 f0 3d c0 27 cc c3 52 4a 0a 11 18 a8',
      16: '69 82 94 4f 18 fc 82 d5 89 c4 03 a4 7a 0d 09 19',
      240: '28 cb 11 32 c9 6c e2 86 42 1d ca ad b8 b6 9e ae',
      1520: '32 94 f7 44 d8 f9 79 05 07 e7 0f 62 e5 bb ce ea',
      1536: 'd8 72 9d b4 18 82 25 9b ee 4f 82 53 25 f5 a1 30',
      4096: 'ff 25 b5 89 95 99 67 07 e5 1f bd f0 8b 34 d8 75',
    },
  },
  {
    key: '01020304050607', // 56 bits
    stream: {
      0: '29 3f 02 d4 7f 37 c9 b6 33 f2 af 52 85 fe b4 6b',
      1536: '78 b2 72 c9 6e 42 ea b4 c6 0b d9 14 e3 9d 06 e3',
      4080: 'f3 17 2c ef fc 3b 3d 99 7c 85 cc d5 af 1a 95 0c',
    },
  },
  {
    key: '0102030405060708', // 64 bits
    stream: {
      0: '97 ab 8a 1b f0 af b9 61 32 f2 f6 72 58 da 15 a8',
      256: 'd0 a9 90 ff 2c 05 fe f5 b9 03 73 c9 ff 4b 87 0a',
      1536: '83 69 e1 a9 65 61 0b e8 87 fb d0 c7 91 62 aa fb',
    },
  },
  {
    key: '0102030405060708090a', // 80 bits
    stream: {
      0: 'ed e3 b0 46 43 e5 86 cc 90 7d c2 18 51 70 99 02',
      1536: '8a 0f ed db ac 86 5a 09 bc d1 27 fb 56 2e d6 0a',
      3072: '7e 82 cb ab fc 95 38 1b 08 09 98 44 21 29 c2 f8',
    },
  },
  {
    key: '0102030405060708090a0b0c0d0e0f10', // 128 bits: every offset the RFC lists
    stream: {
      0: '9a c7 cc 9a 60 9d 1e f7 b2 93 28 99 cd e4 1b 97',
      16: '52 48 c4 95 90 14 12 6a 6e 8a 84 f1 1d 1a 9e 1c',
      240: '06 59 02 e4 b6 20 f6 cc 36 c8 58 9f 66 43 2f 2b',
      256: 'd3 9d 56 6b c6 bc e3 01 07 68 15 15 49 f3 87 3f',
      496: 'b6 d1 e6 c4 a5 e4 77 1c ad 79 53 8d f2 95 fb 11',
      512: 'c6 8c 1d 5c 55 9a 97 41 23 df 1d bc 52 a4 3b 89',
      752: 'c5 ec f8 8d e8 97 fd 57 fe d3 01 70 1b 82 a2 59',
      768: 'ec cb e1 3d e1 fc c9 1c 11 a0 b2 6c 0b c8 fa 4d',
      1008: 'e7 a7 25 74 f8 78 2a e2 6a ab cf 9e bc d6 60 65',
      1024: 'bd f0 32 4e 60 83 dc c6 d3 ce dd 3c a8 c5 3c 16',
      1520: 'b4 01 10 c4 19 0b 56 22 a9 61 16 b0 01 7e d2 97',
      1536: 'ff a0 b5 14 64 7e c0 4f 63 06 b8 92 ae 66 11 81',
      2032: 'd0 3d 1b c0 3c d3 3d 70 df f9 fa 5d 71 96 3e bd',
      2048: '8a 44 12 64 11 ea a7 8b d5 1e 8d 87 a8 87 9b f5',
      3056: 'fa be b7 60 28 ad e2 d0 e4 87 22 e4 6c 46 15 a3',
      3072: 'c0 5d 88 ab d5 03 57 f9 35 a6 3c 59 ee 53 76 23',
      4080: 'ff 38 26 5c 16 42 c1 ab e8 d3 c2 fe 5e 57 2b f8',
      4096: 'a3 6a 4c 30 1a e8 ac 13 61 0c cb c1 22 56 ca cc',
    },
  },
  {
    key: '0102030405060708090a0b0c0d0e0f101112131415161718', // 192 bits
    stream: {
      0: '05 95 e5 7f e5 f0 bb 3c 70 6e da c8 a4 b2 db 11',
      1536: '0e 31 7b 3d 1c 73 b9 e9 a4 68 8f 29 6d 13 3a 19',
    },
  },
  {
    key: '0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20', // 256 bits
    stream: {
      0: 'ea a6 bd 25 88 0b f9 3d 3f 5d 1e 4c a2 61 1d 91',
      1520: '40 f2 50 b2 6d 1f 09 6a 4a fd 4c 34 0a 58 88 15',
      1536: '3e 34 13 5c 79 db 01 02 00 76 76 51 cf 26 30 73',
      4096: 'f3 e4 c0 a2 e0 2d 1d 01 f7 f0 a7 46 18 af 2b 48',
    },
  },
  {
    key: '833222772a', // 40 bits, second key set
    stream: {
      0: '80 ad 97 bd c9 73 df 8a 2e 87 9e 92 a4 97 ef da',
      1536: '62 51 d8 7f d4 aa ae 9a 7e 4a d5 c2 17 d3 f3 00',
    },
  },
  {
    key: '1910833222772a', // 56 bits, second key set
    stream: {
      0: 'bc 92 22 db d3 27 4d 8f c6 6d 14 cc bd a6 69 0b',
      1536: 'f7 0f 14 12 2a 1c 98 a3 15 5d 28 b8 a0 a8 a4 1d',
      4096: '02 78 81 fa b4 99 3a 1c 26 20 24 a9 4f ff 3f 61',
    },
  },
];

function keystream(key: Uint8Array, length: number): Uint8Array {
  return new Rc4(key).process(new Uint8Array(length));
}

describe('RC4 against RFC 6229', () => {
  for (const { key, stream } of RFC6229) {
    it(`key ${key} (${key.length * 4} bits)`, () => {
      const offsets = Object.keys(stream).map(Number);
      const bytes = keystream(hex(key), Math.max(...offsets) + 16);
      for (const offset of offsets) {
        expect(Buffer.from(bytes.subarray(offset, offset + 16)).toString('hex'), `offset ${offset}`).toBe(hex(stream[offset]!).toString('hex'));
      }
    });
  }

  it('discard(1536) then the next 16 bytes are the RFC offset-1536 row (what RTMPE uses)', () => {
    const rc4 = new Rc4(hex('0102030405060708090a0b0c0d0e0f10'));
    rc4.discard(1536);
    expect(Buffer.from(rc4.process(new Uint8Array(16)))).toEqual(hex('ff a0 b5 14 64 7e c0 4f 63 06 b8 92 ae 66 11 81'));
  });
});

describe('RC4 as a stream', () => {
  const key = hex('0102030405060708090a0b0c0d0e0f10');
  const plain = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7 + 3) & 0xff));

  it('keeps its state between calls: any cut of the input gives the same bytes', () => {
    const whole = new Rc4(key).process(Buffer.from(plain));
    const rc4 = new Rc4(key);
    const pieces: Uint8Array[] = [];
    for (let at = 0, size = 1; at < plain.length; at += size, size = (size * 3 + 1) % 700 || 1) {
      pieces.push(rc4.process(Buffer.from(plain.subarray(at, at + size))));
    }
    expect(Buffer.concat(pieces)).toEqual(Buffer.from(whole));
  });

  it('works in place by default and into a separate output when given one, leaving the input alone', () => {
    const input = Buffer.from(plain.subarray(0, 64));
    const output = Buffer.alloc(64);
    new Rc4(key).process(input, output);
    expect(input).toEqual(plain.subarray(0, 64));
    const inPlace = Buffer.from(input);
    new Rc4(key).process(inPlace);
    expect(inPlace).toEqual(output);
  });

  it('decrypts what it encrypted', () => {
    const cipher = new Rc4(key).process(Buffer.from(plain));
    expect(Buffer.from(new Rc4(key).process(cipher))).toEqual(plain);
  });

  it('discard(n) is the same as ciphering n bytes and throwing them away, for n across its scratch size', () => {
    for (const n of [0, 1, 4095, 4096, 4097, 10_000]) {
      const a = new Rc4(key);
      a.discard(n);
      const b = new Rc4(key);
      b.process(new Uint8Array(n));
      expect(Buffer.from(a.process(new Uint8Array(8))), `n=${n}`).toEqual(Buffer.from(b.process(new Uint8Array(8))));
    }
  });

  it('clone() continues from the same position without disturbing the original', () => {
    const original = new Rc4(key);
    original.discard(100);
    const copy = original.clone();
    const fromCopy = copy.process(new Uint8Array(32));
    copy.process(new Uint8Array(50));
    expect(original.process(new Uint8Array(32))).toEqual(fromCopy);
  });

  it('refuses keys of 0 or more than 256 bytes, and an output shorter than the input', () => {
    expect(() => new Rc4(new Uint8Array(0))).toThrow(RangeError);
    expect(() => new Rc4(new Uint8Array(257))).toThrow(RangeError);
    expect(() => new Rc4(key).process(new Uint8Array(4), new Uint8Array(3))).toThrow(/output/);
  });
});
