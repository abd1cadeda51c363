import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { usageError } from './cli-error.js';
import { applyConfigFile, checkPortClash, defaultServeConfig, LOG_LEVELS, parseCount, parsePort, parseSign, SERVE_DEFAULTS, type LogLevel, type ServeConfig } from './serve-config.js';

/** The flags of `rtmpkit serve` (see `SERVE_USAGE`). */
export const SERVE_FLAGS = {
  config: { type: 'string', short: 'c' },
  host: { type: 'string' },
  'rtmp-port': { type: 'string' },
  'rtmps-port': { type: 'string' },
  'rtmfp-port': { type: 'string' },
  'http-port': { type: 'string' },
  'no-rtmp': { type: 'boolean' },
  'no-rtmpe': { type: 'boolean' },
  'no-rtmps': { type: 'boolean' },
  'no-rtmfp': { type: 'boolean' },
  'no-http': { type: 'boolean' },
  'no-tunnel': { type: 'boolean' },
  'tls-cert': { type: 'string' },
  'tls-key': { type: 'string' },
  'media-dir': { type: 'string' },
  'record-dir': { type: 'string' },
  'record-all': { type: 'boolean' },
  secret: { type: 'string' },
  sign: { type: 'string' },
  'api-token': { type: 'string' },
  app: { type: 'string', multiple: true },
  'log-level': { type: 'string' },
  'max-sessions': { type: 'string' },
  'max-sinks-per-stream': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof SERVE_FLAGS; allowPositionals: true }>>['values'];

/**
 * `rtmpkit serve` arguments → the config: defaults, then `--config`, then `RTMPKIT_SECRET` /
 * `RTMPKIT_API_TOKEN`, then the flags. `help: true` when `--help` was given.
 */
export function serveConfigFromArgs(argv: string[], env: NodeJS.ProcessEnv): { config: ServeConfig; help: boolean } {
  const { values, positionals } = parseArgs({ args: argv, options: SERVE_FLAGS, allowPositionals: true, strict: true });
  if (values.help) return { config: defaultServeConfig(), help: true };
  if (positionals.length > 0) throw usageError(`serve takes no arguments, got "${positionals.join(' ')}" (see rtmpkit serve --help)`);
  let config = defaultServeConfig();
  if (values.config !== undefined) config = applyConfigFile(config, resolve(values.config));
  if (env.RTMPKIT_SECRET) config.auth = { secret: env.RTMPKIT_SECRET, require: config.auth?.require ?? ['publish', 'play'] };
  if (env.RTMPKIT_API_TOKEN && config.http) config.http = { ...config.http, apiToken: env.RTMPKIT_API_TOKEN };
  config = applyFlags(config, values);
  checkPortClash(config);
  if (!config.rtmp && !config.rtmps && !config.rtmfp && !config.http) throw usageError('every transport is turned off: leave at least one on');
  return { config, help: false };
}

function applyFlags(input: ServeConfig, values: Values): ServeConfig {
  const config = { ...input };
  if (values.host !== undefined) config.host = values.host;
  const port = (name: 'rtmp-port' | 'rtmps-port' | 'rtmfp-port' | 'http-port'): number | undefined => (values[name] === undefined ? undefined : parsePort(`--${name}`, values[name]));
  const rtmpPort = port('rtmp-port');
  const rtmpsPort = port('rtmps-port');
  const rtmfpPort = port('rtmfp-port');
  const httpPort = port('http-port');
  if (rtmpPort !== undefined) config.rtmp = { rtmpe: config.rtmp ? config.rtmp.rtmpe : true, port: rtmpPort };
  if (rtmpsPort !== undefined) config.rtmps = { ...(config.rtmps || {}), port: rtmpsPort };
  if (rtmfpPort !== undefined) config.rtmfp = { port: rtmfpPort };
  if (httpPort !== undefined) config.http = { ...(config.http || { tunnel: true, dashboard: true }), port: httpPort };
  if (values['no-rtmpe'] && config.rtmp) config.rtmp = { ...config.rtmp, rtmpe: false };
  if (values['no-tunnel'] && config.http) config.http = { ...config.http, tunnel: false };
  if (values['no-rtmp']) config.rtmp = false;
  if (values['no-rtmps']) config.rtmps = false;
  if (values['no-rtmfp']) config.rtmfp = false;
  if (values['no-http']) config.http = false;
  if (values['tls-cert'] !== undefined || values['tls-key'] !== undefined) {
    if (values['tls-cert'] === undefined || values['tls-key'] === undefined) throw usageError('--tls-cert and --tls-key go together');
    config.rtmps = { port: config.rtmps ? config.rtmps.port : SERVE_DEFAULTS.rtmpsPort, cert: resolve(values['tls-cert']), key: resolve(values['tls-key']) };
  }
  if (values['media-dir'] !== undefined) config.mediaDir = resolve(values['media-dir']);
  if (values['record-dir'] !== undefined) config.recordDir = resolve(values['record-dir']);
  if (values['record-all']) config.recordAll = true;
  if (config.recordAll && config.recordDir === undefined) throw usageError('--record-all needs --record-dir <dir>');
  if (values.secret !== undefined) {
    if (values.secret.length === 0) throw usageError('--secret must not be empty');
    config.auth = { secret: values.secret, require: config.auth?.require ?? ['publish', 'play'] };
  }
  if (values.sign !== undefined) {
    if (!config.auth) throw usageError('--sign needs a secret: --secret <secret> or RTMPKIT_SECRET');
    config.auth = { ...config.auth, require: parseSign('--sign', values.sign) };
  }
  if (values['api-token'] !== undefined) {
    if (!config.http) throw usageError('--api-token needs the HTTP port (it protects /api and /metrics)');
    if (values['api-token'].length === 0) throw usageError('--api-token must not be empty');
    config.http = { ...config.http, apiToken: values['api-token'] };
  }
  if (values.app !== undefined) config.apps = values.app;
  if (values['log-level'] !== undefined) {
    if (!LOG_LEVELS.includes(values['log-level'] as LogLevel)) throw usageError(`--log-level must be one of ${LOG_LEVELS.join(', ')}`);
    config.logLevel = values['log-level'] as LogLevel;
  }
  if (values['max-sessions'] !== undefined) config.maxSessions = parseCount('--max-sessions', values['max-sessions']);
  if (values['max-sinks-per-stream'] !== undefined) config.maxSinksPerStream = parseCount('--max-sinks-per-stream', values['max-sinks-per-stream']);
  return config;
}
