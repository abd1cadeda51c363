import type { ConnectOptions, Transport } from '@rtmpkit/core';
import { rtmp } from '@rtmpkit/rtmp';
import { resolveBackoff, type BackoffOptions } from './backoff.js';
import type { NamePattern } from './name-pattern.js';

/** The stream a rule is applied to. */
export interface RelayStream {
  app: string;
  name: string;
}

/** Where the other end of a relay is. */
export interface RelayEndpoint {
  /** Streams covered: the application (default: any). */
  app?: NamePattern;
  /** Streams covered: the stream name without its query (default: any). */
  name?: NamePattern;
  /**
   * The other server's application URL, `rtmp://host:port/app` (with a query if it wants one), or
   * a function of the stream. The stream name goes apart, in `streamName`.
   */
  url: string | ((stream: RelayStream) => string);
  /** The stream name on the other server. Default: the same name. */
  streamName?: string | ((stream: RelayStream) => string);
}

/** Push: when a covered stream is published here, publish it to `url` too. */
export type PushRule = RelayEndpoint;

/** Pull: when a player asks for a covered stream that nobody publishes here, play it from `url` and publish it here. */
export interface PullRule extends RelayEndpoint {
  /** How long a pull goes on after its last player left, in ms. Default `RelayOptions.graceMs`. */
  graceMs?: number;
}

/** Options of `relay()`. */
export interface RelayOptions {
  push?: PushRule[];
  pull?: PullRule[];
  /** The transport of the outgoing connections. Default `rtmp()`; any rtmpkit transport works (`rtmps(…)`, …). */
  transport?: Transport;
  /** Options of the outgoing connections (timeouts, limits, connect command properties). */
  connect?: ConnectOptions;
  /**
   * Waiting between attempts when the other server cannot be reached or drops the connection:
   * 500 ms, doubling up to 10 s, for as long as the stream lives (push) or has players (pull).
   */
  reconnect?: BackoffOptions;
  /** Pulls go on this long after their last player left, in ms. Default 5000. */
  graceMs?: number;
  /** Pushes at once; more are not started (and logged). Default 100. */
  maxPushes?: number;
  /** Pulls at once; a play that would start one more gets `NetStream.Play.Failed`. Default 100. */
  maxPulls?: number;
}

export const RELAY_DEFAULTS = Object.freeze({ graceMs: 5000, maxPushes: 100, maxPulls: 100 });

/** `RelayOptions` with the defaults in place. */
export interface ResolvedRelayOptions {
  push: PushRule[];
  pull: PullRule[];
  transport: Transport;
  connect: ConnectOptions;
  reconnect: Required<BackoffOptions>;
  graceMs: number;
  maxPushes: number;
  maxPulls: number;
}

function nonNegative(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`relay: ${name} must be a non-negative integer, got ${String(value)}`);
  return value;
}

function checkRules(kind: string, rules: RelayEndpoint[]): void {
  rules.forEach((rule, index) => {
    if (!rule || (typeof rule.url !== 'string' && typeof rule.url !== 'function')) throw new TypeError(`relay: ${kind}[${index}] needs a url (rtmp://host/app)`);
  });
}

/** Checks the options and fills in the defaults. */
export function resolveRelayOptions(options: RelayOptions): ResolvedRelayOptions {
  const push = [...(options?.push ?? [])];
  const pull = [...(options?.pull ?? [])];
  checkRules('push', push);
  checkRules('pull', pull);
  pull.forEach((rule, index) => rule.graceMs !== undefined && nonNegative(`pull[${index}].graceMs`, rule.graceMs));
  return {
    push,
    pull,
    transport: options.transport ?? rtmp(),
    connect: options.connect ?? {},
    reconnect: resolveBackoff(options.reconnect),
    graceMs: nonNegative('graceMs', options.graceMs ?? RELAY_DEFAULTS.graceMs),
    maxPushes: nonNegative('maxPushes', options.maxPushes ?? RELAY_DEFAULTS.maxPushes),
    maxPulls: nonNegative('maxPulls', options.maxPulls ?? RELAY_DEFAULTS.maxPulls),
  };
}

/** The other end for `stream` under `rule`: URL and stream name. */
export function endpointFor(rule: RelayEndpoint, stream: RelayStream): { url: string; streamName: string } {
  const url = typeof rule.url === 'function' ? rule.url(stream) : rule.url;
  const streamName = rule.streamName === undefined ? stream.name : typeof rule.streamName === 'function' ? rule.streamName(stream) : rule.streamName;
  return { url, streamName };
}
