import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { peerPath, runPeer, startPeer, type RunningPeer, type RunResult } from '@rtmpkit/test-peers';

/**
 * `ffmpeg -re [-t seconds] -i file -c copy [outputArgs] -f flv url`: publishes a file in real time
 * (bounded).
 */
export function ffmpegPublishFile(
  file: string,
  url: string,
  options: { timeoutMs?: number; logLevel?: string; seconds?: number; outputArgs?: string[] } = {},
): RunningPeer {
  const input = options.seconds === undefined ? ['-i', file] : ['-t', String(options.seconds), '-i', file];
  return startPeer(
    peerPath('ffmpeg'),
    ['-hide_banner', '-nostdin', '-loglevel', options.logLevel ?? 'warning', '-re', ...input, '-c', 'copy', ...(options.outputArgs ?? []), '-f', 'flv', url],
    { timeoutMs: options.timeoutMs ?? 20_000 },
  );
}

/** Encodes testsrc + sine live (`-re`) for `seconds` and publishes it (bounded). */
export function ffmpegPublishLavfi(url: string, options: { seconds: number; timeoutMs?: number }): RunningPeer {
  return startPeer(
    peerPath('ffmpeg'),
    [
      '-hide_banner', '-nostdin', '-loglevel', 'warning',
      '-re', '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=25',
      '-re', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100',
      '-t', String(options.seconds),
      '-c:v', 'libx264', '-preset', 'ultrafast', '-g', '25', '-pix_fmt', 'yuv420p',
      '-c:a', 'aac', '-b:a', '64k',
      '-f', 'flv', url,
    ],
    { timeoutMs: options.timeoutMs ?? 20_000 },
  );
}

/** Lines of an ffmpeg stderr that speak of an error or a server complaint. */
export function errorLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => /error|fail(ed)?\b|server error|invalid/i.test(line) && !/Failed to update header with correct (duration|filesize)/.test(line));
}

export interface ProbeResult {
  run: RunResult;
  streams: Array<{ codec_name?: string; codec_type?: string; width?: number; height?: number }>;
  frames: Array<{ media_type?: string; key_frame?: number }>;
}

/**
 * `ffprobe -show_entries stream=...[:frame=...] [-read_intervals %+N] -of json -o FILE` on a URL
 * or file (bounded). The JSON goes to a file: a peer's stdout is only kept in part.
 */
export async function ffprobe(input: string, options: { frames?: boolean; readSeconds?: number; timeoutMs?: number } = {}): Promise<ProbeResult> {
  const dir = mkdtempSync(join(tmpdir(), 'rtmpkit-ffprobe-'));
  const output = join(dir, 'probe.json');
  try {
    const entries = `stream=codec_name,codec_type,width,height${options.frames ? ':frame=media_type,key_frame' : ''}`;
    const args = ['-v', 'error', '-show_entries', entries, '-of', 'json', '-o', output];
    if (options.readSeconds !== undefined) args.push('-read_intervals', `%+${options.readSeconds}`);
    args.push(input);
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
