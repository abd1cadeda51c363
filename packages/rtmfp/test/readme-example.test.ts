import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import {
  RtmfpInitiator,
  RtmfpResponder,
  PacketCipher,
  decodeChunk,
  encodeChunk,
  encodePing,
  openPacket,
  openStartupPacket,
  sealPacket,
  sealStartupPacket,
  serverEpd,
  type Chunk,
} from '../src/index.js';

// The README's example, run as it is written. The second test keeps the two copies equal.

describe('README example', () => {
  it('runs and prints what it says', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    // README example start
    const client = new RtmfpInitiator({ epd: serverEpd('rtmfp://127.0.0.1/live'), sessionId: 1 });
    const server = new RtmfpResponder(); // ephemeral keys in groups 14 and 2, random cookie secret
    const from = { host: '127.0.0.1', port: 50000 }; // where the client's datagrams come from
    const allocate = () => 0x0badcafe; // the server's id for the new session

    // Handshake packets travel in startup mode under the default key.
    const wire = (chunk: Chunk, sessionId = 0): Chunk =>
      decodeChunk(openStartupPacket(sealStartupPacket([encodeChunk(chunk)], { sessionId })).chunks[0]!);

    const hello = server.receive(wire(client.ihello()), from, allocate);
    if (hello.kind !== 'rhello') throw new Error('expected an RHello');
    const keying = client.receive(wire(hello.chunk));
    if (keying.kind !== 'send') throw new Error('expected an IIKeying');
    const accepted = server.receive(wire(keying.chunk), from, allocate);
    if (accepted.kind !== 'accepted') throw new Error('expected a new session');
    const opened = client.receive(wire(accepted.rikeying, client.sessionId)); // to the client's id
    if (opened.kind !== 'open') throw new Error('expected the session to open');

    // Both ends now hold matching keys: what one encrypts, the other opens.
    const datagram = sealPacket(
      { sessionId: opened.result.farSessionId, mode: 'initiator', chunks: [encodePing(Buffer.from('hi'))] },
      new PacketCipher(opened.result.keys.encryptKey),
    );
    const packet = openPacket(datagram, new PacketCipher(accepted.result.keys.decryptKey));
    console.log(packet.chunks[0]!.payload.toString()); // 'hi'
    // README example end
    expect(log).toHaveBeenCalledWith('hi');
    log.mockRestore();
  });

  it('is the same code as the README', () => {
    const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
    const block = /## Example: a handshake in memory\n\n```ts\n([\s\S]*?)```/.exec(readme)![1]!;
    const self = readFileSync(import.meta.filename, 'utf8');
    const snippet = /\/\/ README example start\n([\s\S]*?)\n\s*\/\/ README example end/.exec(self)![1]!;
    const statements = block.slice(block.indexOf("from '@rtmpkit/rtmfp';") + "from '@rtmpkit/rtmfp';".length).trim();
    const dedented = snippet.split('\n').map((line) => line.replace(/^    /, '')).join('\n').trim();
    expect(dedented).toBe(statements);
  });
});
