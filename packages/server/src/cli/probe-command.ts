import type { AmfValue } from '@rtmpkit/core';
import { toJsonSafe } from '../http/json-safe.js';
import { classifyMessage, metadataFacts } from '../live/media-classifier.js';
import type { CodecInfo } from '../live/live-types.js';
import { CliError } from './cli-error.js';
import { openStream, streamProblem } from './client-session.js';
import type { StreamUrl } from './stream-url.js';

/** What `rtmpkit probe` was asked. */
export interface ProbeArgs {
  url: StreamUrl;
  timeoutMs: number;
  json: boolean;
  insecure: boolean;
}

/** What a probe found. */
export interface ProbeResult {
  url: string;
  /** The server's `fmsVer`, when it sent one. */
  server: string | undefined;
  metadata: Record<string, AmfValue> | undefined;
  video: CodecInfo | undefined;
  audio: CodecInfo | undefined;
  /** Media messages seen. */
  messages: number;
}

/** Media messages after which a probe stops even without every expected header. */
const ENOUGH_MESSAGES = 150;

/** Tracks what arrived and decides when the picture is complete. */
class ProbeState {
  metadata: Record<string, AmfValue> | undefined;
  video: CodecInfo | undefined;
  audio: CodecInfo | undefined;
  messages = 0;
  private keyframe = false;
  private audioFrames = 0;

  add(message: Parameters<typeof classifyMessage>[0]): void {
    const classified = classifyMessage(message);
    if (classified.video) this.video = { ...this.video, ...classified.video };
    if (classified.audio) this.audio = { ...this.audio, ...classified.audio };
    if (classified.data?.kind === 'metadata' && classified.data.metadata) this.metadata = classified.data.metadata;
    if (message.type === 8 || message.type === 9) this.messages++;
    if (message.type === 9 && classified.frame.keyframe) this.keyframe = true;
    if (message.type === 8 && !classified.frame.header) this.audioFrames++;
  }

  /** Metadata's promises kept (a track it names has its codec), a keyframe seen, or plenty of media. */
  get complete(): boolean {
    if (this.messages >= ENOUGH_MESSAGES) return true;
    const wantsVideo = this.metadata ? this.metadata.videocodecid !== undefined : true;
    const wantsAudio = this.metadata ? this.metadata.audiocodecid !== undefined : this.audio !== undefined;
    const videoDone = !wantsVideo || (this.video !== undefined && this.keyframe);
    const audioDone = !wantsAudio || (this.audio !== undefined && this.audioFrames > 0);
    return this.metadata !== undefined && videoDone && audioDone;
  }

  result(url: string, server: string | undefined): ProbeResult {
    const facts = this.metadata ? metadataFacts(this.metadata) : { video: {}, audio: {} };
    const video = this.video && { ...facts.video, ...this.video };
    const audio = this.audio && { ...facts.audio, ...this.audio };
    return { url, server, metadata: this.metadata, video, audio, messages: this.messages };
  }
}

/** One line per track: `h264 640x360 25 fps`, `aac 44100 Hz 2 ch`. */
export function describeCodec(info: CodecInfo): string {
  const parts = [info.codec];
  if (info.width && info.height) parts.push(`${info.width}x${info.height}`);
  if (info.frameRate) parts.push(`${Math.round(info.frameRate * 100) / 100} fps`);
  if (info.sampleRate) parts.push(`${info.sampleRate} Hz`);
  if (info.channels) parts.push(info.channels === 1 ? 'mono' : info.channels === 2 ? 'stereo' : `${info.channels} ch`);
  return parts.join(' ');
}

/** The text `rtmpkit probe` prints. */
export function formatProbe(result: ProbeResult): string {
  const lines = [`url       ${result.url}`];
  if (result.server) lines.push(`server    ${result.server}`);
  lines.push(`video     ${result.video ? describeCodec(result.video) : 'none'}`);
  lines.push(`audio     ${result.audio ? describeCodec(result.audio) : 'none'}`);
  if (result.metadata) {
    lines.push('metadata');
    for (const [key, value] of Object.entries(result.metadata)) {
      if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') lines.push(`  ${key.padEnd(18)} ${String(value)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** `rtmpkit probe <url>`: plays briefly and prints metadata and codecs (text, or `--json`). */
export async function runProbe(args: ProbeArgs, io: { stdout: { write(text: string): unknown }; signal: AbortSignal }): Promise<void> {
  const { session, stream } = await openStream(args.url, { insecure: args.insecure });
  const state = new ProbeState();
  const timer = setTimeout(() => void stream.close().catch(() => {}), args.timeoutMs);
  const onAbort = (): void => void stream.close().catch(() => {});
  io.signal.addEventListener('abort', onAbort, { once: true });
  try {
    try {
      await stream.play(args.url.name);
    } catch (error) {
      throw streamProblem(error, args.url, 'play');
    }
    for await (const message of stream) {
      state.add(message);
      if (state.complete) break;
    }
  } finally {
    clearTimeout(timer);
    io.signal.removeEventListener('abort', onAbort);
    await session.close().catch(() => {});
  }
  if (state.messages === 0 && !state.metadata) {
    throw new CliError(`no media from ${args.url.text} in ${args.timeoutMs / 1000} s: is anyone publishing ${args.url.app}/${args.url.name.split('?')[0]}?`);
  }
  const fmsVer = (session.connectResult?.commandObject as { fmsVer?: unknown } | null | undefined)?.fmsVer;
  const result = state.result(args.url.text, typeof fmsVer === 'string' ? fmsVer : undefined);
  io.stdout.write(args.json ? `${JSON.stringify(toJsonSafe(result), null, 2)}\n` : formatProbe(result));
}
