import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { CliError, usageError } from './cli-error.js';

/** Log levels `--log-level` takes (pino's). */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
/** One of `LOG_LEVELS`. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Everything `rtmpkit serve` runs with: defaults, then the config file, then the environment, then flags. */
export interface ServeConfig {
  /** Interface of every transport. */
  host: string;
  /** RTMP on TCP; `rtmpe`: RTMPE on the same port (plain clients still served). */
  rtmp: { port: number; rtmpe: boolean } | false;
  /** RTMPS; without `cert`/`key` a development certificate is made. */
  rtmps: { port: number; cert?: string; key?: string } | false;
  /** RTMFP on UDP. */
  rtmfp: { port: number } | false;
  /** The HTTP port (HTTP-FLV, API, metrics, dashboard) and whether RTMPT/RTMPTE tunnel through it. */
  http: { port: number; tunnel: boolean; dashboard: boolean; apiToken?: string } | false;
  /** VOD: `<mediaDir>/<app>/<name>.flv`. */
  mediaDir?: string;
  /** Recordings: `<recordDir>/<app>/<name>.flv`. */
  recordDir?: string;
  /** Record every live publish too. */
  recordAll: boolean;
  /** Signed URLs: the secret and what needs a signature. */
  auth?: { secret: string; require: Array<'publish' | 'play'> };
  /** Allowed applications (undefined: any). */
  apps?: string[];
  logLevel: LogLevel;
  /** Connections served at once (createServer's `maxSessions`; undefined: its default, 1000). */
  maxSessions?: number;
  /** Players and other sinks of one live stream (`live.maxSinksPerStream`; undefined: 1000). */
  maxSinksPerStream?: number;
}

/** The documented defaults: every transport on, on unprivileged ports. */
export const SERVE_DEFAULTS = Object.freeze({ host: '0.0.0.0', rtmpPort: 1935, rtmpsPort: 1936, rtmfpPort: 1935, httpPort: 8080 });

/** A fresh config with every default. */
export function defaultServeConfig(): ServeConfig {
  return {
    host: SERVE_DEFAULTS.host,
    rtmp: { port: SERVE_DEFAULTS.rtmpPort, rtmpe: true },
    rtmps: { port: SERVE_DEFAULTS.rtmpsPort },
    rtmfp: { port: SERVE_DEFAULTS.rtmfpPort },
    http: { port: SERVE_DEFAULTS.httpPort, tunnel: true, dashboard: true },
    recordAll: false,
    logLevel: 'info',
  };
}

/** A port number from a flag or the config file. */
export function parsePort(what: string, value: unknown): number {
  const port = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 0 || port > 65_535) {
    throw usageError(`${what} must be a port number from 0 to 65535, got ${JSON.stringify(value)}`);
  }
  return port;
}

/**
 * A count from a flag or the config file (`--max-sessions`, `maxSinksPerStream`...): a whole
 * number from 1 to 2^53-1, as a JSON number or (from a flag) decimal digits.
 */
export function parseCount(what: string, value: unknown): number {
  const count = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 1) {
    throw usageError(`${what} must be a whole number of at least 1, got ${JSON.stringify(value)}`);
  }
  return count;
}

/** Which requests need a signature, from `publish,play` / `publish` / `play`. */
export function parseSign(what: string, value: unknown): Array<'publish' | 'play'> {
  const list = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',').map((s) => s.trim()) : [];
  if (list.length === 0 || list.some((item) => item !== 'publish' && item !== 'play')) {
    throw usageError(`${what} must be publish, play or publish,play; got ${JSON.stringify(value)}`);
  }
  return [...new Set(list as Array<'publish' | 'play'>)];
}

type Json = Record<string, unknown>;

function object(file: string, key: string, value: unknown, known: string[]): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new CliError(`${file}: "${key}" must be an object or false`);
  for (const name of Object.keys(value)) {
    if (!known.includes(name)) throw new CliError(`${file}: unknown key "${key}.${name}" (known: ${known.join(', ')})`);
  }
  return value as Json;
}

function text(file: string, key: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) throw new CliError(`${file}: "${key}" must be a non-empty string`);
  return value;
}

function flag(file: string, key: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new CliError(`${file}: "${key}" must be true or false`);
  return value;
}

const TOP_KEYS = ['host', 'rtmp', 'rtmps', 'rtmfp', 'http', 'mediaDir', 'recordDir', 'recordAll', 'auth', 'apps', 'logLevel', 'maxSessions', 'maxSinksPerStream'];

/**
 * Reads a JSON config file over `config` (see the README for the format). Paths in it are
 * relative to the file's folder. Unknown keys are errors, so a typo does not go unnoticed.
 */
export function applyConfigFile(config: ServeConfig, path: string): ServeConfig {
  let raw: string;
  try {
    raw = readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(code === 'ENOENT' ? `config file not found: ${path}` : `cannot read the config file ${path}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new CliError(`${path} is not valid JSON: ${(error as Error).message}`);
  }
  const json = object(path, '(top level)', parsed, TOP_KEYS);
  const here = (value: string): string => resolve(dirname(path), value);
  const next: ServeConfig = { ...config };
  if (json.host !== undefined) next.host = text(path, 'host', json.host);
  if (json.rtmp !== undefined) {
    if (json.rtmp === false) next.rtmp = false;
    else {
      const rtmp = object(path, 'rtmp', json.rtmp, ['port', 'rtmpe']);
      next.rtmp = { port: rtmp.port === undefined ? SERVE_DEFAULTS.rtmpPort : parsePort(`${path}: rtmp.port`, rtmp.port), rtmpe: rtmp.rtmpe === undefined ? true : flag(path, 'rtmp.rtmpe', rtmp.rtmpe) };
    }
  }
  if (json.rtmps !== undefined) {
    if (json.rtmps === false) next.rtmps = false;
    else {
      const rtmps = object(path, 'rtmps', json.rtmps, ['port', 'cert', 'key']);
      next.rtmps = {
        port: rtmps.port === undefined ? SERVE_DEFAULTS.rtmpsPort : parsePort(`${path}: rtmps.port`, rtmps.port),
        ...(rtmps.cert === undefined ? {} : { cert: here(text(path, 'rtmps.cert', rtmps.cert)) }),
        ...(rtmps.key === undefined ? {} : { key: here(text(path, 'rtmps.key', rtmps.key)) }),
      };
    }
  }
  if (json.rtmfp !== undefined) {
    if (json.rtmfp === false) next.rtmfp = false;
    else {
      const rtmfp = object(path, 'rtmfp', json.rtmfp, ['port']);
      next.rtmfp = { port: rtmfp.port === undefined ? SERVE_DEFAULTS.rtmfpPort : parsePort(`${path}: rtmfp.port`, rtmfp.port) };
    }
  }
  if (json.http !== undefined) {
    if (json.http === false) next.http = false;
    else {
      const http = object(path, 'http', json.http, ['port', 'tunnel', 'dashboard', 'apiToken']);
      next.http = {
        port: http.port === undefined ? SERVE_DEFAULTS.httpPort : parsePort(`${path}: http.port`, http.port),
        tunnel: http.tunnel === undefined ? true : flag(path, 'http.tunnel', http.tunnel),
        dashboard: http.dashboard === undefined ? true : flag(path, 'http.dashboard', http.dashboard),
        ...(http.apiToken === undefined ? {} : { apiToken: text(path, 'http.apiToken', http.apiToken) }),
      };
    }
  }
  if (json.mediaDir !== undefined) next.mediaDir = here(text(path, 'mediaDir', json.mediaDir));
  if (json.recordDir !== undefined) next.recordDir = here(text(path, 'recordDir', json.recordDir));
  if (json.recordAll !== undefined) next.recordAll = flag(path, 'recordAll', json.recordAll);
  if (json.auth !== undefined) {
    const auth = object(path, 'auth', json.auth, ['secret', 'require']);
    next.auth = { secret: text(path, 'auth.secret', auth.secret), require: auth.require === undefined ? ['publish', 'play'] : parseSign(`${path}: auth.require`, auth.require) };
  }
  if (json.apps !== undefined) {
    if (!Array.isArray(json.apps) || json.apps.some((app) => typeof app !== 'string' || app.length === 0)) throw new CliError(`${path}: "apps" must be a list of application names`);
    next.apps = json.apps as string[];
  }
  if (json.logLevel !== undefined) {
    if (!LOG_LEVELS.includes(json.logLevel as LogLevel)) throw new CliError(`${path}: "logLevel" must be one of ${LOG_LEVELS.join(', ')}`);
    next.logLevel = json.logLevel as LogLevel;
  }
  if (json.maxSessions !== undefined) next.maxSessions = parseCount(`${path}: maxSessions`, json.maxSessions);
  if (json.maxSinksPerStream !== undefined) next.maxSinksPerStream = parseCount(`${path}: maxSinksPerStream`, json.maxSinksPerStream);
  return next;
}

/** Two transports on the same TCP port cannot both listen: say so before trying. */
export function checkPortClash(config: ServeConfig): void {
  const tcp: Array<[string, number]> = [];
  if (config.rtmp) tcp.push(['rtmp (--rtmp-port)', config.rtmp.port]);
  if (config.rtmps) tcp.push(['rtmps (--rtmps-port)', config.rtmps.port]);
  if (config.http) tcp.push(['http (--http-port)', config.http.port]);
  for (let i = 0; i < tcp.length; i++) {
    for (let j = i + 1; j < tcp.length; j++) {
      if (tcp[i]![1] !== 0 && tcp[i]![1] === tcp[j]![1]) throw usageError(`${tcp[i]![0]} and ${tcp[j]![0]} are both on TCP port ${tcp[i]![1]}: give them different ports`);
    }
  }
}
