import { describeWithPeers, peerPath, startPeer, type RunningPeer } from '@rtmpkit/test-peers';
import { afterEach, expect, it } from 'vitest';
import type { TunnelChannel } from '../src/index.js';
import { awaitConnectCommand } from './helpers/connect-probe.js';
import { logRequests, type LoggedRequest } from './helpers/request-log.js';
import { runCertificateTests, selfSignedCertificate } from './helpers/self-signed.js';
import { startTunnelServer, type TestTunnelServer } from './helpers/tunnel-pair.js';

/** How long a peer may take to reach `connect` through the tunnel. */
const PEER_DEADLINE_MS = 15_000;

interface PeerRun {
  connect: Awaited<ReturnType<typeof awaitConnectCommand>>;
  log: LoggedRequest[];
  channel: TunnelChannel;
}

let server: TestTunnelServer | undefined;
let peer: RunningPeer | undefined;
afterEach(async () => {
  await peer?.stop();
  await server?.close();
  peer = server = undefined;
});

/** Starts the tunnel server, runs a peer against it, and waits for its connect command. */
async function runPeerUntilConnect(
  program: 'ffmpeg' | 'rtmpdump',
  args: (url: string) => string[],
  tls?: { cert: string; key: string },
): Promise<PeerRun> {
  server = await startTunnelServer(tls ? { tls } : {});
  const log = logRequests(server.listener.server);
  const base = `${tls ? 'rtmpts' : 'rtmpt'}://127.0.0.1:${server.port}`;
  peer = startPeer(peerPath(program), args(`${base}/live/x`), { timeoutMs: PEER_DEADLINE_MS + 5000 });
  const running = peer;
  const channel = await server.nextChannel(PEER_DEADLINE_MS);
  const exited = running.done.then((result) => {
    throw new Error(`${program} exited (${result.code ?? result.signal}) before connect arrived:\n${result.stderr.slice(-3000)}`);
  });
  const connect = await Promise.race([awaitConnectCommand(channel), exited]);
  return { connect, log, channel };
}

/** What every RTMPT client must have done: open, then send/idle on one session with rising numbers. */
function checkTunnelRequests(log: LoggedRequest[], id: string) {
  expect(log[0]).toMatchObject({ method: 'POST', url: '/open/1' });
  const rest = log.slice(1).filter((entry) => entry.url !== '/fcs/ident2');
  expect(rest.length).toBeGreaterThan(0);
  const seqs = rest.map((entry) => {
    const match = /^\/(send|idle|close)\/([^/]+)\/(\d+)$/.exec(entry.url);
    expect(match, entry.url).not.toBeNull();
    expect(match![2]).toBe(id);
    return Number(match![3]);
  });
  for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1]!);
  for (const entry of log) {
    expect(entry.method).toBe('POST');
    expect(entry.headers['content-type']?.toString().toLowerCase()).toBe('application/x-fcs');
  }
  return seqs;
}

function summary(log: LoggedRequest[]): string {
  const start = log[0]?.at ?? 0;
  return log.map((entry) => `+${entry.at - start}ms c${entry.connection} ${entry.url}`).join('\n');
}

describeWithPeers('interop: ffmpeg as an RTMPT client', ['ffmpeg'], () => {
  it('opens a tunnel, handshakes and sends connect (app live, tcUrl rtmpt://…)', async () => {
    const { connect, log, channel } = await runPeerUntilConnect('ffmpeg', (url) => ['-hide_banner', '-nostdin', '-loglevel', 'warning', '-i', url, '-t', '1', '-f', 'null', '-']);
    expect(connect.commandObject).toMatchObject({ app: 'live', tcUrl: `rtmpt://127.0.0.1:${server!.port}/live` });
    const seqs = checkTunnelRequests(log, channel.id);
    expect(seqs[0], summary(log)).toBe(0);
    expect(log[1]!.url).toMatch(/^\/send\//);
    expect(log[0]!.headers['user-agent']).toBe('Shockwave Flash');
    // One keep-alive connection for the whole tunnel.
    expect(new Set(log.map((entry) => entry.connection)).size, summary(log)).toBe(1);
  });

  it.skipIf(!runCertificateTests)('does the same over rtmpts:// against the HTTPS server', async () => {
    const { connect, log, channel } = await runPeerUntilConnect(
      'ffmpeg',
      (url) => ['-hide_banner', '-nostdin', '-loglevel', 'warning', '-i', url, '-t', '1', '-f', 'null', '-'],
      selfSignedCertificate(),
    );
    expect(connect.commandObject).toMatchObject({ app: 'live', tcUrl: `rtmpts://127.0.0.1:${server!.port}/live` });
    expect(channel.secure).toBe(true);
    checkTunnelRequests(log, channel.id);
  });
});

describeWithPeers('interop: rtmpdump as an RTMPT client', ['rtmpdump'], () => {
  it('opens a tunnel, handshakes and sends connect (app live, tcUrl rtmpt://…)', async () => {
    const { connect, log, channel } = await runPeerUntilConnect('rtmpdump', (url) => ['-q', '--live', '--timeout', '10', '-r', url, '-o', '/dev/null']);
    expect(connect.commandObject).toMatchObject({ app: 'live', tcUrl: `rtmpt://127.0.0.1:${server!.port}/live` });
    const seqs = checkTunnelRequests(log, channel.id);
    expect(seqs[0], summary(log)).toBe(0);
    expect(log[1]!.url).toMatch(/^\/send\//);
    expect(log[0]!.headers['user-agent']).toBe('Shockwave Flash');
    // librtmp pipelines its sends on one connection without waiting for the replies.
    expect(new Set(log.map((entry) => entry.connection)).size, summary(log)).toBe(1);
  });
});
