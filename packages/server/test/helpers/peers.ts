import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { peerPath, runPeer, startPeer, type RunningPeer, type RunResult } from '@rtmpkit/test-peers';

/** `ffmpeg -re [-stream_loop -1] -i file -c copy -f flv url`: a real-time publisher (always killed after `timeoutMs`). */
export function ffmpegPublish(file: string, url: string, options: { loop?: boolean; timeoutMs?: number } = {}): RunningPeer {
  const loop = options.loop ? ['-stream_loop', '-1'] : [];
  return startPeer(
    peerPath('ffmpeg'),
    ['-hide_banner', '-nostdin', '-loglevel', 'warning', '-re', ...loop, '-i', file, '-c', 'copy', '-f', 'flv', url],
    { timeoutMs: options.timeoutMs ?? 60_000 },
  );
}

export interface Probe {
  run: RunResult;
  streams: Array<{ codec_name?: string; codec_type?: string; width?: number; height?: number }>;
}

/** `ffprobe -v error -show_streams` on a URL or file, as JSON (bounded). */
export async function ffprobe(input: string, timeoutMs = 15_000): Promise<Probe> {
  const dir = mkdtempSync(join(tmpdir(), 'rtmpkit-server-probe-'));
  const output = join(dir, 'probe.json');
  try {
    const run = await runPeer(peerPath('ffprobe'), ['-v', 'error', '-show_streams', '-of', 'json', '-o', output, input], { timeoutMs });
    let streams: Probe['streams'] = [];
    try {
      streams = (JSON.parse(readFileSync(output, 'utf8')) as { streams?: Probe['streams'] }).streams ?? [];
    } catch {
      // left empty: the assertions show run.stderr
    }
    return { run, streams };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `ffmpeg -i url -t seconds -f null -`, returning the decoded frame count from its progress output. */
export async function ffmpegDecode(url: string, seconds: number, dir: string, timeoutMs = 20_000): Promise<{ run: RunResult; frames: number }> {
  const progress = join(dir, `progress-${Date.now()}.txt`);
  const run = await runPeer(
    peerPath('ffmpeg'),
    ['-hide_banner', '-nostdin', '-nostats', '-loglevel', 'warning', '-i', url, '-t', String(seconds), '-f', 'null', '-', '-progress', progress],
    { timeoutMs },
  );
  let frames = 0;
  try {
    const text = readFileSync(progress, 'utf8');
    frames = Math.max(0, ...[...text.matchAll(/^frame=(\d+)$/gm)].map((match) => Number(match[1])));
  } catch {
    // no progress file: frames stays 0
  }
  return { run, frames };
}
