import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { peerPath, runPeer, startPeer, type RunningPeer, type RunResult } from '@rtmpkit/test-peers';

/** `ffmpeg -re -i file -c copy [outputArgs] -f flv url`: publishes a file in real time (bounded). */
export function ffmpegPublishFile(file: string, url: string, options: { timeoutMs?: number; seconds?: number; outputArgs?: string[] } = {}): RunningPeer {
  const input = options.seconds === undefined ? ['-i', file] : ['-t', String(options.seconds), '-i', file];
  return startPeer(
    peerPath('ffmpeg'),
    ['-hide_banner', '-nostdin', '-loglevel', 'warning', '-re', ...input, '-c', 'copy', ...(options.outputArgs ?? []), '-f', 'flv', url],
    { timeoutMs: options.timeoutMs ?? 20_000 },
  );
}

/** Lines of an ffmpeg stderr that speak of an error. */
export function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => /error|fail(ed)?\b|invalid/i.test(line) && !/Failed to update header with correct (duration|filesize)/.test(line));
}

/** `ffmpeg [inputArgs] -i url -t seconds -f null -`: plays and decodes; `frames` is the last `frame=` of `-progress`. */
export async function ffmpegPlayFrames(url: string, options: { seconds: number; inputArgs?: string[]; timeoutMs?: number }): Promise<{ run: RunResult; frames: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'rtmpkit-ffmpeg-play-'));
  const progress = join(dir, 'progress.txt');
  try {
    const run = await runPeer(
      peerPath('ffmpeg'),
      ['-hide_banner', '-nostdin', '-loglevel', 'error', ...(options.inputArgs ?? []), '-i', url, '-t', String(options.seconds), '-f', 'null', '-', '-progress', progress],
      { timeoutMs: options.timeoutMs ?? 20_000 },
    );
    let text = '';
    try {
      text = readFileSync(progress, 'utf8');
    } catch {
      // no progress: frames stays 0 and the assertion shows run.stderr
    }
    const counts = [...text.matchAll(/^frame=(\d+)$/gm)].map((match) => Number(match[1]));
    return { run, frames: counts.length > 0 ? counts[counts.length - 1]! : 0 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface ProbeResult {
  run: RunResult;
  streams: Array<{ codec_name?: string; codec_type?: string; width?: number; height?: number }>;
  frames: Array<{ media_type?: string; key_frame?: number }>;
}

/** `ffprobe [inputArgs] -show_entries stream=…:frame=… -read_intervals %+N -of json` on a URL (bounded). */
export async function ffprobe(input: string, options: { readSeconds: number; inputArgs?: string[]; timeoutMs?: number }): Promise<ProbeResult> {
  const dir = mkdtempSync(join(tmpdir(), 'rtmpkit-ffprobe-'));
  const output = join(dir, 'probe.json');
  try {
    const args = [
      '-v', 'error',
      '-show_entries', 'stream=codec_name,codec_type,width,height:frame=media_type,key_frame',
      '-of', 'json', '-o', output,
      '-read_intervals', `%+${options.readSeconds}`,
      ...(options.inputArgs ?? []),
      input,
    ];
    const run = await runPeer(peerPath('ffprobe'), args, { timeoutMs: options.timeoutMs ?? 15_000 });
    let parsed: Partial<ProbeResult> = {};
    try {
      parsed = JSON.parse(readFileSync(output, 'utf8')) as Partial<ProbeResult>;
    } catch {
      // left empty: the assertions show run.stderr
    }
    return { run, streams: parsed.streams ?? [], frames: parsed.frames ?? [] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
