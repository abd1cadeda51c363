import { connect } from 'node:net';
import { describeWithPeers, makeTestFlv } from '@rtmpkit/test-peers';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { TlsHandshakeError } from '../src/index.js';
import { eventually, within } from './helpers/deadline.js';
import { errorLines, ffmpegPublishFile } from './helpers/ffmpeg.js';
import { expectH264AacStream, summarize } from './helpers/media-summary.js';
import { startRecordingServer, type RecordingServer } from './helpers/recording-server.js';
import { tempDir } from './helpers/temp-dir.js';

/** Opens plain TCP to `port`, writes `bytes`, and resolves with the local port once the server closed it. */
function garbageClient(port: number, bytes: Buffer): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => socket.write(bytes));
    let localPort = 0;
    socket.once('connect', () => (localPort = socket.localPort!));
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' ? undefined : reject(error)));
    socket.on('close', () => resolve(localPort));
    socket.resume();
  });
}

describeWithPeers('interop: garbage instead of a TLS hello, next to an ffmpeg publish over RTMPS', ['ffmpeg'], () => {
  const cache = tempDir('garbage');
  const connectionErrors: Array<{ error: unknown; port?: number }> = [];
  let server: RecordingServer;
  let file: string;

  beforeAll(async () => {
    file = await makeTestFlv({ seconds: 5 });
    server = await startRecordingServer({
      developmentCertificate: { directory: cache.path },
      onConnectionError: (error, remote) => connectionErrors.push({ error, port: remote.port }),
    });
  });

  afterAll(async () => {
    try {
      await server?.close();
    } finally {
      cache.remove();
    }
  });

  it('each garbage client is closed with a TlsHandshakeError naming it; the ffmpeg publish goes through whole', async () => {
    const ffmpeg = ffmpegPublishFile(file, server.url('live/good'), { seconds: 3 });
    const publish = await server.publishOf('good');
    await eventually(() => publish.messages.length > 10, 5000, 'media flowing from ffmpeg');

    const plainRtmp = Buffer.alloc(1537, 0x5a);
    plainRtmp[0] = 3;
    const clients = [
      Buffer.from('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'),
      plainRtmp,
      Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) & 0xff)),
    ];
    const ports = await within(Promise.all(clients.map((bytes) => garbageClient(server.port, bytes))), 5000, 'the server closing the garbage clients');
    await eventually(() => connectionErrors.length >= clients.length, 3000, 'a connection error per garbage client');
    expect(connectionErrors.map((entry) => entry.port).sort()).toEqual([...ports].sort());
    for (const { error } of connectionErrors) {
      expect(error).toBeInstanceOf(TlsHandshakeError);
      expect((error as TlsHandshakeError).code).toBe('ERR_RTMPS_HANDSHAKE');
      expect((error as Error).message).toMatch(/^TLS handshake with 127\.0\.0\.1:\d+ failed: the client (sent an HTTP request|did not start a TLS handshake)/);
    }
    expect(connectionErrors.filter((entry) => (entry.error as Error).message.includes('HTTP request'))).toHaveLength(1);

    const result = await ffmpeg.done;
    expect(errorLines(result.stderr), result.stderr).toEqual([]);
    expect(result.code, result.stderr).toBe(0);
    expect(await publish.done).toBeUndefined();
    expectH264AacStream(summarize(publish.messages), { width: 320, height: 240, spanMs: [2500, 3500], minKeyframes: 3 });
    expect(server.sessions).toHaveLength(1);
  });
});
