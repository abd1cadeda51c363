import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { FlvWriter } from '@rtmpkit/flv';
import { classifyMessage, dataHandlerName } from '../live/media-classifier.js';
import { CliError, usageError } from './cli-error.js';
import { openStream, streamProblem } from './client-session.js';
import { FlvOutput } from './flv-output.js';
import { Progress } from './progress.js';
import type { StreamUrl } from './stream-url.js';

/** What `rtmpkit play` was asked. */
export interface PlayArgs {
  url: StreamUrl;
  /** An FLV file to write; undefined: stdout. */
  output: string | undefined;
  /** Stop after this much media (ms). */
  durationMs: number | undefined;
  insecure: boolean;
}

/** Where the command writes and reports; `signal` stops it (Ctrl-C). */
export interface PlayIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: { isTTY?: boolean; write(text: string): unknown };
  signal: AbortSignal;
}

/** Statuses after which a play has nothing more to give. */
const END_STATUSES = new Set(['NetStream.Play.UnpublishNotify', 'NetStream.Play.Stop', 'NetStream.Play.Complete']);

/** Opens the output file before connecting, so a bad path fails at once. */
async function openOutput(path: string): Promise<WriteStream> {
  const file = createWriteStream(path);
  try {
    await once(file, 'open');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'its folder does not exist' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'it is a folder' : (error as Error).message;
    throw new CliError(`cannot write ${path}: ${reason}`);
  }
  return file;
}

/**
 * `rtmpkit play <url> [-o file.flv]`: plays and writes an FLV file (or stdout), timestamps from 0.
 * Ends when the publisher leaves, the play stops, `durationMs` of media arrived, or on the signal;
 * the file is complete either way. Progress on a TTY.
 */
export async function runPlay(args: PlayArgs, io: PlayIo): Promise<void> {
  if (args.output === undefined && io.stdout.isTTY) {
    throw usageError(`will not write binary FLV to a terminal: give -o file.flv, or pipe it (rtmpkit play ${args.url.text} | ffplay -)`);
  }
  const out = args.output === undefined ? io.stdout : await openOutput(args.output);
  const output = new FlvOutput(out);
  const progress = new Progress(`playing ${args.url.app}/${args.url.name.split('?')[0]}`, io.stderr);
  const writer = new FlvWriter();
  let mediaMs = 0;
  let base: number | undefined;
  let ending = '';
  try {
    const { session, stream } = await openStream(args.url, { insecure: args.insecure });
    const stop = (why: string): void => {
      ending ||= why;
      void stream.close().catch(() => {});
    };
    try {
      stream.onStatus((info) => {
        if (END_STATUSES.has(info.code)) stop(info.code === 'NetStream.Play.UnpublishNotify' ? 'the publisher left' : 'the play ended');
      });
      try {
        await stream.play(args.url.name);
      } catch (error) {
        throw streamProblem(error, args.url, 'play');
      }
      const onAbort = (): void => stop('stopped');
      io.signal.addEventListener('abort', onAbort, { once: true });
      if (io.signal.aborted) onAbort();
      await output.write(writer.header());
      for await (const message of stream) {
        const handler = message.type === 18 || message.type === 15 ? dataHandlerName(message) : undefined;
        if (handler === '|RtmpSampleAccess') continue;
        if (handler === 'onPlayStatus') {
          if (message.payload.includes('NetStream.Play.Complete')) stop('the play ended');
          continue;
        }
        // The file starts at 0 on the first frame that is not a header (the cached GOP's keyframe
        // when joining mid-stream); headers and metadata before it are at 0 too.
        const media = message.type === 8 || message.type === 9;
        if (base === undefined && media && !classifyMessage(message).frame.header) base = message.timestamp;
        const timestamp = base === undefined ? 0 : Math.max(0, message.timestamp - base);
        await output.write(writer.write({ ...message, timestamp }));
        if (media) mediaMs = Math.max(mediaMs, timestamp);
        progress.add(message.payload.length, mediaMs);
        if (args.durationMs !== undefined && mediaMs >= args.durationMs) stop('duration reached');
      }
      io.signal.removeEventListener('abort', onAbort);
      if (!ending && session.closeError) throw new CliError(`the connection to ${args.url.connectUrl} failed: ${session.closeError.message}`);
    } finally {
      await session.close().catch(() => {});
    }
  } finally {
    if (out !== io.stdout) {
      (out as WriteStream).end();
      await once(out, 'close').catch(() => {});
    }
    progress.finish(mediaMs, ending);
  }
}
