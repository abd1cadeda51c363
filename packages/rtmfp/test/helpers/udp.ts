import { createSocket } from 'node:dgram';
import type { Listener } from '@rtmpkit/core';
import { decodeChunk, encodeChunk, openStartupPacket, peekSessionId, sealStartupPacket, serverEpd } from '../../src/index.js';

/**
 * The compliance suite's `sendRaw` for UDP: sends `bytes` to the listener as datagrams (1400
 * bytes each), then proves the server dropped them and still serves by sending a real IHello
 * from the same socket and waiting for its RHello (UDP from one socket is read in order).
 */
export function sendRawUdp(listener: Listener, bytes: Buffer): Promise<void> {
  const host = listener.address.address;
  const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
  const tag = Buffer.from('0123456789abcdef');
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error('no RHello after the garbage: the server stopped answering')), 5000);
    const finish = (error?: Error) => {
      clearTimeout(timer);
      socket.close();
      if (error) reject(error);
      else resolve();
    };
    socket.on('message', (datagram) => {
      try {
        if (peekSessionId(datagram) !== 0) return;
        const chunk = decodeChunk(openStartupPacket(datagram).chunks[0]!);
        if (chunk.kind === 'rhello' && chunk.tagEcho.equals(tag)) finish();
      } catch {
        // not for us
      }
    });
    socket.on('error', (error) => finish(error));
    socket.connect(listener.address.port, host, () => {
      for (let offset = 0; offset < bytes.length || offset === 0; offset += 1400) {
        socket.send(bytes.subarray(offset, offset + 1400));
        if (bytes.length === 0) break;
      }
      const hello = encodeChunk({ kind: 'ihello', epd: serverEpd(`rtmfp://${host}/live`), tag });
      socket.send(sealStartupPacket([hello]));
    });
  });
}
