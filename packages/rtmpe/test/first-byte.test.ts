import { SessionClosedError, TimeoutError } from '@rtmpkit/core';
import { describe, expect, it } from 'vitest';
import { peekFirstByte } from '../src/index.js';
import { FakeChannel } from './helpers/fake-channel.js';

/** Attaches a recorder to a peeked channel. */
function record(channel: { attach: FakeChannel['attach'] }) {
  const received: Buffer[] = [];
  const closed: (Error | undefined)[] = [];
  channel.attach({ data: (bytes) => received.push(bytes), drain: () => {}, close: (error) => closed.push(error) });
  return { received, closed, got: () => Buffer.concat(received) };
}

describe('peekFirstByte', () => {
  it('reports the first byte and replays every byte that came before attach, in order', async () => {
    const inner = new FakeChannel();
    const peeking = peekFirstByte(inner, 1000);
    inner.push(Buffer.of(6, 1, 2));
    inner.push(Buffer.of(3, 4));
    const { firstByte, channel } = await peeking;
    expect(firstByte).toBe(6);
    inner.push(Buffer.of(5));
    const { got } = record(channel);
    expect(got()).toEqual(Buffer.of(6, 1, 2, 3, 4, 5));
    inner.push(Buffer.of(7));
    expect(got()).toEqual(Buffer.of(6, 1, 2, 3, 4, 5, 7));
  });

  it('skips empty reads and passes writes, end and destroy through to the inner channel', async () => {
    const inner = new FakeChannel();
    const peeking = peekFirstByte(inner, 1000);
    inner.push(Buffer.alloc(0));
    inner.push(Buffer.of(3));
    const { firstByte, channel } = await peeking;
    expect(firstByte).toBe(3);
    channel.write(Buffer.from('S0S1'));
    channel.end();
    expect(inner.sent.toString()).toBe('S0S1');
    expect(inner.ended).toBe(true);
    const error = new Error('stop');
    channel.destroy(error);
    expect(inner.destroyed).toBe(error);
  });

  it('holds bytes while paused and delivers them on resume', async () => {
    const inner = new FakeChannel();
    const peeking = peekFirstByte(inner, 1000);
    inner.push(Buffer.of(6));
    const { channel } = await peeking;
    const { got } = record(channel);
    channel.pause();
    expect(inner.paused).toBe(true);
    inner.push(Buffer.of(8, 9));
    expect(got()).toEqual(Buffer.of(6));
    channel.resume();
    expect(inner.paused).toBe(false);
    expect(got()).toEqual(Buffer.of(6, 8, 9));
  });

  it('a close after the first byte but before attach comes after the held bytes', async () => {
    const inner = new FakeChannel();
    const peeking = peekFirstByte(inner, 1000);
    inner.push(Buffer.of(3, 0));
    const { channel } = await peeking;
    const gone = new Error('gone');
    inner.handlers!.close(gone);
    const { got, closed } = record(channel);
    expect(got()).toEqual(Buffer.of(3, 0));
    expect(closed).toEqual([gone]);
  });

  it('rejects when the channel closes before any byte', async () => {
    const inner = new FakeChannel();
    const peeking = peekFirstByte(inner, 1000);
    inner.handlers!.close(undefined);
    await expect(peeking).rejects.toBeInstanceOf(SessionClosedError);
  });

  it('rejects with a handshake TimeoutError and destroys the channel when no byte comes in time', async () => {
    const inner = new FakeChannel();
    const peeking = peekFirstByte(inner, 30);
    await expect(peeking).rejects.toBeInstanceOf(TimeoutError);
    await expect(peeking).rejects.toMatchObject({ timeout: 'handshake', ms: 30 });
    expect(inner.destroyed).toBeInstanceOf(TimeoutError);
  });
});
