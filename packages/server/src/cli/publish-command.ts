import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { NetStream } from '@rtmpkit/core';
import { FlvReader, type FlvTag } from '@rtmpkit/flv';
import { CliError, usageError } from './cli-error.js';
import { openStream, streamProblem } from './client-session.js';
import { Progress } from './progress.js';
import type { StreamUrl } from './stream-url.js';

/** What `rtmpkit publish` was asked. */
export interface PublishArgs {
  /** An FLV file, or `-` for stdin. */
  input: string;
  url: StreamUrl;
  loop: boolean;
  insecure: boolean;
}

/** Where the command reads and reports; `signal` stops it (Ctrl-C). */
export interface PublishIo {
  stdin: NodeJS.ReadableStream;
  stderr: NodeJS.WriteStream | { isTTY?: boolean; write(text: string): unknown };
  signal: AbortSignal;
}

const SET_DATA_FRAME = Buffer.from([0x02, 0x00, 0x0d, ...Buffer.from('@setDataFrame', 'latin1')]);
const ON_METADATA = Buffer.from([0x02, 0x00, 0x0a, ...Buffer.from('onMetaData', 'latin1')]);
/** Gap between the end of one pass of `--loop` and the next (ms). */
const LOOP_GAP_MS = 40;

async function checkInput(args: PublishArgs): Promise<void> {
  if (args.input === '-') {
    if (args.loop) throw usageError('--loop cannot replay stdin: give a file');
    return;
  }
  let info;
  try {
    info = await stat(args.input);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new CliError(`file not found: ${args.input}`);
    throw new CliError(`cannot read ${args.input}: ${(error as Error).message}`);
  }
  if (!info.isFile()) throw new CliError(`${args.input} is not a file`);
}

/** The message a file tag becomes on the wire: `onMetaData` goes as `@setDataFrame onMetaData`, as encoders send it. */
function wireMessage(tag: FlvTag, timestamp: number): { type: number; timestamp: number; payload: Buffer } {
  const payload = Buffer.from(tag.payload.buffer, tag.payload.byteOffset, tag.payload.byteLength);
  if (tag.type === 18 && payload.subarray(0, ON_METADATA.length).equals(ON_METADATA)) {
    return { type: 18, timestamp, payload: Buffer.concat([SET_DATA_FRAME, payload]) };
  }
  return { type: tag.type, timestamp, payload };
}

/**
 * Sends the tags of an FLV file (or stdin) in real time: each tag waits until its timestamp,
 * counted from the start, has come. Reads as it sends (one chunk ahead), so files of any size
 * and endless stdin work. With `loop`, passes follow each other with increasing timestamps.
 */
async function sendFile(args: PublishArgs, io: PublishIo, stream: NetStream, progress: Progress): Promise<number> {
  const startedAt = performance.now();
  let offset = 0;
  let mediaMs = 0;
  do {
    const source = args.input === '-' ? io.stdin : createReadStream(args.input, { highWaterMark: 64 * 1024 });
    const reader = new FlvReader();
    const pending: FlvTag[] = [];
    let first: number | undefined;
    try {
      for await (const chunk of source as AsyncIterable<Buffer>) {
        try {
          reader.push(chunk, (tag) => pending.push(tag));
        } catch (error) {
          throw new CliError(`${args.input === '-' ? 'stdin' : args.input} is not a valid FLV file: ${(error as Error).message}`);
        }
        for (const tag of pending.splice(0)) {
          if (io.signal.aborted) return mediaMs;
          first ??= tag.timestamp;
          const at = offset + Math.max(0, tag.timestamp - first);
          const wait = startedAt + at - performance.now();
          if (wait > 1) await sleep(wait, undefined, { signal: io.signal }).catch(() => {});
          if (io.signal.aborted) return mediaMs;
          mediaMs = Math.max(mediaMs, at);
          await stream.send(wireMessage(tag, at));
          progress.add(tag.payload.length, mediaMs);
        }
      }
    } finally {
      if ('destroy' in source && source !== io.stdin) (source as NodeJS.ReadableStream & { destroy(): void }).destroy();
    }
    if (first === undefined) throw new CliError(`${args.input === '-' ? 'stdin' : args.input} holds no FLV tags`);
    offset = mediaMs + LOOP_GAP_MS;
  } while (args.loop && !io.signal.aborted);
  return mediaMs;
}

/** `rtmpkit publish <file.flv|-> <url>`: publishes live, paced in real time; progress on a TTY. */
export async function runPublish(args: PublishArgs, io: PublishIo): Promise<void> {
  await checkInput(args);
  const { session, stream } = await openStream(args.url, { insecure: args.insecure });
  const progress = new Progress(`publishing ${args.url.app}/${args.url.name.split('?')[0]}`, io.stderr);
  let mediaMs = 0;
  try {
    try {
      await stream.publish(args.url.name);
    } catch (error) {
      throw streamProblem(error, args.url, 'publish');
    }
    try {
      mediaMs = await sendFile(args, io, stream, progress);
    } catch (error) {
      if (error instanceof CliError) throw error;
      const reason = session.closeError?.message ?? (error as Error).message;
      throw new CliError(`publishing to ${args.url.text} stopped: ${reason}`);
    }
    await stream.close().catch(() => {});
    progress.finish(mediaMs, io.signal.aborted ? 'stopped' : 'done');
  } finally {
    await session.close().catch(() => {});
  }
}
