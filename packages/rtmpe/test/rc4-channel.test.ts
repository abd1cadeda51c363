import { HandshakeError } from '@rtmpkit/core';
import { describe, expect, it } from 'vitest';
import { type Rc4Keys, rtmpeCipher } from '../src/crypto/rc4-keys.js';
import { RTMPE_HANDSHAKE_LENGTH } from '../src/rtmpe/constants.js';
import { rc4Channel } from '../src/rtmpe/rc4-channel.js';
import { FakeChannel } from './helpers/fake-channel.js';

const KEYS: Rc4Keys = { keyIn: Buffer.alloc(16, 0x11), keyOut: Buffer.alloc(16, 0x22) };
const OTHER: Rc4Keys = { keyIn: Buffer.alloc(16, 0x33), keyOut: Buffer.alloc(16, 0x44) };
const HANDSHAKE = Buffer.from(Array.from({ length: RTMPE_HANDSHAKE_LENGTH }, (_, i) => (i * 13) & 0xff));
/** A type-0 chunk header of a connect command (csid 3, length 0x1b, type 20, stream 0) and a body. */
const CONNECT = Buffer.concat([Buffer.from('03' + '000000' + '00001b' + '14' + '00000000', 'hex'), Buffer.from('0200')]);

const encrypt = (key: Uint8Array, bytes: Uint8Array) => Buffer.from(rtmpeCipher(key).process(Buffer.from(bytes)));

function attached(keys?: Rc4Keys | Rc4Keys[]) {
  const inner = new FakeChannel();
  const channel = rc4Channel(inner, keys);
  const received: Buffer[] = [];
  const closed: (Error | undefined)[] = [];
  channel.attach({ data: (bytes) => received.push(bytes), drain: () => {}, close: (error) => closed.push(error) });
  return { inner, channel, received, closed, got: () => Buffer.concat(received) };
}

describe('rc4Channel carrying the handshake', () => {
  it('passes 3073 bytes each way in the clear, then ciphers with the keys set meanwhile', () => {
    const { inner, channel, got } = attached();
    expect(channel.state).toBe('handshake');
    channel.write(HANDSHAKE.subarray(0, 1537));
    inner.push(HANDSHAKE.subarray(0, 2000));
    channel.setKeys(KEYS);
    channel.write(HANDSHAKE.subarray(1537));
    inner.push(HANDSHAKE.subarray(2000));
    expect(channel.state).toBe('encrypted');
    expect(inner.sent).toEqual(HANDSHAKE);
    expect(got()).toEqual(HANDSHAKE);

    channel.write(CONNECT);
    expect(inner.written.at(-1)).toEqual(encrypt(KEYS.keyOut, CONNECT));
    inner.push(encrypt(KEYS.keyIn, CONNECT));
    expect(got().subarray(RTMPE_HANDSHAKE_LENGTH)).toEqual(CONNECT);
  });

  it('splits a read that holds the end of C2 and the first encrypted bytes; the keys may come from the clear part', () => {
    const { inner, channel, received } = attached();
    const wire = Buffer.concat([HANDSHAKE, encrypt(KEYS.keyIn, CONNECT)]);
    const inbound: Buffer[] = [];
    // The handshake consumer sets the keys while it reads the clear part, as the extension does.
    const original = received.push.bind(received);
    received.push = (...items: Buffer[]) => {
      inbound.push(...items);
      if (Buffer.concat(inbound).length >= 1537 && !channel.keys) channel.setKeys(KEYS);
      return original(...items);
    };
    inner.push(wire);
    expect(received.map((piece) => piece.length)).toEqual([RTMPE_HANDSHAKE_LENGTH, CONNECT.length]);
    expect(received[1]).toEqual(CONNECT);
  });

  it('a write that straddles the end of the handshake sends its clear head and encrypted tail', () => {
    const { inner, channel } = attached(undefined);
    channel.setKeys(KEYS);
    channel.write(Buffer.concat([HANDSHAKE, CONNECT]));
    expect(inner.sent.subarray(0, RTMPE_HANDSHAKE_LENGTH)).toEqual(HANDSHAKE);
    expect(inner.sent.subarray(RTMPE_HANDSHAKE_LENGTH)).toEqual(encrypt(KEYS.keyOut, CONNECT));
  });

  it('encrypts into a fresh buffer: a buffer shared by two connections stays as it was', () => {
    const a = attached(KEYS);
    const b = attached(OTHER);
    const shared = Buffer.from(CONNECT);
    a.channel.write(shared);
    b.channel.write(shared);
    expect(shared).toEqual(CONNECT);
    expect(a.inner.written[0]).toEqual(encrypt(KEYS.keyOut, CONNECT));
    expect(b.inner.written[0]).toEqual(encrypt(OTHER.keyOut, CONNECT));
    expect(a.inner.written[0]).not.toBe(shared);
  });

  it('fails with a HandshakeError when encrypted bytes flow and no keys were set', () => {
    const { inner, channel, closed } = attached();
    inner.push(HANDSHAKE);
    inner.push(Buffer.from('more'));
    expect(inner.destroyed).toBeInstanceOf(HandshakeError);
    expect(closed[0]).toBeInstanceOf(HandshakeError);
    expect(channel.write(Buffer.from('x'))).toBe(false);

    const sender = attached();
    expect(sender.channel.write(Buffer.concat([HANDSHAKE, Buffer.from('x')]))).toBe(false);
    expect(sender.inner.destroyed).toBeInstanceOf(HandshakeError);
  });

  it('passThrough() leaves every byte alone, for good', () => {
    const { inner, channel, got } = attached();
    channel.passThrough();
    channel.write(Buffer.concat([HANDSHAKE, CONNECT]));
    inner.push(Buffer.concat([HANDSHAKE, CONNECT]));
    expect(inner.sent).toEqual(Buffer.concat([HANDSHAKE, CONNECT]));
    expect(got()).toEqual(Buffer.concat([HANDSHAKE, CONNECT]));
    expect(channel.state).toBe('plain');
    expect(() => channel.setKeys(KEYS)).toThrow();
  });

  it('keys given up front cipher from the first byte (after the 1536-byte discard)', () => {
    const { inner, channel, got } = attached(KEYS);
    expect(channel.state).toBe('encrypted');
    channel.write(CONNECT);
    inner.push(encrypt(KEYS.keyIn, CONNECT));
    expect(inner.sent).toEqual(encrypt(KEYS.keyOut, CONNECT));
    expect(got()).toEqual(CONNECT);
    expect(() => channel.setKeys(OTHER)).toThrow(/already/);
  });

  it('holds what it decrypted while paused and hands it over on resume, in order', () => {
    const { inner, channel, received } = attached(KEYS);
    const cipher = rtmpeCipher(KEYS.keyIn);
    channel.pause();
    expect(inner.paused).toBe(true);
    inner.push(Buffer.from(cipher.process(Buffer.from('first '))));
    inner.push(Buffer.from(cipher.process(Buffer.from('second'))));
    expect(received).toHaveLength(0);
    channel.resume();
    expect(inner.paused).toBe(false);
    expect(Buffer.concat(received).toString()).toBe('first second');
  });

  it('passes drain, close, writableLength, remote and secure through', () => {
    const inner = new FakeChannel();
    const channel = rc4Channel(inner, KEYS);
    const events: string[] = [];
    channel.attach({ data: () => {}, drain: () => events.push('drain'), close: () => events.push('close') });
    inner.writableLength = 42;
    inner.handlers!.drain();
    channel.end();
    channel.destroy();
    expect(events).toEqual(['drain', 'close']);
    expect([channel.writableLength, channel.remote.port, channel.secure, inner.ended]).toEqual([42, 1, false, true]);
  });
});

describe('rc4Channel with candidate keys (an ambiguous shared secret)', () => {
  it('picks the pair that decrypts the first bytes into a chunk header, whichever position it has', () => {
    for (const [candidates, right] of [[[KEYS, OTHER], OTHER], [[OTHER, KEYS], OTHER]] as const) {
      const { inner, channel, got } = attached([...candidates]);
      inner.push(encrypt(right.keyIn, CONNECT));
      expect(channel.keys).toBe(right);
      expect(got()).toEqual(CONNECT);
      channel.write(Buffer.from('reply'));
      expect(inner.sent).toEqual(encrypt(right.keyOut, Buffer.from('reply')));
    }
  });

  it('waits for enough bytes to tell, across reads', () => {
    const { inner, channel, got } = attached([KEYS, OTHER]);
    const wire = encrypt(OTHER.keyIn, CONNECT);
    inner.push(wire.subarray(0, 5));
    expect(channel.keys).toBeUndefined();
    inner.push(wire.subarray(5, 9));
    expect(channel.keys).toBeUndefined();
    inner.push(wire.subarray(9));
    expect(channel.keys).toBe(OTHER);
    expect(got()).toEqual(CONNECT);
  });

  it('settles on the first pair when no pair fits, or when it has to send first', () => {
    const garbage = attached([KEYS, OTHER]);
    garbage.inner.push(Buffer.alloc(20, 0xff).map((_, i) => 0xc0 | i));
    expect(garbage.channel.keys).toBe(KEYS);

    const sender = attached([OTHER, KEYS]);
    sender.channel.write(CONNECT);
    expect(sender.channel.keys).toBe(OTHER);
    expect(sender.inner.sent).toEqual(encrypt(OTHER.keyOut, CONNECT));
  });
});
