import { request } from 'node:http';
import type { Listener } from '@rtmpkit/core';

/** A complete HTTP reply as a test sees it. */
export interface RawReply {
  status: number;
  body: Buffer;
}

/** One POST on a fresh connection (no keep-alive pool), with the whole reply read. */
export function rawPost(port: number, path: string, body: Buffer = Buffer.of(0)): Promise<RawReply> {
  return new Promise((resolve, reject) => {
    const req = request({
      host: '127.0.0.1',
      port,
      path,
      method: 'POST',
      agent: false,
      headers: { 'Content-Type': 'application/x-fcs', 'Content-Length': String(body.length) },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.end(body);
  });
}

/** A sequence number far beyond any reorder window: 400 while the tunnel lives, 404 once it is gone. */
const PROBE_SEQ = 999_999_999_999;

/**
 * The compliance suite's "below RTMP" for a tunnel: open one by hand, post `bytes`, then keep
 * polling (or, with `hangUp`, only probe that it exists) until the server has closed it.
 */
export async function sendRawThroughTunnel(listener: Listener, bytes: Buffer, options: { hangUp?: boolean } = {}): Promise<void> {
  const port = listener.address.port;
  const opened = await rawPost(port, '/open/1');
  if (opened.status !== 200) throw new Error(`/open/1 answered ${opened.status}`);
  const id = opened.body.toString('latin1').trimEnd();
  const sent = await rawPost(port, `/send/${id}/0`, bytes);
  if (sent.status !== 200 || sent.body[0] === 0) return;
  const deadline = Date.now() + 10_000;
  for (let seq = 1; Date.now() < deadline; seq++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const reply = await rawPost(port, `/idle/${id}/${options.hangUp ? PROBE_SEQ : seq}`);
    if (reply.status === 404 || (reply.status === 200 && reply.body[0] === 0)) return;
  }
  throw new Error('the server kept a garbage tunnel open for 10 s');
}
