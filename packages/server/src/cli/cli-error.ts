/** A failure the CLI reports as one clear line (no stack), with its exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    /** 1: the command failed; 2: it was used wrongly (bad flag, bad URL, missing argument). */
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

/** A usage mistake (exit code 2). */
export function usageError(message: string): CliError {
  return new CliError(message, 2);
}
