import { parseArgs, type ParseArgsConfig } from 'node:util';
import { packageVersion } from '../http/package-version.js';
import { CliError, usageError } from './cli-error.js';
import { serveConfigFromArgs } from './serve-args.js';
import { parseStreamUrl } from './stream-url.js';
import { MAIN_USAGE, PLAY_USAGE, PROBE_USAGE, PUBLISH_USAGE, SERVE_USAGE } from './usage.js';
import { keepYoungGenerationSmall } from './heap-tuning.js';

/** The process around the CLI (injectable for tests). */
export interface CliIo {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  /** Aborted when the user asks to stop (SIGINT, SIGTERM). */
  signal: AbortSignal;
}

/** A `parseArgs` error as a usage error: its first sentence, and where to look. */
export function argsProblem(error: unknown, command: string): Error {
  if (!(error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) return error as Error;
  const first = (error as Error).message.split(/\.\s/)[0]!.replace(/\.$/, '');
  return usageError(`${first} (see rtmpkit ${command} --help)`);
}

/** Parses a command's flags; unknown flags and missing values become usage errors. */
function parse<const T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T, command: string) {
  try {
    return parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw argsProblem(error, command);
  }
}

function seconds(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw usageError(`${flag} must be a number of seconds above 0, got "${value}"`);
  return Math.round(number * 1000);
}

async function command(name: string, argv: string[], io: CliIo): Promise<void> {
  const out = (text: string): void => void io.stdout.write(text);
  switch (name) {
    case 'serve': {
      let parsed;
      try {
        parsed = serveConfigFromArgs(argv, io.env);
      } catch (error) {
        throw argsProblem(error, 'serve');
      }
      if (parsed.help) return out(SERVE_USAGE);
      keepYoungGenerationSmall(); // before loading the server: a process setting, for a process that holds connections
      // Commands load what they need only when they run, so the others start fast.
      const { runServe } = await import('./serve-command.js');
      return runServe(parsed.config, io);
    }
    case 'publish': {
      const { values, positionals } = parse(argv, { loop: { type: 'boolean' }, insecure: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, 'publish');
      if (values.help) return out(PUBLISH_USAGE);
      if (positionals.length !== 2) throw usageError(`publish needs a file (or -) and a URL: rtmpkit publish in.flv rtmp://127.0.0.1:1935/live/cam1`);
      const url = parseStreamUrl(positionals[1]!);
      const { runPublish } = await import('./publish-command.js');
      return runPublish({ input: positionals[0]!, url, loop: values.loop === true, insecure: values.insecure === true }, io);
    }
    case 'play': {
      const { values, positionals } = parse(
        argv,
        { output: { type: 'string', short: 'o' }, duration: { type: 'string', short: 't' }, insecure: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
        'play',
      );
      if (values.help) return out(PLAY_USAGE);
      if (positionals.length !== 1) throw usageError('play needs one URL: rtmpkit play rtmp://127.0.0.1:1935/live/cam1 -o cam1.flv');
      const url = parseStreamUrl(positionals[0]!);
      const { runPlay } = await import('./play-command.js');
      return runPlay({ url, output: values.output, durationMs: seconds('--duration', values.duration), insecure: values.insecure === true }, io);
    }
    case 'probe': {
      const { values, positionals } = parse(argv, { timeout: { type: 'string' }, json: { type: 'boolean' }, insecure: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, 'probe');
      if (values.help) return out(PROBE_USAGE);
      if (positionals.length !== 1) throw usageError('probe needs one URL: rtmpkit probe rtmp://127.0.0.1:1935/live/cam1');
      const url = parseStreamUrl(positionals[0]!);
      const { runProbe } = await import('./probe-command.js');
      return runProbe({ url, timeoutMs: seconds('--timeout', values.timeout) ?? 10_000, json: values.json === true, insecure: values.insecure === true }, io);
    }
    default:
      throw usageError(`unknown command "${name}": use serve, publish, play or probe (rtmpkit --help)`);
  }
}

/**
 * Runs `rtmpkit <argv>` and resolves with the exit code: 0 done, 1 the command failed, 2 it was
 * used wrongly. Messages go to stderr as one line each, without stacks, except for bugs.
 */
export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr.write(MAIN_USAGE);
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(MAIN_USAGE);
    return 0;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${packageVersion()}\n`);
    return 0;
  }
  try {
    await command(name, rest, io);
    return 0;
  } catch (error) {
    if (error instanceof CliError) {
      io.stderr.write(`rtmpkit ${name}: ${error.message}\n`);
      return error.exitCode;
    }
    io.stderr.write(`rtmpkit ${name}: unexpected error: ${(error as Error)?.stack ?? String(error)}\n`);
    return 1;
  }
}

/** `main` on the real process: signals abort, the exit code is set (and forced shortly after, should a handle linger). */
export async function runCli(argv = process.argv.slice(2)): Promise<void> {
  const stop = new AbortController();
  let signals = 0;
  const onSignal = (): void => {
    signals++;
    if (signals > 1) process.exit(130);
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const code = await main(argv, { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env, signal: stop.signal });
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  process.exitCode = code;
  setTimeout(() => process.exit(code), 2000).unref();
}
