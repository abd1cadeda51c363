import { once } from 'node:events';
import { CliError } from './cli-error.js';

/**
 * Where `rtmpkit play` writes: a file or stdout, with backpressure. A destination that fails or
 * closes (a full disk, `| head` exiting) turns the next write into a `CliError` instead of an
 * unhandled 'error' event or a wait that never ends.
 */
export class FlvOutput {
  private failure: Error | undefined;
  private readonly closed: Promise<never>;

  constructor(private readonly stream: NodeJS.WritableStream) {
    stream.on('error', (error: Error) => {
      this.failure ??= error;
    });
    this.closed = new Promise<never>((_resolve, reject) => {
      stream.once('close', () => reject(this.failure ?? new Error('it was closed')));
    });
    this.closed.catch(() => {});
  }

  /** Writes, waiting while the destination is backed up. */
  async write(bytes: Buffer): Promise<void> {
    if (bytes.length === 0) return;
    if (this.failure || (this.stream as { destroyed?: boolean }).destroyed) throw this.problem(this.failure);
    if (this.stream.write(bytes)) return;
    try {
      await Promise.race([once(this.stream, 'drain'), this.closed]);
    } catch (error) {
      throw this.problem(error as Error);
    }
  }

  private problem(error: Error | undefined): CliError {
    return new CliError(`cannot write the output: ${error?.message ?? 'it was closed'}`);
  }
}
