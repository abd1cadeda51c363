import { execFileSync, spawnSync } from 'node:child_process';
import type { TestContext } from 'vitest';

function installed(tool: string): boolean {
  const result = spawnSync(tool, ['-version'], { stdio: 'ignore' });
  return result.status === 0;
}

const tools = { ffmpeg: installed('ffmpeg'), ffprobe: installed('ffprobe') };

/**
 * Call first in a test that needs ffmpeg and ffprobe. When one is missing: under `CI=true` the
 * test fails (CI must run it); elsewhere the test is skipped with a note saying why.
 */
export function needFfmpeg(context: TestContext): void {
  const missing = Object.entries(tools).filter(([, ok]) => !ok).map(([tool]) => tool);
  if (missing.length === 0) return;
  const note = `${missing.join(' and ')} not installed`;
  if (process.env.CI === 'true') throw new Error(`${note}, and CI=true requires this test to run`);
  context.skip(`${note}: skipped (install ffmpeg to run it)`);
}

/** Makes the brief's 3-second test file: 320x240 H.264 at 25 fps with a key frame every 25 frames, and AAC. */
export function makeTestFlv(path: string): void {
  execFileSync('ffmpeg', [
    '-v', 'error', '-y',
    '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25',
    '-f', 'lavfi', '-i', 'sine',
    '-t', '3', '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '25', '-pix_fmt', 'yuv420p', '-c:a', 'aac',
    '-f', 'flv', path,
  ]);
}

/** What `ffprobe -v error -show_format -show_streams` says about a file. */
export interface Probe {
  /** ffprobe's exit status and error output (empty when it had nothing to complain about). */
  status: number | null;
  errors: string;
  duration: number;
  /** File size in bytes, as ffprobe read it. */
  size: number;
  codecs: string[];
}

/** Runs `ffprobe -v error -show_format -show_streams` on `path` and parses its JSON. */
export function probe(path: string): Probe {
  const result = spawnSync('ffprobe', ['-v', 'error', '-show_format', '-show_streams', '-of', 'json', path], { encoding: 'utf8' });
  const json = JSON.parse(result.stdout || '{}') as { format?: { duration?: string; size?: string }; streams?: { codec_name: string }[] };
  return {
    status: result.status,
    errors: result.stderr.trim(),
    duration: Number(json.format?.duration ?? Number.NaN),
    size: Number(json.format?.size ?? Number.NaN),
    codecs: (json.streams ?? []).map((stream) => stream.codec_name).sort(),
  };
}

/** Packets per stream type that ffprobe reads (`-count_packets`), and what it complained about on the way. */
export function countPackets(path: string): { errors: string; video: number; audio: number } {
  const result = spawnSync('ffprobe', ['-v', 'error', '-count_packets', '-show_streams', '-of', 'json', path], { encoding: 'utf8' });
  const streams = (JSON.parse(result.stdout || '{}') as { streams?: { codec_type: string; nb_read_packets?: string }[] }).streams ?? [];
  const count = (type: string) => Number(streams.find((stream) => stream.codec_type === type)?.nb_read_packets ?? 0);
  return { errors: `${result.status === 0 ? '' : `exit ${result.status}\n`}${result.stderr.trim()}`, video: count('video'), audio: count('audio') };
}

/** The times (ms) of the video key frame packets ffprobe finds. */
export function keyframeTimes(path: string): number[] {
  const csv = execFileSync('ffprobe', ['-v', 'error', '-select_streams', 'v', '-show_entries', 'packet=pts,flags', '-of', 'csv=p=0', path], { encoding: 'utf8' });
  return csv
    .trim()
    .split('\n')
    .map((line) => line.split(','))
    .filter(([, flags]) => flags?.startsWith('K'))
    .map(([pts]) => Number(pts));
}

/** Decodes every frame with ffmpeg; returns what it printed at level error (empty when all decoded cleanly). */
export function decodeErrors(path: string): string {
  const result = spawnSync('ffmpeg', ['-v', 'error', '-i', path, '-f', 'null', '-'], { encoding: 'utf8' });
  return `${result.status === 0 ? '' : `exit ${result.status}\n`}${result.stderr.trim()}`;
}
