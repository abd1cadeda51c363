import { InvalidUrlError } from '@rtmpkit/core';

/** Where the client tunnel posts: scheme, host and port. */
export interface TunnelTarget {
  secure: boolean;
  host: string;
  port: number;
}

const SECURE: Record<string, boolean> = { 'rtmpt:': false, 'http:': false, 'rtmpte:': false, 'rtmpts:': true, 'https:': true };

/**
 * Reads `rtmpt://host[:port]/…`, `rtmpts://…`, `http://…` or `https://…`: HTTP for rtmpt (port
 * 80 by default), HTTPS for rtmpts (443), as FFmpeg does. The path is the RTMP application's
 * business, not the tunnel's.
 */
export function tunnelTarget(input: string | URL): TunnelTarget {
  let url: URL;
  try {
    url = typeof input === 'string' ? new URL(input) : input;
  } catch {
    throw new InvalidUrlError(`"${String(input)}" is not a URL; expected e.g. rtmpt://127.0.0.1:8080/live`);
  }
  const secure = SECURE[url.protocol];
  if (secure === undefined) {
    throw new InvalidUrlError(`the RTMPT tunnel speaks rtmpt, rtmpts, http and https, not ${url.protocol} (${url.href})`);
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (host === '') throw new InvalidUrlError(`${url.href} has no host`);
  return { secure, host, port: url.port === '' ? (secure ? 443 : 80) : Number(url.port) };
}
