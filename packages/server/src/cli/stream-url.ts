import { DEFAULT_PORTS, type TransportScheme } from '@rtmpkit/core';
import { usageError } from './cli-error.js';

/** A stream URL split the way a client uses it: where to connect, and the stream to publish or play. */
export interface StreamUrl {
  scheme: TransportScheme;
  host: string;
  port: number;
  /** The application (`live`, `vod/room1`). */
  app: string;
  /** The stream name, with its query (`cam1?exp=…&sig=…`). */
  name: string;
  /** `scheme://host:port/app`: the URL to connect to. */
  connectUrl: string;
  /** The input as given, for messages. */
  text: string;
}

const EXAMPLE = 'rtmp://127.0.0.1:1935/live/cam1';

/**
 * Reads `scheme://host[:port]/app[/instance]/stream[?query]`: the last path segment is the
 * stream, what comes before is the application, the query goes with the stream (where signed
 * URLs put it). Throws a usage error that says what is wrong and shows an example.
 */
export function parseStreamUrl(text: string): StreamUrl {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw usageError(`bad URL "${text}": expected e.g. ${EXAMPLE}`);
  }
  const scheme = url.protocol.replace(/:$/, '');
  if (!(scheme in DEFAULT_PORTS)) {
    throw usageError(`bad URL "${text}": unknown scheme "${scheme}:"; use one of ${Object.keys(DEFAULT_PORTS).join(', ')} (e.g. ${EXAMPLE})`);
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!host) throw usageError(`bad URL "${text}": no host (e.g. ${EXAMPLE})`);
  let segments: string[];
  try {
    segments = url.pathname.split('/').filter((segment) => segment.length > 0).map((segment) => decodeURIComponent(segment));
  } catch {
    throw usageError(`bad URL "${text}": a path segment is not valid percent-encoding`);
  }
  if (segments.length < 2) throw usageError(`bad URL "${text}": it needs an application and a stream name, as in ${EXAMPLE}`);
  const port = url.port === '' ? DEFAULT_PORTS[scheme as TransportScheme] : Number(url.port);
  const app = segments.slice(0, -1).join('/');
  const name = segments[segments.length - 1]! + url.search;
  const hostForUrl = host.includes(':') ? `[${host}]` : host;
  return { scheme: scheme as TransportScheme, host, port, app, name, connectUrl: `${scheme}://${hostForUrl}:${port}/${app}`, text };
}
