import type { AmfObject, NetStream } from '@rtmpkit/core';
import type { PlayAuthRequest } from '../auth/auth-types.js';

/** A play that the live hub does not serve, offered to the `PlaySource`s. */
export interface PlaySourceRequest extends PlayAuthRequest {
  /** The player's NetStream: send media with `stream.send()` once `start()` is called. */
  stream: NetStream;
  /** The play command's reset flag. */
  reset: boolean;
  /** True when someone publishes this name live right now (only asked then for start >= 0). */
  live: boolean;
}

/** Serves one accepted play (a file, a pull from another server, …). */
export interface PlaybackHandle {
  /** Send StreamIsRecorded before StreamBegin, as for a file. Default true. */
  recorded?: boolean;
  /** `NetStream.Play.Start` has gone out: send media now (typically in the background). */
  start(): void;
  /** The player paused or unpaused (the session answers with the Notify status after this resolves). */
  pause?(paused: boolean, positionMs: number): void | Promise<void>;
  /** The player seeks (the session answers `NetStream.Seek.Notify` after this resolves; a throw fails the seek). */
  seek?(positionMs: number): void | Promise<void>;
  /** `play2` (dynamic streaming, e.g. `transition: 'switch'`); the session answers `NetStream.Play.Transition`. */
  play2?(options: AmfObject): void | Promise<void>;
  /** The play ended (closeStream, the player left, shutdown): stop sending, release files. */
  stop(): void | Promise<void>;
}

/**
 * Where plays that are not live go: VOD from files, pull relays, generated streams. The server
 * asks its sources in order when a play has start >= 0 (recorded), or has start -2 / -1 while
 * nobody publishes the name live. The first one to return a handle serves it; `undefined` passes
 * to the next; a thrown `StreamRejectedError` refuses the play with its status code. When none
 * answers, a recorded play gets `NetStream.Play.StreamNotFound` and a live one waits for a
 * publisher (as nginx-rtmp does). A pull relay may publish into `server.live` and return
 * undefined: the player then waits for that publication like any other.
 */
export interface PlaySource {
  /** For logs and events: `vod`, `relay`. */
  readonly name: string;
  open(request: PlaySourceRequest): PlaybackHandle | undefined | Promise<PlaybackHandle | undefined>;
  /** Length in seconds for `getStreamLength` (FFmpeg asks before playing); undefined passes. */
  streamLength?(app: string, name: string): number | undefined | Promise<number | undefined>;
}
