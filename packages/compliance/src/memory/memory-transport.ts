import {
  parseRtmpUrl,
  startClientSession,
  startServerSession,
  type ConnectOptions,
  type IncomingSession,
  type Listener,
  type ListenOptions,
  type Session,
  type Transport,
} from '@rtmpkit/core';
import { memoryChannelPair } from './memory-channel.js';

interface MemoryListener {
  accept(session: Promise<IncomingSession>): void;
  settings: ListenOptions;
}

/**
 * A place where in-memory listeners live, so clients can reach them by `rtmp://memory:PORT/app`.
 * Each network is its own world: nothing is global, two tests never see each other.
 */
export interface MemoryNetwork {
  transport(): Transport;
  /**
   * Opens a raw connection below RTMP to the listener on `port`, writes `bytes`, hangs up if
   * asked, and resolves when the server side has closed it (for garbage-input tests).
   */
  sendRaw(port: number, bytes: Buffer, options?: { hangUp?: boolean }): Promise<void>;
}

export function memoryNetwork(): MemoryNetwork {
  const listeners = new Map<number, MemoryListener>();
  let nextPort = 1;

  class MemoryTransport implements Transport {
    readonly scheme = 'rtmp' as const;

    async connect(url: string | URL, options: ConnectOptions = {}): Promise<Session> {
      const target = parseRtmpUrl(url, ['rtmp']);
      const listener = listeners.get(target.port);
      if (target.host !== 'memory' || !listener) throw new Error(`no in-memory listener at ${target.host}:${target.port}`);
      const [clientSide, serverSide] = memoryChannelPair();
      listener.accept(startServerSession(serverSide, { ...listener.settings, scheme: 'rtmp' }));
      return startClientSession(clientSide, { ...options, url: target.tcUrl, scheme: 'rtmp' });
    }

    async listen(options: ListenOptions = {}): Promise<Listener> {
      const port = options.port || nextPort++;
      if (listeners.has(port)) throw new Error(`in-memory port ${port} is in use`);
      const queue: IncomingSession[] = [];
      const waiting: Array<(result: IteratorResult<IncomingSession>) => void> = [];
      let closed = false;
      const { host: _host, port: _port, signal: _signal, ...settings } = options;
      listeners.set(port, {
        settings,
        accept(pending) {
          pending.then(
            (incoming) => {
              const taker = waiting.shift();
              if (taker) taker({ value: incoming, done: false });
              else queue.push(incoming);
            },
            () => {},
          );
        },
      });
      return {
        address: { address: 'memory', port, family: 'memory' },
        [Symbol.asyncIterator]: () => ({
          next: () => {
            const incoming = queue.shift();
            if (incoming) return Promise.resolve({ value: incoming, done: false as const });
            if (closed) return Promise.resolve({ value: undefined, done: true as const });
            return new Promise((resolve) => waiting.push(resolve));
          },
        }),
        async close() {
          closed = true;
          listeners.delete(port);
          for (const taker of waiting.splice(0)) taker({ value: undefined, done: true });
          await Promise.all(queue.splice(0).map((incoming) => incoming.reject('listener closed').catch(() => {})));
        },
      };
    }
  }

  return {
    transport: () => new MemoryTransport(),
    sendRaw(port, bytes, options = {}) {
      const listener = listeners.get(port);
      if (!listener) return Promise.reject(new Error(`no in-memory listener on port ${port}`));
      const [rawSide, serverSide] = memoryChannelPair();
      listener.accept(startServerSession(serverSide, { ...listener.settings, scheme: 'rtmp' }));
      return new Promise((resolve) => {
        rawSide.attach({ data() {}, drain() {}, close: () => resolve() });
        rawSide.write(bytes);
        if (options.hangUp) rawSide.end();
      });
    },
  };
}
