import type { AmfObject, AmfValue } from '../amf/amf-value.js';
import type { RtmpMessage } from '../message/rtmp-message.js';
import type { PeerAddress } from './byte-channel.js';
import type { ClientHandshakeOption, ServerHandshakeOption } from './handshake-driver.js';
import type { SharedEncoding } from './outgoing.js';
import type { SessionTuning } from './session-options.js';

/** URL schemes of the transports. */
export type TransportScheme = 'rtmp' | 'rtmps' | 'rtmpe' | 'rtmpt' | 'rtmpte' | 'rtmpts' | 'rtmfp';

export type SessionState = 'handshaking' | 'connecting' | 'connected' | 'closing' | 'closed';

/** What the client said in `connect`, parsed; `command` keeps every field as sent. */
export interface ConnectInfo {
  app: string;
  tcUrl: string;
  flashVer?: string;
  swfUrl?: string;
  pageUrl?: string;
  /** 0 = AMF0 only, 3 = AMF3 allowed. */
  objectEncoding: 0 | 3;
  /** Enhanced RTMP: codecs the client handles (`["hvc1", "av01"]`, or `["*"]`). */
  fourCcList?: string[];
  videoFourCcInfoMap?: Record<string, number>;
  audioFourCcInfoMap?: Record<string, number>;
  /** Enhanced RTMP capability bits (reconnect 1, multitrack 2, ModEx 4, nano offset 8). */
  capsEx?: number;
  /** The whole command object as the client sent it. */
  command: AmfObject;
  /** Optional user arguments after the command object. */
  args: AmfValue[];
}

/** An `onStatus` info object. */
export interface StatusInfo {
  level: 'status' | 'warning' | 'error';
  code: string;
  description?: string;
  [key: string]: AmfValue;
}

export interface CallOptions {
  signal?: AbortSignal;
  /** Milliseconds to wait for `_result`/`_error` (default: the session's `timeouts.call`, 30 000; 0 = no limit). */
  timeout?: number;
}

/** What `_result` carried: the command object (often null) and the values after it. */
export interface CallResult {
  commandObject: AmfValue;
  args: AmfValue[];
}

/**
 * Answers a command the peer called. The return value goes back in `_result` after a null
 * command object: an array is the list of values (return `[[1, 2]]` for one array value), any
 * other value is the one value, undefined sends none. A throw becomes `_error` with an info
 * object (`code` from the error's `statusCode` if it has one, else `NetConnection.Call.Failed`).
 * Nothing is sent back for transaction id 0.
 */
export type CommandHandler = (
  args: AmfValue[],
  context: { commandObject: AmfValue; streamId: number; transactionId: number; session: Session },
) => AmfValue | AmfValue[] | void | Promise<AmfValue | AmfValue[] | void>;

/**
 * Where and how much to play. On the wire, start and duration are sent as FFmpeg, librtmp and
 * Flash send them: -2000 / -1000 for the two live modes, milliseconds otherwise (the spec's text
 * says seconds, but FMS, nginx-rtmp, FFmpeg and librtmp all mean milliseconds).
 */
export interface PlayOptions {
  /** -2 live, else recorded (default); -1 live only; >= 0 recorded, from this offset in milliseconds. */
  start?: number;
  /** -1 to the end (default); 0 a single frame; > 0 this many milliseconds. */
  duration?: number;
  /** Sent as the play command's `reset` flag only when given. */
  reset?: boolean;
  /** SetBufferLength sent after play, in ms. Default 3000 (FFmpeg's). */
  bufferLength?: number;
}

/** Options of `NetStream.send`. */
export interface SendOptions {
  /**
   * Fan-out: chunk bytes shared by every connection this message goes to. Pass the same (new,
   * empty) map for each receiver of one message; each chunk size / chunk stream / stream id
   * combination is encoded once (a full header each time, valid on any connection).
   */
  shared?: SharedEncoding;
  /**
   * The message may wait up to this long (ms) to be written in one go with the messages sent
   * after it on this connection: fewer, larger writes, much less CPU when a server sends one
   * stream to many players. Anything sent without it (commands, control) writes the waiting
   * bytes first; past 64 KiB waiting they are written at once. Default 0: written now.
   * Transports without a byte stream (RTMFP) ignore it.
   */
  coalesceMs?: number;
}

export type PublishType = 'live' | 'record' | 'append';

/** What a NetStream is doing: nothing yet (or any more), publishing or playing. */
export type NetStreamMode = 'idle' | 'publishing' | 'playing';

/**
 * One NetStream. Incoming media is an async iterable of audio (8), video (9) and data (18/15)
 * messages, aggregates (22) split into their parts; payloads are views of the received bytes.
 * The iterator covers one publish or play: it ends when that ends (closeStream, deleteStream,
 * `close()`, the session closing; with the session's `closeError` if it failed). Iterate once per
 * publish/play, one reader at a time. A reader that falls behind by `limits.maxQueuedBytes` makes
 * the session pause the channel until it catches up. After a reader breaks out of `for await`,
 * messages are dropped until a new iteration starts (so nobody holds the channel by leaving).
 */
export interface NetStream extends AsyncIterable<RtmpMessage> {
  readonly id: number;
  readonly session: Session;
  readonly mode: NetStreamMode;
  /** The name being published or played (undefined while idle). */
  readonly name: string | undefined;
  /** Server side: what the player asked for with pause / receiveAudio / receiveVideo. */
  readonly paused: boolean;
  readonly audioEnabled: boolean;
  readonly videoEnabled: boolean;
  /**
   * Server side: the buffer the player said it keeps (User Control SetBufferLength), in ms;
   * undefined until it says (and on transports without it).
   */
  readonly peerBufferLength?: number | undefined;
  /** Resolves once the stream is gone (deleteStream, `close()`, the session closing). */
  readonly closed: Promise<void>;
  /** Client: publish under `name`; resolves on `NetStream.Publish.Start`, rejects with `StreamRejectedError` on an error status. */
  publish(name: string, type?: PublishType): Promise<void>;
  /** Client: play `name`; resolves on `NetStream.Play.Start`, rejects with `StreamRejectedError` on an error status. */
  play(name: string, options?: PlayOptions): Promise<void>;
  /**
   * Sends one audio, video, data or aggregate message on this stream; resolves when the channel
   * can take more (it is written at once either way). Server side, audio or video the player
   * turned off with receiveAudio/receiveVideo(false) is dropped.
   */
  send(message: Pick<RtmpMessage, 'type' | 'timestamp' | 'payload'>, options?: SendOptions): Promise<void>;
  /** Sends a data message `name, ...values` (e.g. `onPlayStatus`, `onCuePoint`): type 15 when objectEncoding is 3, else 18. */
  sendData(name: string, values: AmfValue[], timestamp?: number): Promise<void>;
  /**
   * Sends `@setDataFrame onMetaData` (client) or `onMetaData` (server to player), as an AMF0 ECMA
   * array in a type 18 message whatever the objectEncoding (what every server and player reads).
   */
  sendMetadata(metadata: Record<string, AmfValue>, timestamp?: number): Promise<void>;
  /** Sends an `onStatus` on this stream (server side, normally). */
  sendStatus(info: StatusInfo): Promise<void>;
  /** Client: `pause` (resolves once sent; the server answers with a status). */
  pause(paused: boolean, positionMs: number): Promise<void>;
  /** Client: `seek` (resolves once sent; the server answers `NetStream.Seek.Notify`). */
  seek(positionMs: number): Promise<void>;
  /** Client: `receiveAudio` (resolves once sent). */
  receiveAudio(enabled: boolean): Promise<void>;
  /** Client: `receiveVideo` (resolves once sent). */
  receiveVideo(enabled: boolean): Promise<void>;
  /** `onStatus` events the peer sent on this stream. */
  onStatus(listener: (info: StatusInfo) => void): () => void;
  /**
   * Client: closeStream (when publishing or playing) + deleteStream. Server: ends the publish or
   * play (StreamEOF + `NetStream.Play.Stop` to a player, `NetStream.Unpublish.Success` to a
   * publisher). Either way the media iterator ends and `closed` resolves.
   */
  close(): Promise<void>;
}

export interface PublishRequest {
  stream: NetStream;
  name: string;
  type: PublishType;
}

export interface PlayRequest {
  stream: NetStream;
  name: string;
  /**
   * -2 (live, else recorded), -1 (live only) or an offset >= 0 in milliseconds. Read by sign, as
   * the peers send it: -2, -2000 and below mean -2; other negatives mean -1.
   */
  start: number;
  /** -1 (to the end), or >= 0 milliseconds. */
  duration: number;
  reset: boolean;
  /** `start` exactly as the client sent it. */
  rawStart: number;
}

/** What a play handler may return: `recorded` sends StreamIsRecorded before StreamBegin. */
export interface PlayAccept {
  recorded?: boolean;
}

/** `play2` (bitrate switching): the NetStreamPlayOptions object as sent. */
export interface Play2Request {
  stream: NetStream;
  options: AmfObject;
}

/** A publish or play that ended: closeStream, deleteStream, `close()` or the session closing (`error` set if it failed). */
export interface StreamEndEvent {
  stream: NetStream;
  name: string;
  mode: 'publishing' | 'playing';
  error?: Error;
}

/**
 * Server side: what to do when a client publishes or plays. Resolve to accept (the session sends
 * the Start status); throw a `StreamRejectedError` (or any error) to refuse with its status code
 * (any other error: `NetStream.Publish.BadName` / `NetStream.Play.StreamNotFound`). Without a
 * `publish` or `play` handler, those are refused (`NetStream.Publish.Denied`,
 * `NetStream.Play.StreamNotFound`). The optional handlers default to plain answers: pause and
 * seek are acknowledged with their Notify status, `getStreamLength` answers 0, `play2` fails.
 * Each is called as a method of the object given to `onStreamRequest` (`this` is that object),
 * so an instance of a class with these methods works as well as an object of arrow functions.
 */
export interface StreamRequestHandlers {
  publish?(request: PublishRequest): void | Promise<void>;
  play?(request: PlayRequest): void | PlayAccept | Promise<void | PlayAccept>;
  play2?(request: Play2Request): void | Promise<void>;
  pause?(request: { stream: NetStream; paused: boolean; positionMs: number }): void | Promise<void>;
  seek?(request: { stream: NetStream; positionMs: number }): void | Promise<void>;
  /** The length in seconds of a recorded stream (`getStreamLength`, which FFmpeg asks). */
  getStreamLength?(name: string): number | Promise<number>;
  /** A publish or play ended. */
  end?(event: StreamEndEvent): void;
}

/** The NetConnection: one per connection, client or server side. */
export interface Session {
  readonly role: 'client' | 'server';
  readonly scheme: TransportScheme;
  readonly state: SessionState;
  /** What the client sent in connect (client side: what it sent). */
  readonly connectInfo: ConnectInfo;
  /** The connect `_result` (client: what the server answered; server: what it sent). */
  readonly connectResult: CallResult | undefined;
  readonly remote: PeerAddress;
  readonly secure: boolean;
  /** The NetStreams open on this connection, by id. */
  readonly streams: ReadonlyMap<number, NetStream>;
  /** True while the channel is above its high-water mark (sends resolve only after it drains). */
  readonly writableNeedDrain: boolean;
  /** Calls a command on the peer and waits for its `_result` (rejects with `CommandError` on `_error`). */
  call(name: string, args?: AmfValue[], options?: CallOptions): Promise<CallResult>;
  /** Calls a command that expects no answer (transaction id 0). */
  notify(name: string, args?: AmfValue[]): Promise<void>;
  /**
   * Answers commands of this name that the peer calls (replacing an earlier handler; undefined
   * removes it). Commands nobody handles get `_error` `NetConnection.Call.Failed`. The commands the
   * session implements itself (connect, createStream, publish, play, ...) cannot be taken over;
   * releaseStream, FCPublish, FCUnpublish, FCSubscribe, getStreamLength and _checkbw can.
   */
  handle(name: string, handler: CommandHandler | undefined): void;
  /** Client side: `createStream`. */
  createStream(): Promise<NetStream>;
  /** Server side: how to answer publish and play. */
  onStreamRequest(handlers: StreamRequestHandlers): void;
  /** Status events sent on the NetConnection (stream 0). */
  onStatus(listener: (info: StatusInfo) => void): () => void;
  /**
   * Closes in order: the client sends closeStream/deleteStream for its open streams, then the
   * channel is ended (pending writes are flushed, destroyed after `timeouts.close`). Calling it
   * again, or after the session closed, just waits for `closed`.
   */
  close(): Promise<void>;
  /** Resolves once closed; `closeError` then says why, if it was not an orderly close. */
  readonly closed: Promise<void>;
  readonly closeError: Error | undefined;
  /** Bytes received from the peer so far, handshake included (for stats; never wraps). */
  readonly bytesIn: number;
  /** Bytes written to the peer so far, handshake included. */
  readonly bytesOut: number;
}

/** Options of `IncomingSession.accept`. */
export interface AcceptOptions {
  /** Extra properties of the `_result` properties object (next to fmsVer, capabilities and the Enhanced RTMP maps). */
  properties?: Record<string, AmfValue>;
}

/** Server side, before `connect` is answered. */
export interface IncomingSession {
  readonly connectInfo: ConnectInfo;
  readonly remote: PeerAddress;
  readonly scheme: TransportScheme;
  /**
   * Answers `connect`: Window Acknowledgement Size, Set Peer Bandwidth, StreamBegin(0), Set Chunk
   * Size, then `_result`; `info` goes into the info object. Rejects with `SessionClosedError` if
   * the client left (or `timeouts.connect` passed) meanwhile.
   */
  accept(info?: Record<string, AmfValue>, options?: AcceptOptions): Promise<Session>;
  /** Answers `connect` with `_error` (`NetConnection.Connect.Rejected`) and closes. */
  reject(description?: string): Promise<void>;
}

/** Client options, also what `Transport.connect` takes. */
export interface ConnectOptions extends SessionTuning {
  signal?: AbortSignal;
  /**
   * Properties of the connect command object, laid over the defaults (app, type, flashVer,
   * tcUrl, fpad, capabilities, audioCodecs, videoCodecs, videoFunction, objectEncoding). Enhanced
   * RTMP: `fourCcList` (an array), `videoFourCcInfoMap`, `audioFourCcInfoMap`, `capsEx`. A
   * property set to undefined is left out.
   */
  command?: Record<string, AmfValue>;
  /** User arguments after the command object. */
  args?: AmfValue[];
  objectEncoding?: 0 | 3;
  /** The handshake: options for the built-in one (e.g. `{ digest: false }`), an object, or a factory. */
  handshake?: ClientHandshakeOption;
}

/** What `startClientSession` takes: the URL and the transport's scheme on top of `ConnectOptions`. */
export interface ClientSessionOptions extends ConnectOptions {
  /**
   * `rtmp://host[:port]/app[/instance][?query]`, read by `parseRtmpUrl`: the whole path is `app`,
   * and `tcUrl` is the URL with its port (each may be overridden in `command`). Stream names go
   * to `publish`/`play`, not here.
   */
  url: string | URL;
  /** The transport's scheme (default: the URL's). */
  scheme?: TransportScheme;
}

/** Enhanced RTMP capabilities a server announces in the connect `_result` properties. */
export interface ServerEnhancedCapabilities {
  videoFourCcInfoMap?: Record<string, number>;
  audioFourCcInfoMap?: Record<string, number>;
  capsEx?: number;
  fourCcList?: string[];
}

/** Server settings, also part of what `Transport.listen` takes. */
export interface ServerSessionSettings extends SessionTuning {
  /** The handshake: options for the built-in one, an object, or a factory. */
  handshake?: ServerHandshakeOption;
  /** `fmsVer` in the connect `_result`. Default `FMS/3,0,1,123`. */
  fmsVersion?: string;
  /** Enhanced RTMP: sent in the connect `_result` properties when set. */
  enhanced?: ServerEnhancedCapabilities;
  /** Send `onBWDone` after the connect `_result` (FFmpeg's server does; nginx does not). Default false. */
  sendBwDone?: boolean;
}

/** What `startServerSession` takes. */
export interface ServerSessionOptions extends ServerSessionSettings {
  /** The transport's scheme. Default `rtmp`. */
  scheme?: TransportScheme;
  signal?: AbortSignal;
}

export interface ListenOptions extends ServerSessionSettings {
  host?: string;
  port?: number;
  signal?: AbortSignal;
}

export interface Listener extends AsyncIterable<IncomingSession> {
  readonly address: { address: string; port: number; family: string };
  close(): Promise<void>;
}

/** One per variant package: `rtmp()`, `rtmps()`, … */
export interface Transport {
  readonly scheme: TransportScheme;
  connect(url: string | URL, options?: ConnectOptions): Promise<Session>;
  listen(options?: ListenOptions): Promise<Listener>;
}
