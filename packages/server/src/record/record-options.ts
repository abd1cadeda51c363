import type { FlvRecordingSummary } from '@rtmpkit/flv';

/** Why a recording was made. `record` / `append`: the publisher asked; `all`: `recordAll`. */
export type RecordingKind = 'record' | 'append' | 'all';

/** A recording that ended: the file's summary, with the stream it came from. */
export interface RecordingSummary extends FlvRecordingSummary {
  app: string;
  name: string;
  kind: RecordingKind;
  /** Why it ended: `unpublished`, `takeover`, `server closing`, or the disk error's message. */
  reason: string;
  /** Frames left out because the disk was behind (see `maxPendingBytes`). */
  dropped: number;
}

/** A recording in progress, for the API. */
export interface RecordingInfo {
  app: string;
  name: string;
  kind: RecordingKind;
  path: string;
  /** ms since epoch. */
  startedAt: number;
  /** Payload bytes written so far. */
  bytes: number;
  dropped: number;
}

/** Options of `recorder()`. */
export interface RecorderOptions {
  /**
   * Where recordings go. A publish of type `record` writes `<recordDir>/<app>/<name>.flv` (a new
   * file, replacing one that was there); `append` continues that file (or starts it). Names that
   * are no safe path there (`..`, absolute, controls) are not recorded. Required.
   */
  recordDir: string;
  /**
   * Also record every other publish (type `live`, and publishers that are not RTMP sessions such
   * as pull relays) into `<recordDir>/<app>/<fileName(...)>.flv`. Default false.
   */
  recordAll?: boolean;
  /** Applications recorded. Default: every application. */
  apps?: string[] | ((app: string) => boolean);
  /**
   * The file name (no extension; `/` makes sub-folders) of a `recordAll` recording. Default
   * `<name>-<YYYYMMDD-HHmmss-SSS>` in UTC, e.g. `cam1-20260105-143000-250`.
   */
  fileName?: (stream: { app: string; name: string; startedAt: Date }) => string;
  /**
   * Bytes of media waiting for the disk (or for the file to open) past which frames are left out
   * until the next key frame (sequence headers and metadata never are). Default 16 MiB.
   */
  maxPendingBytes?: number;
  /** Recordings at once; more publishes are not recorded (and a `record`/`append` publisher gets `NetStream.Record.Failed`). Default 100. */
  maxRecordings?: number;
  /** Told when a recording ended and its file was closed (duration and flags patched). */
  onRecorded?(summary: RecordingSummary): void;
}

export const RECORDER_DEFAULTS = Object.freeze({
  recordAll: false,
  maxPendingBytes: 16 * 1024 * 1024,
  maxRecordings: 100,
});

/** `RecorderOptions` with the defaults in place. */
export interface ResolvedRecorderOptions {
  recordDir: string;
  recordAll: boolean;
  apps: (app: string) => boolean;
  fileName: (stream: { app: string; name: string; startedAt: Date }) => string;
  maxPendingBytes: number;
  maxRecordings: number;
  onRecorded: ((summary: RecordingSummary) => void) | undefined;
}

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

/** `<name>-<YYYYMMDD-HHmmss-SSS>` (UTC). */
export function timestampedName({ name, startedAt: t }: { name: string; startedAt: Date }): string {
  const date = `${t.getUTCFullYear()}${pad(t.getUTCMonth() + 1)}${pad(t.getUTCDate())}`;
  const time = `${pad(t.getUTCHours())}${pad(t.getUTCMinutes())}${pad(t.getUTCSeconds())}`;
  return `${name}-${date}-${time}-${pad(t.getUTCMilliseconds(), 3)}`;
}

function positive(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new RangeError(`recorder: ${name} must be a positive integer, got ${String(value)}`);
  return value;
}

/** Checks the options and fills in the defaults. */
export function resolveRecorderOptions(options: RecorderOptions): ResolvedRecorderOptions {
  if (!options || typeof options.recordDir !== 'string' || options.recordDir.length === 0) {
    throw new TypeError("recorder needs a folder: recorder({ recordDir: '/srv/recordings' })");
  }
  const { apps } = options;
  return {
    recordDir: options.recordDir,
    recordAll: options.recordAll ?? RECORDER_DEFAULTS.recordAll,
    apps: typeof apps === 'function' ? apps : Array.isArray(apps) ? (app) => apps.includes(app) : () => true,
    fileName: options.fileName ?? timestampedName,
    maxPendingBytes: positive('maxPendingBytes', options.maxPendingBytes ?? RECORDER_DEFAULTS.maxPendingBytes),
    maxRecordings: positive('maxRecordings', options.maxRecordings ?? RECORDER_DEFAULTS.maxRecordings),
    onRecorded: options.onRecorded,
  };
}
