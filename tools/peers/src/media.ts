import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { peerPath } from './peers.js';
import { runPeer } from './processes.js';

export interface TestMediaOptions {
  seconds?: number;
  width?: number;
  height?: number;
  fps?: number;
  /** Keyframe interval in frames. */
  gop?: number;
}

/**
 * A synthetic H.264 + AAC FLV file made by ffmpeg (testsrc + sine), cached by its parameters
 * so a test run makes each file once.
 */
export async function makeTestFlv(options: TestMediaOptions = {}): Promise<string> {
  const { seconds = 5, width = 320, height = 240, fps = 25, gop = 25 } = options;
  const dir = join(tmpdir(), 'rtmpkit-media');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `test-${seconds}s-${width}x${height}-${fps}fps-g${gop}.flv`);
  if (existsSync(file)) return file;
  const partial = `${file}.${process.pid}.part.flv`;
  const result = await runPeer(
    peerPath('ffmpeg'),
    [
      '-hide_banner', '-loglevel', 'error', '-y',
      '-f', 'lavfi', '-i', `testsrc=size=${width}x${height}:rate=${fps}`,
      '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100',
      '-t', String(seconds),
      '-c:v', 'libx264', '-preset', 'ultrafast', '-g', String(gop), '-pix_fmt', 'yuv420p',
      '-c:a', 'aac', '-b:a', '64k',
      '-f', 'flv', partial,
    ],
    { timeoutMs: 60_000 },
  );
  if (result.code !== 0) throw new Error(`ffmpeg could not make test media: ${result.stderr}`);
  const { renameSync } = await import('node:fs');
  renameSync(partial, file);
  return file;
}
