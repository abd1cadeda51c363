import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { RtmfpEndpoint, openProgress, peerEpd } from '../src/index.js';
import { rawPeer, type RawPeer } from './helpers/raw-udp.js';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close().catch(() => {});
});

async function raw(onChunk?: Parameters<typeof rawPeer>[1]): Promise<RawPeer> {
  const peer = await rawPeer('127.0.0.1', onChunk);
  cleanup.push(() => peer.close());
  return peer;
}

describe('a Redirect that names one address twice', () => {
  it('gets one IHello per address (rtmfp-cpp tcserver: the observed address, then the same ip:port as reported)', async () => {
    const target = await raw();
    const introducer = await raw((chunk, from, self) => {
      if (chunk.kind !== 'ihello') return;
      // What tcserver sends for a client without a NAT: its far address (observed), then what
      // it reported with setPeerInfo, which includes that same address.
      const addresses = [
        { host: '127.0.0.1', port: target.port, origin: 'observed' as const },
        { host: '127.0.0.1', port: target.port, origin: 'reported' as const },
        { host: '127.0.0.1', port: target.port, origin: 'reported' as const },
      ];
      self.send({ kind: 'redirect', tagEcho: chunk.tag, addresses }, from);
    });
    const client = await RtmfpEndpoint.bind('127.0.0.1', 0);
    cleanup.push(() => client.close());
    const progress = openProgress();
    // Shorter than the first retransmission (1 s): only the IHellos the Redirect itself causes.
    const error = await client
      .open({ epd: peerEpd(randomBytes(32)), addresses: [{ host: '127.0.0.1', port: introducer.port }], timeoutMs: 700, progress })
      .catch((caught: unknown) => caught);
    expect((error as Error).name).toBe('TimeoutError');
    expect(progress.redirects).toBe(1);
    expect(progress.introduced).toEqual([expect.objectContaining({ host: '127.0.0.1', port: target.port })]);
    expect(target.received.filter(({ chunk }) => chunk.kind === 'ihello')).toHaveLength(1);
  });
});
