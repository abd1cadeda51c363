import type { Listener, Session } from '@rtmpkit/core';
import { rtmfp, rtmfpListenerInfo, rtmfpSessionInfo, type RtmfpTransportOptions } from '../../src/index.js';

/** A rendezvous server on loopback that accepts every client, and a way to add clients. */
export interface P2pWorld {
  readonly listener: Listener;
  readonly url: string;
  /** Connects a client and (unless `register: false`) waits until the server registered it as a peer (its setPeerInfo arrived). */
  client(options?: RtmfpTransportOptions, wait?: { register?: boolean }): Promise<Session>;
  /** The server sessions, in the order clients connected. */
  readonly serverSessions: Session[];
  close(): Promise<void>;
}

export function until(check: () => boolean, ms = 5000, what = 'condition'): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => (check() ? resolve() : Date.now() - started > ms ? reject(new Error(`${what} not met in ${ms} ms`)) : setTimeout(tick, 5));
    tick();
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function p2pWorld(server: RtmfpTransportOptions = {}): Promise<P2pWorld> {
  const listener = await rtmfp(server).listen({ host: '127.0.0.1', port: 0 });
  const serverSessions: Session[] = [];
  const clients: Session[] = [];
  const serving = (async () => {
    for await (const incoming of listener) serverSessions.push(await incoming.accept());
  })();
  const url = `rtmfp://127.0.0.1:${listener.address.port}/app`;
  return {
    listener,
    url,
    serverSessions,
    async client(options = {}, wait = {}) {
      const session = await rtmfp(options).connect(url);
      clients.push(session);
      const id = rtmfpSessionInfo(session)!.nearPeerId;
      if (wait.register ?? options.sendPeerInfo !== false) {
        await until(() => rtmfpListenerInfo(listener)!.peers().some((peer) => peer.peerId === id), 5000, 'registration');
      }
      return session;
    },
    async close() {
      for (const session of clients) await session.close().catch(() => {});
      await listener.close();
      await serving;
    },
  };
}

/** `count` video messages of `size` bytes with their index at byte 5. */
export function videoFrame(index: number, size = 4000): { type: number; timestamp: number; payload: Buffer } {
  const payload = Buffer.alloc(size, index & 0xff);
  payload[0] = 0x27;
  payload[1] = 0x01;
  payload.writeUInt32BE(index, 5);
  return { type: 9, timestamp: index * 33, payload };
}
