import { StreamRejectedError } from '@rtmpkit/core';
import { pino, type Logger } from 'pino';
import type { PlaybackHandle, PlaySource, PlaySourceRequest } from '../play/play-sources.js';
import type { ServerPlugin } from '../server/plugin.js';
import type { RtmpServer } from '../server/rtmp-server.js';
import { FlvIndexCache } from './index-cache.js';
import { bareFlvName, insideRoot, mediaFilePath } from './media-path.js';
import { resolveVodOptions, type ResolvedVodOptions, type VodOptions } from './vod-options.js';
import { VodPlayback, type VodFile } from './vod-playback.js';

/**
 * Video on demand from a folder of FLV files: a `PlaySource` (and a `ServerPlugin` that adds
 * itself as one). Make it with `vod({ mediaDir })` and put it in `plugins` (or in `sources`;
 * not in both).
 */
export class VodSource implements PlaySource, ServerPlugin {
  readonly name: string;
  private readonly options: ResolvedVodOptions;
  private readonly indexes: FlvIndexCache;
  private readonly playing = new Set<VodPlayback>();
  private log: Logger = pino({ level: 'silent' });
  private removeSource: (() => void) | undefined;

  constructor(options: VodOptions) {
    this.options = resolveVodOptions(options);
    this.name = this.options.name;
    this.indexes = new FlvIndexCache(this.options.indexCacheSize, this.options.maxTagSize);
  }

  /** Plays being served now. */
  get plays(): number {
    return this.playing.size;
  }

  setup(server: RtmpServer): void {
    this.log = server.log.child({ source: this.name });
    this.removeSource = server.addPlaySource(this);
  }

  close(): void {
    this.removeSource?.();
    this.removeSource = undefined;
    for (const play of [...this.playing]) play.stop();
  }

  async open(request: PlaySourceRequest): Promise<PlaybackHandle | undefined> {
    const { app, name } = request;
    if (!this.options.apps(app)) return undefined;
    const refuse = this.options.notFound === 'refuse';
    if (request.start === -1 && !refuse) return undefined; // live only
    const file = await this.find(app, name);
    if (!file) {
      if (refuse) throw new StreamRejectedError('NetStream.Play.StreamNotFound', `${name} was not found.`);
      return undefined;
    }
    if (this.playing.size >= this.options.maxPlays) {
      throw new StreamRejectedError('NetStream.Play.Failed', `Too many VOD plays (maxPlays = ${this.options.maxPlays}).`);
    }
    const playback: VodPlayback = new VodPlayback({
      stream: request.stream,
      file,
      start: request.start,
      duration: request.duration,
      leadMs: this.options.leadMs,
      maxTagSize: this.options.maxTagSize,
      openRendition: async (other) => {
        const rendition = await this.find(app, other);
        if (!rendition) throw new StreamRejectedError('NetStream.Play.StreamNotFound', `${other} was not found.`);
        return rendition;
      },
      log: this.log,
      onStop: () => this.playing.delete(playback),
    });
    this.playing.add(playback);
    this.log.debug({ app, stream: name, file: file.path, start: request.start, duration: request.duration }, 'VOD play');
    return playback;
  }

  async streamLength(app: string, name: string): Promise<number | undefined> {
    if (!this.options.apps(app)) return undefined;
    return (await this.find(app, name))?.index.duration;
  }

  /**
   * The indexed file behind `app` / `name`, or undefined when the name is not a file here (unsafe
   * names never reach the file system). A file that exists but is not readable FLV refuses the
   * play with `NetStream.Play.Failed`.
   */
  async find(app: string, name: string): Promise<VodFile | undefined> {
    const bare = bareFlvName(name);
    const path = bare === undefined ? undefined : mediaFilePath(this.options.mediaDir, app, bare);
    if (path === undefined || !(await insideRoot(this.options.mediaDir, path))) return undefined;
    try {
      return { name, path, index: await this.indexes.get(path) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      this.log.warn({ err: error, file: path }, 'VOD file is not readable FLV');
      throw new StreamRejectedError('NetStream.Play.Failed', `${name} could not be read.`);
    }
  }
}

/**
 * Video on demand from FLV files: `play name` on application `app` plays
 * `<mediaDir>/<app>/<name>.flv`, paced in real time, with seek, pause, `getStreamLength`, the
 * end-of-stream statuses, and `play2` bitrate switching between files.
 *
 * ```ts
 * const server = createServer({ transports: [rtmp()], plugins: [vod({ mediaDir: '/srv/media', apps: ['vod'] })] });
 * // ffplay rtmp://host/vod/talk  →  /srv/media/vod/talk.flv
 * ```
 */
export function vod(options: VodOptions): VodSource {
  return new VodSource(options);
}
