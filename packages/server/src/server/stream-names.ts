import type { ConnectInfo } from '@rtmpkit/core';

/** A name and the query that came with it (`cam1?token=x` → `cam1`, `token=x`). */
export interface NameAndQuery {
  name: string;
  query: URLSearchParams;
}

/** Splits `name?query`. */
export function splitQuery(value: string): NameAndQuery {
  const cut = value.indexOf('?');
  if (cut < 0) return { name: value, query: new URLSearchParams() };
  return { name: value.slice(0, cut), query: new URLSearchParams(value.slice(cut + 1)) };
}

/**
 * The application and the connect URL's query. FFmpeg puts a query given on the app
 * (`rtmp://host/live?token=x/stream`) into both `app` and `tcUrl`; other clients only into
 * `tcUrl`. Parameters of both are merged (`app`'s win). Slashes around the app are dropped.
 */
export function appOf(connectInfo: ConnectInfo): NameAndQuery {
  const { name, query } = splitQuery(connectInfo.app);
  const tcUrl = connectInfo.tcUrl ?? '';
  const cut = tcUrl.indexOf('?');
  const merged = new URLSearchParams(cut >= 0 ? tcUrl.slice(cut + 1) : '');
  for (const [key, value] of query) merged.set(key, value);
  return { name: name.replace(/^\/+|\/+$/g, ''), query: merged };
}

/** Characters a name may not hold: controls (they would break logs and signatures). */
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Why a name is unusable, or undefined when it is fine. */
export function nameProblem(name: string, maxLength: number, what: 'stream name' | 'application'): string | undefined {
  if (name.length === 0) return `The ${what} is empty.`;
  if (name.length > maxLength) return `The ${what} is longer than ${maxLength} characters.`;
  if (CONTROL.test(name)) return `The ${what} holds control characters.`;
  return undefined;
}

/** What to tell a client about a refusal: a `StreamRejectedError`'s description, else the message. */
export function reasonOf(error: unknown): string {
  const description = (error as { description?: unknown } | undefined)?.description;
  if (typeof description === 'string') return description;
  return error instanceof Error ? error.message : 'Refused.';
}
