import { RtmpError } from '../errors/index.js';
import type { TransportScheme } from '../session/session-types.js';

/** Default ports per scheme (FFmpeg's and librtmp's choices). */
export const DEFAULT_PORTS: Readonly<Record<TransportScheme, number>> = {
  rtmp: 1935,
  rtmpe: 1935,
  rtmfp: 1935,
  rtmps: 443,
  rtmpt: 80,
  rtmpte: 80,
  rtmpts: 443,
};

export interface RtmpUrl {
  scheme: TransportScheme;
  /** Host name or address, without IPv6 brackets. */
  host: string;
  port: number;
  /** Application, with its instance if one was given (`live`, `vod/room1`), and any query. */
  app: string;
  /** The URL to send as `tcUrl` in `connect`: scheme, host, port and app. */
  tcUrl: string;
}

/** A URL that is not an RTMP URL this transport can use. */
export class InvalidUrlError extends RtmpError {
  constructor(message: string) {
    super(message, {}, 'ERR_RTMP_INVALID_URL');
    this.name = 'InvalidUrlError';
  }
}

/**
 * Parses `scheme://host[:port]/app[/instance][?query]`. The whole path is the application (as
 * FMS meant `app/instance`); stream names are given to `publish`/`play`, not in this URL.
 */
export function parseRtmpUrl(input: string | URL, expectedSchemes?: readonly TransportScheme[]): RtmpUrl {
  let url: URL;
  try {
    url = typeof input === 'string' ? new URL(input) : input;
  } catch {
    throw new InvalidUrlError(`"${String(input)}" is not a URL; expected e.g. rtmp://127.0.0.1:1935/live`);
  }
  const scheme = url.protocol.replace(/:$/, '') as TransportScheme;
  if (!(scheme in DEFAULT_PORTS)) {
    throw new InvalidUrlError(`unknown scheme "${scheme}:" in ${url.href}; expected one of ${Object.keys(DEFAULT_PORTS).join(', ')}`);
  }
  if (expectedSchemes && !expectedSchemes.includes(scheme)) {
    throw new InvalidUrlError(`this transport speaks ${expectedSchemes.join('/')}, not ${scheme}: use the ${scheme} transport package for ${url.href}`);
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') throw new InvalidUrlError(`${url.href} has no host`);
  const port = url.port === '' ? DEFAULT_PORTS[scheme] : Number(url.port);
  const path = decodeURIComponent(url.pathname.replace(/^\/+/, '').replace(/\/+$/, ''));
  if (path === '') throw new InvalidUrlError(`${url.href} names no application: add one, as in ${scheme}://${url.host}/live`);
  const app = path + url.search;
  const hostForUrl = host.includes(':') ? `[${host}]` : host;
  return { scheme, host, port, app, tcUrl: `${scheme}://${hostForUrl}:${port}/${app}` };
}
