/**
 * The benchmark input: 10 s of 720p30 H.264 at 2.4 Mbit/s plus 128 kbit/s AAC, made once by
 * ffmpeg into tools/bench/.cache/ (git-ignored) and read back as the RTMP messages a publisher
 * sends for it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RtmpMessage } from '@rtmpkit/core';
import { readFlvTags } from './flv.js';

const PACKAGE_DIR = fileURLToPath(new URL('../', import.meta.url));
export const CACHE_DIR = `${PACKAGE_DIR}.cache/`;
export const FLV_PATH = `${CACHE_DIR}h264-aac-720p30-2400k-10s.flv`;

/** The exact ffmpeg arguments (the output file is appended). */
export const FFMPEG_ARGS = [
  '-hide_banner', '-loglevel', 'error', '-y',
  '-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=30',
  '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
  '-t', '10',
  '-c:v', 'libx264', '-preset', 'veryfast', '-b:v', '2400k', '-maxrate', '2400k', '-bufsize', '4800k', '-g', '60',
  '-pix_fmt', 'yuv420p',
  '-c:a', 'aac', '-b:a', '128k',
  '-f', 'flv',
];

/** Message stream id a publisher's media goes on (the first createStream answer). */
export const MEDIA_STREAM_ID = 1;

export class FixtureError extends Error {}

/** Creates the FLV with ffmpeg when it is missing; returns its path. */
export function ensureFlv(log: (line: string) => void): string {
  if (existsSync(FLV_PATH)) return FLV_PATH;
  const probe = spawnSync('ffmpeg', ['-version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new FixtureError(
      `ffmpeg is needed once to create the benchmark input ${FLV_PATH}, and it was not found on PATH ` +
        `(${probe.error?.message ?? `exit ${probe.status}`}). Install it (Debian: apt-get install ffmpeg) and run again.`,
    );
  }
  mkdirSync(CACHE_DIR, { recursive: true });
  const partial = `${FLV_PATH}.partial-${process.pid}`;
  log(`Creating ${FLV_PATH} with ffmpeg (once, a few seconds)...`);
  const run = spawnSync('ffmpeg', [...FFMPEG_ARGS, partial], { encoding: 'utf8', timeout: 120_000 });
  if (run.error || run.status !== 0) {
    rmSync(partial, { force: true });
    throw new FixtureError(`ffmpeg failed to create the benchmark input: ${run.error?.message ?? run.stderr.trim()}`);
  }
  renameSync(partial, FLV_PATH);
  return FLV_PATH;
}

/** "@setDataFrame" as an AMF0 string: publishers put it before the onMetaData body they send. */
const SET_DATA_FRAME = Buffer.concat([Buffer.from([0x02, 0x00, 13]), Buffer.from('@setDataFrame', 'latin1')]);

export interface StreamFixture {
  messages: RtmpMessage[];
  /** The onMetaData script tag body as ffmpeg wrote it: "onMetaData" then an ECMA array. */
  onMetaDataBody: Buffer;
  payloadBytes: number;
  durationMs: number;
  counts: { audio: number; video: number; data: number };
}

export function loadStream(path: string): StreamFixture {
  const tags = readFlvTags(readFileSync(path));
  const messages: RtmpMessage[] = [];
  const counts = { audio: 0, video: 0, data: 0 };
  let onMetaDataBody: Buffer | undefined;
  let payloadBytes = 0;
  let durationMs = 0;
  for (const tag of tags) {
    let payload = tag.body;
    if (tag.type === 8) counts.audio++;
    else if (tag.type === 9) counts.video++;
    else if (tag.type === 18) {
      counts.data++;
      onMetaDataBody ??= tag.body;
      payload = Buffer.concat([SET_DATA_FRAME, tag.body]);
    } else continue;
    messages.push({ type: tag.type, streamId: MEDIA_STREAM_ID, timestamp: tag.timestamp, payload });
    payloadBytes += payload.length;
    durationMs = Math.max(durationMs, tag.timestamp);
  }
  if (!onMetaDataBody) throw new FixtureError(`${path} has no onMetaData script tag`);
  return { messages, onMetaDataBody, payloadBytes, durationMs, counts };
}

/** The chunk stream a server sends each message type on: audio 4, video 6, data 5. */
export function chunkStreamIdFor(type: number): number {
  return type === 8 ? 4 : type === 9 ? 6 : 5;
}
