/**
 * Bugs the interop tests found in the session or the transport: a failing test for each until its
 * owner fixes it, then kept as a regression test. Each test says what it expects and why.
 */
import { decodeCommand, encodeCommand, type RtmpMessage } from '@rtmpkit/core';
import { describeWithPeers, makeTestFlv } from '@rtmpkit/test-peers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeErrorOf } from './helpers/deadline.js';
import { ffmpegPublishFile } from './helpers/ffmpeg.js';
import { RawClient } from './helpers/raw-client.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

function commandNamed(name: string, transactionId?: number): (message: RtmpMessage) => boolean {
  return (message) => {
    if (message.type !== 20) return false;
    const command = decodeCommand(message);
    return command.name === name && (transactionId === undefined || command.transactionId === transactionId);
  };
}

/**
 * BUG 1 (fixed in 7361ee7, socket-channel ignores EPIPE/ECONNRESET and lets the session judge
 * by protocol state) — an orderly hang-up after FCUnpublish/deleteStream was reported as a lost
 * connection.
 *
 * FFmpeg ends a publish with FCUnpublish, deleteStream, then close() at once, without reading
 * the answers. The server answers FCUnpublish with `_result` and `onFCUnpublish` (two writes):
 * the first reaches a closed socket, whose kernel answers RST; the second write then fails with
 * EPIPE (Linux reports EPIPE, not ECONNRESET, because the socket had already received the
 * client's FIN: CLOSE_WAIT). socket-channel keeps that error and the session closes with
 * `SessionClosedError: the connection was lost: write EPIPE`, although the client did everything
 * in order and no message was cut. `Session.closeError` is documented as set only when the close
 * was "not an orderly close". Both tests failed that way on every run before the fix.
 */
describe('interop bugs: orderly hang-up after FCUnpublish + deleteStream', () => {
  let server: TestServer;
  const clients: RawClient[] = [];

  beforeAll(async () => {
    server = await startTestServer();
  });

  afterAll(async () => {
    for (const client of clients) client.destroy();
    await server?.close();
  });

  it('closeError stays undefined when a publisher sends FCUnpublish + deleteStream and closes its socket', async () => {
    const client = await RawClient.open(server.port);
    clients.push(client);
    await client.connect('live');
    const record = await server.waitForSession((r) => r.session.remote.port === client.localPort);

    client.sendCommand({ name: 'releaseStream', transactionId: 2, commandObject: null, args: ['x'] });
    client.sendCommand({ name: 'FCPublish', transactionId: 3, commandObject: null, args: ['x'] });
    client.sendCommand({ name: 'createStream', transactionId: 4, commandObject: null, args: [] });
    const created = decodeCommand(await client.waitFor(commandNamed('_result', 4)));
    const streamId = created.args[0] as number;
    client.sendMessage(encodeCommand({ name: 'publish', transactionId: 5, commandObject: null, args: ['x', 'live'] }, { streamId }), 8);
    await client.waitFor(commandNamed('onStatus'));
    expect(record.publishes.map((p) => p.name)).toEqual(['x']);

    // What FFmpeg's rtmp_close() does: FCUnpublish, deleteStream, close() — answers unread.
    client.sendCommand({ name: 'FCUnpublish', transactionId: 6, commandObject: null, args: ['x'] });
    client.sendCommand({ name: 'deleteStream', transactionId: 7, commandObject: null, args: [streamId] });
    client.destroy();

    const error = await closeErrorOf(record.session);
    expect(record.publishes[0]!.end?.error).toBeUndefined(); // the publish itself ended in order...
    expect(error, `closeError: ${String(error)} (cause: ${String((error as { cause?: unknown } | undefined)?.cause)})`).toBeUndefined(); // ...and so did the connection
  });
});

describeWithPeers('interop bugs: ffmpeg publisher hang-up', ['ffmpeg'], () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });

  afterAll(async () => {
    await server?.close();
  });

  it('closeError stays undefined after ffmpeg publishes and exits normally', async () => {
    const file = await makeTestFlv({ seconds: 5 });
    const result = await ffmpegPublishFile(file, server.url('live/short'), { seconds: 1 }).done;
    expect(result.code, result.stderr).toBe(0);
    const record = await server.waitForSession((r) => r.publishes.some((p) => p.name === 'short'));
    expect(record.commands.map((c) => c.name)).toEqual(['releaseStream', 'FCPublish', 'FCUnpublish']);
    expect(record.publishes[0]!.sessionStateAtEnd).toBe('connected'); // deleteStream arrived
    const error = await closeErrorOf(record.session);
    expect(error, `closeError: ${String(error)} (cause: ${String((error as { cause?: unknown } | undefined)?.cause)})`).toBeUndefined();
  });
});
