import { createSocket, type Socket } from 'node:dgram';
import { decodeChunk, encodeChunk, openStartupPacket, peekSessionId, sealStartupPacket, type Chunk } from '../../src/index.js';

/** A plain UDP socket that speaks startup packets: what it receives is decoded into chunks. */
export interface RawPeer {
  readonly socket: Socket;
  readonly port: number;
  /** Startup chunks received (session id 0 only), with where they came from. */
  readonly received: { chunk: Chunk; from: { host: string; port: number } }[];
  /** Datagrams received, of any kind. */
  datagrams: number;
  send(chunk: Chunk, to: { host: string; port: number }): void;
  close(): Promise<void>;
}

export async function rawPeer(host = '127.0.0.1', onChunk?: (chunk: Chunk, from: { host: string; port: number }, peer: RawPeer) => void): Promise<RawPeer> {
  const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
  await new Promise<void>((resolve) => socket.bind(0, host, () => resolve()));
  const peer: RawPeer = {
    socket,
    port: socket.address().port,
    received: [],
    datagrams: 0,
    send(chunk, to) {
      socket.send(sealStartupPacket([encodeChunk(chunk)]), to.port, to.host);
    },
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
  socket.on('message', (bytes, rinfo) => {
    peer.datagrams++;
    try {
      if (peekSessionId(bytes) !== 0) return;
      for (const raw of openStartupPacket(bytes).chunks) {
        const chunk = decodeChunk(raw);
        const from = { host: rinfo.address, port: rinfo.port };
        peer.received.push({ chunk, from });
        onChunk?.(chunk, from, peer);
      }
    } catch {
      // not a startup packet under the default key
    }
  });
  return peer;
}
