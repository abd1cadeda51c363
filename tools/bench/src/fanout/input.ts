/**
 * The fan-out input: 24 s of 720p30 H.264 at ~1.9 Mbit/s plus 128 kbit/s AAC (~2 Mbit/s), made
 * once by ffmpeg into tools/bench/.cache/ (git-ignored). Its nominal byte rate (file size over
 * duration) is what a player must receive to keep real time.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { CACHE_DIR, FixtureError } from '../fixture.js';
import { readFlvTags } from '../flv.js';

export const FANOUT_FLV = `${CACHE_DIR}fanout-h264-aac-720p30-1900k-24s.flv`;

/** The exact ffmpeg arguments (the output file is appended). */
export const FANOUT_FFMPEG_ARGS = [
  '-hide_banner', '-loglevel', 'error', '-nostdin', '-y',
  '-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=30',
  '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000',
  '-t', '24',
  '-c:v', 'libx264', '-preset', 'veryfast', '-b:v', '1900k', '-maxrate', '1900k', '-bufsize', '1900k', '-g', '60',
  '-pix_fmt', 'yuv420p',
  '-c:a', 'aac', '-b:a', '128k',
  '-f', 'flv',
];

export interface FanoutInput {
  path: string;
  bytes: number;
  durationS: number;
  /** File bytes per second: the rate a real-time player receives (± RTMP vs FLV framing). */
  bytesPerSecond: number;
  videoTags: number;
  audioTags: number;
}

/** ffmpeg's version line, or undefined when ffmpeg is not on PATH. */
export function ffmpegVersion(): string | undefined {
  const probe = spawnSync('ffmpeg', ['-version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return undefined;
  return /^ffmpeg version (\S+)/.exec(probe.stdout)?.[1] ?? probe.stdout.split('\n')[0];
}

/** Makes the input with ffmpeg when it is missing, and measures it. */
export function ensureFanoutInput(log: (line: string) => void): FanoutInput {
  if (!existsSync(FANOUT_FLV)) {
    mkdirSync(CACHE_DIR, { recursive: true });
    const partial = `${FANOUT_FLV}.partial-${process.pid}`;
    log(`Creating ${FANOUT_FLV} with ffmpeg (once, up to a minute)...`);
    const run = spawnSync('ffmpeg', [...FANOUT_FFMPEG_ARGS, partial], { encoding: 'utf8', timeout: 300_000 });
    if (run.error || run.status !== 0) {
      rmSync(partial, { force: true });
      throw new FixtureError(`ffmpeg failed to create the fan-out input: ${run.error?.message ?? run.stderr.trim()}`);
    }
    renameSync(partial, FANOUT_FLV);
  }
  const tags = readFlvTags(readFileSync(FANOUT_FLV));
  const video = tags.filter((tag) => tag.type === 9);
  const audio = tags.filter((tag) => tag.type === 8);
  if (video.length < 2) throw new FixtureError(`${FANOUT_FLV} has no video`);
  const lastVideo = Math.max(...video.map((tag) => tag.timestamp));
  const frameMs = lastVideo / (video.length - 1);
  const durationS = (lastVideo + frameMs) / 1000;
  const bytes = statSync(FANOUT_FLV).size;
  return { path: FANOUT_FLV, bytes, durationS, bytesPerSecond: bytes / durationS, videoTags: video.length, audioTags: audio.length };
}
