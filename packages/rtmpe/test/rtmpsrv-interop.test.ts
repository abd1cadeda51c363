import { connect as tcpConnect } from 'node:net';
import { ChunkEncoder, type RtmpCommand, encodeCommand } from '@rtmpkit/core';
import { describeWithPeers, peerPath } from '@rtmpkit/test-peers';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rtmpeClientLink } from '../src/rtmpe/rtmpe-link.js';
import { librtmpSecretPadding } from './helpers/librtmp-build.js';
import { readRtmp } from './helpers/rtmp-reader.js';
import { RTMPSRV_PORT, type RunningRtmpsrv, port1935Busy, startRtmpsrv } from './helpers/rtmpsrv.js';
import { socketChannel } from './helpers/socket-channel.js';

const busy = await port1935Busy();
const TC_URL = `rtmpe://127.0.0.1:${RTMPSRV_PORT}/live`;

interface Session {
  handshakeType: number | undefined;
  result: RtmpCommand;
}

/**
 * Our client end against rtmpsrv: the RTMPE handshake, then `connect` encrypted with core's
 * ChunkEncoder, then rtmpsrv's answer decrypted and decoded.
 */
async function connectEncrypted(flashVersion: Uint8Array | undefined): Promise<Session> {
  const socket = tcpConnect({ host: '127.0.0.1', port: RTMPSRV_PORT });
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  // A client must guess how the peer lays out a short secret; ask how this librtmp was built.
  const secretPadding = librtmpSecretPadding(peerPath('rtmpsrv')) ?? 'trailing-zeros';
  const link = rtmpeClientLink(socketChannel(socket), { flashVersion, secretPadding });
  const encoder = new ChunkEncoder();
  try {
    const result = await new Promise<RtmpCommand>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no answer to connect within 5 s')), 5000);
      readRtmp(link.channel, link.handshake, {
        onHandshakeDone: () => {
          const connect = encodeCommand(
            { name: 'connect', transactionId: 1, commandObject: { app: 'live', flashVer: 'LNX 9,0,124,2', tcUrl: TC_URL, objectEncoding: 0 }, args: [] },
            { streamId: 0 },
          );
          link.channel.write(encoder.encode(connect, 3));
        },
        onCommand: (command) => {
          if (command.transactionId !== 1) return;
          clearTimeout(timer);
          resolve(command);
        },
        onError: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      link.channel.write(link.handshake.start());
    });
    return { handshakeType: link.handshake.handshakeType, result };
  } finally {
    socket.destroy();
  }
}

describeWithPeers('our RTMPE client against rtmpsrv (librtmp server, port 1935)', ['rtmpsrv'], () => {
  if (busy) {
    if (process.env.CI === 'true') {
      it('needs TCP port 1935 free for rtmpsrv', () => {
        throw new Error('port 1935 is in use; rtmpsrv cannot listen anywhere else');
      });
    } else {
      it.skip('skipped: TCP port 1935 is in use here, and rtmpsrv can listen nowhere else', () => {});
    }
    return;
  }

  let rtmpsrv: RunningRtmpsrv;
  beforeAll(async () => {
    rtmpsrv = await startRtmpsrv();
  });
  afterAll(async () => {
    await rtmpsrv?.stop();
  });

  const cases = [
    { type: 8, flashVersion: undefined, why: 'our C1 says 128.0.3.2, so librtmp answers type 8 (XTEA)' },
    { type: 6, flashVersion: Buffer.from([9, 0, 124, 2]), why: 'another C1 version gets type 6' },
  ];
  for (const { type, flashVersion, why } of cases) {
    it(`type ${type}: ${why}; rtmpsrv accepts our encrypted connect and answers through the cipher`, async () => {
      const session = await connectEncrypted(flashVersion);
      const log = rtmpsrv.log();
      expect(session.handshakeType, log.slice(-3000)).toBe(type);
      expect(session.result.name).toBe('_result');
      expect(session.result.args[0]).toMatchObject({ code: 'NetConnection.Connect.Success' });
      expect(await rtmpsrv.waitForLog(/client invoking <connect>/, 2000)).toBe(true);
      expect(log).toMatch(/Type Requested : 06/);
      expect(log).toMatch(/Genuine Adobe Flash Player/);
      expect(rtmpsrv.log()).toContain(TC_URL);
    }, 30_000);
  }
});
