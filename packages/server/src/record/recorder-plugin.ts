import type { Logger } from 'pino';
import type { Publication } from '../live/publication.js';
import type { ServerEventMap } from '../server/events.js';
import type { ServerPlugin } from '../server/plugin.js';
import type { RtmpServer } from '../server/rtmp-server.js';
import { mediaFilePath } from '../vod/media-path.js';
import { tellPublisher } from './publisher-status.js';
import { RecorderSink } from './recorder-sink.js';
import { resolveRecorderOptions, type RecorderOptions, type RecordingInfo, type RecordingKind, type ResolvedRecorderOptions } from './record-options.js';

interface Recording {
  app: string;
  name: string;
  kind: RecordingKind;
  sink: RecorderSink;
}

/**
 * Records live streams into FLV files: publishes of type `record` and `append`, and with
 * `recordAll` every other publish too. Make it with `recorder({ recordDir })` and put it in the
 * server's `plugins`. Recordings end when the publisher leaves or is taken over, and on server
 * shutdown (flushed and closed before `close()` resolves).
 */
export class Recorder implements ServerPlugin {
  readonly name = 'recorder';
  private readonly options: ResolvedRecorderOptions;
  private readonly active = new Set<Recording>();
  /** The latest recording of each file, so a new one waits until the previous one closed it. */
  private readonly lastByPath = new Map<string, RecorderSink>();
  private server: RtmpServer | undefined;
  private log: Logger | undefined;
  private off: (() => void) | undefined;

  constructor(options: RecorderOptions) {
    this.options = resolveRecorderOptions(options);
  }

  setup(server: RtmpServer): void {
    this.server = server;
    this.log = server.log.child({ plugin: this.name });
    this.off = server.on('publish', (event) => this.publishStarted(event));
  }

  /** Stops every recording (flushed, closed); resolves when the files are closed. */
  async close(): Promise<void> {
    this.off?.();
    this.off = undefined;
    await Promise.all([...this.active].map(({ sink }) => sink.end('server closing')));
  }

  /** Recordings in progress. */
  recordings(): RecordingInfo[] {
    return [...this.active].map(({ app, name, kind, sink }) => ({
      app,
      name,
      kind,
      path: sink.path,
      startedAt: sink.startedAt,
      bytes: sink.stats().bytesOut,
      dropped: sink.stats().dropped,
    }));
  }

  private publishStarted({ app, name, type }: ServerEventMap['publish']): void {
    const server = this.server;
    if (!server || !this.options.apps(app)) return;
    const kind: RecordingKind | undefined = type === 'record' || type === 'append' ? type : this.options.recordAll ? 'all' : undefined;
    if (!kind) return;
    const publication = server.live.get(app, name)?.publication;
    const asked = kind !== 'all'; // the publisher asked to be recorded: it is told how that goes
    if (this.active.size >= this.options.maxRecordings) {
      this.log?.warn({ app, stream: name, max: this.options.maxRecordings }, 'not recorded: too many recordings');
      if (asked) later(() => tellPublisher(publication, 'Failed', name, `Too many recordings (maxRecordings = ${this.options.maxRecordings}).`));
      return;
    }
    const fileName = kind === 'all' ? this.options.fileName({ app, name, startedAt: new Date() }) : name;
    const path = mediaFilePath(this.options.recordDir, app, fileName);
    if (path === undefined) {
      this.log?.warn({ app, stream: name, fileName }, 'not recorded: the name is no safe file name');
      if (asked) later(() => tellPublisher(publication, 'NoAccess', name, `${name} cannot be recorded under that name.`));
      return;
    }
    this.record(server, publication, { app, name, kind, path });
  }

  private record(server: RtmpServer, publication: Publication | undefined, target: { app: string; name: string; kind: RecordingKind; path: string }): void {
    const { app, name, kind, path } = target;
    const asked = kind !== 'all';
    const previous = this.lastByPath.get(path);
    const sink: RecorderSink = new RecorderSink({
      path,
      mode: kind === 'append' ? 'append' : 'write',
      maxPendingBytes: this.options.maxPendingBytes,
      onStart: () => {
        this.log?.info({ app, stream: name, file: path, kind }, 'recording');
        if (asked) later(() => tellPublisher(publication, 'Start', name, `Recording ${name}.`));
      },
      onEnd: ({ summary, error, reason }) => {
        this.active.delete(recording);
        if (this.lastByPath.get(path) === sink) this.lastByPath.delete(path);
        if (error !== undefined) this.log?.warn({ app, stream: name, file: path, err: error }, 'recording failed');
        else this.log?.info({ app, stream: name, file: path, reason, duration: summary?.duration }, 'recording ended');
        if (asked) tellPublisher(publication, error === undefined ? 'Stop' : 'Failed', name, error === undefined ? `Stopped recording ${name}.` : `Recording ${name} failed.`);
        if (summary) this.options.onRecorded?.({ ...summary, app, name, kind, reason, dropped: sink.stats().dropped });
      },
    });
    const recording: Recording = { app, name, kind, sink };
    try {
      sink.subscription = server.live.subscribe(app, name, sink, { gop: false });
    } catch (error) {
      this.log?.warn({ app, stream: name, err: error }, 'not recorded: the stream refused the recorder');
      if (asked) later(() => tellPublisher(publication, 'Failed', name, `${name} cannot be recorded now.`));
      return;
    }
    this.active.add(recording);
    this.lastByPath.set(path, sink);
    sink.start(previous?.finished);
  }
}

/** On the next turn: after the session sent `NetStream.Publish.Start` for the publish in hand. */
function later(run: () => void): void {
  setImmediate(run);
}

/**
 * Records live streams into FLV files (see `RecorderOptions`):
 *
 * ```ts
 * const server = createServer({ transports: [rtmp()], plugins: [recorder({ recordDir: '/srv/rec', recordAll: true })] });
 * // ffmpeg … -f flv rtmp://host/live/cam1  →  /srv/rec/live/cam1-20260105-143000-250.flv
 * ```
 */
export function recorder(options: RecorderOptions): Recorder {
  return new Recorder(options);
}
