import { TunnelError } from '../errors.js';
import { ZERO_BODY } from '../protocol/constants.js';
import { tunnelPath } from '../protocol/tunnel-path.js';
import { resolveClientLimits, type TunnelClientOptions } from './client-options.js';
import { ClientTunnel, type TunnelClientChannel } from './client-tunnel.js';
import { TunnelPoster } from './tunnel-poster.js';
import { tunnelTarget } from './tunnel-target.js';

/** A session id is printable ASCII; Red5 answers a lone 0x00 byte when it has no free slot. */
const SESSION_ID_PATTERN = /^[\x21-\x7e]{1,128}$/;

/**
 * Opens an RTMPT tunnel session (`POST /open/1`) to the server of `url` (`rtmpt://` or `http://`
 * over HTTP, `rtmpts://` or `https://` over HTTPS) and returns it as a `ByteChannel` for the RTMP
 * client session. Rejects with a `TunnelError` when the server is not there or refuses.
 */
export async function tunnelClientChannel(url: string | URL, options: TunnelClientOptions = {}): Promise<TunnelClientChannel> {
  const target = tunnelTarget(url);
  const limits = resolveClientLimits(options);
  const poster = new TunnelPoster(target, {
    tls: options.tls,
    userAgent: options.userAgent ?? 'Shockwave Flash',
    maxReplyBytes: limits.maxReplyBytes,
    requestTimeoutMs: limits.requestTimeoutMs,
  });
  const path = tunnelPath('open');
  try {
    const reply = await poster.post(path, [ZERO_BODY], options.signal);
    if (reply.status !== 200) {
      const text = reply.body.toString('utf8', 0, Math.min(reply.body.length, 200)).trim();
      throw new TunnelError(`${poster.where} answered ${reply.status} to ${path}${text ? `: ${text}` : ''}`, reply.status);
    }
    // FFmpeg trims trailing whitespace; librtmp drops the last byte (the "\n").
    const id = reply.body.toString('latin1').trimEnd();
    if (!SESSION_ID_PATTERN.test(id)) {
      throw new TunnelError(`${poster.where} gave no usable session id in reply to ${path} (the server may be full, or not RTMPT)`);
    }
    return new ClientTunnel(id, poster, reply.remote, target.secure, limits);
  } catch (error) {
    poster.close();
    throw error;
  }
}
