import { pino, type Logger, type LevelWithSilent } from 'pino';

/** A pino logger, `{ level }` for the built-in one, or false for none. */
export type LoggerOption = Logger | { level: LevelWithSilent } | false;

/**
 * The server's logger: the given pino logger, or a pino logger writing JSON lines to stdout at
 * `info` (`silent` under vitest, so tests print nothing unless they ask).
 */
export function resolveLogger(option: LoggerOption | undefined): Logger {
  if (option === false) return pino({ level: 'silent' });
  if (option && 'child' in option) return option;
  const level: LevelWithSilent = option?.level ?? (process.env.VITEST ? 'silent' : 'info');
  return pino({ name: 'rtmpkit', level });
}

export type { Logger };
