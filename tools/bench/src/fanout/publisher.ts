/**
 * The publisher: ffmpeg sending the input in a loop at real time, `-c copy`, as its own process
 * (its CPU is not counted).
 */
import { spawnBounded, type BoundedChild } from './children.js';
import { HOST } from './net-util.js';

export const APP = 'live';
export const STREAM = 'bench';

export function startPublisher(file: string, port: number, maxSeconds: number): BoundedChild {
  const url = `rtmp://${HOST}:${port}/${APP}/${STREAM}`;
  return spawnBounded('ffmpeg publisher', 'ffmpeg', ['-hide_banner', '-loglevel', 'error', '-nostdin', '-re', '-stream_loop', '-1', '-i', file, '-c', 'copy', '-f', 'flv', url], { maxSeconds });
}
