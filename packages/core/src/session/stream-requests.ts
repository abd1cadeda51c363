import type { AmfObject, AmfValue } from '../amf/amf-value.js';
import { RtmpError } from '../errors/index.js';
import type { RtmpMessage } from '../message/rtmp-message.js';
import type { RtmpCommand } from './codec.js';
import type { RtmpNetStream } from './net-stream.js';
import type { PlayAccept, PublishType, StatusInfo, StreamRequestHandlers } from './session-types.js';
import { StatusCode, statusInfo } from './status.js';

/** What the server's stream commands need of the session. */
export interface StreamCommandHost {
  readonly state: string;
  readonly handlersForStreams: StreamRequestHandlers;
  openStream(): RtmpNetStream;
  stream(id: number): RtmpNetStream | undefined;
  reply(transactionId: number, streamId: number, values: AmfValue[], commandObject?: AmfValue): void;
  replyError(transactionId: number, streamId: number, info: StatusInfo): void;
  sendStatusOn(streamId: number, info: StatusInfo): boolean;
  sendCommand(name: string, transactionId: number, commandObject: AmfValue, args: AmfValue[], streamId: number): boolean;
  sendDataMessage(streamId: number, name: string, values: AmfValue[], timestamp: number): boolean;
  sendUserControl(event: { kind: 'StreamBegin' | 'StreamIsRecorded'; streamId: number }): boolean;
}

/**
 * Reads play's start by sign (fact sheet §4.4): -2 and anything at or below -2000 is "live, else
 * recorded" (-2); other negatives are "live only" (-1); the rest is an offset in milliseconds.
 */
export function normalizePlayStart(value: AmfValue): number {
  if (typeof value !== 'number' || Number.isNaN(value)) return -2;
  if (value === -2 || value <= -2000) return -2;
  if (value < 0) return -1;
  return value;
}

/** play's duration: negative means "to the end" (-1), else milliseconds. */
export function normalizePlayDuration(value: AmfValue): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0) return -1;
  return value;
}

/** Runs an answer in the background; a failure there (the session closed meanwhile) has nowhere to go. */
function background(work: Promise<void>): void {
  work.catch(() => {});
}

/**
 * Publish and play answers are awaited only when the handler returned a promise: a synchronous
 * handler's Start status goes out at once, before any media the application sends next.
 */
function isThenable<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | undefined)?.then === 'function';
}

function asPublishType(value: AmfValue): PublishType {
  return value === 'record' || value === 'append' ? value : 'live';
}

/** The status code and description a refusal becomes. */
function refusal(error: unknown, fallbackCode: string): { code: string; description: string } {
  const statusCode = (error as { statusCode?: unknown } | undefined)?.statusCode;
  if (typeof statusCode === 'string') {
    const description = (error as { description?: unknown }).description;
    return { code: statusCode, description: typeof description === 'string' ? description : (error as Error).message };
  }
  // Messages of the application's own errors are its business; RtmpErrors are safe to pass on.
  const description = RtmpError.isInstance(error) || error instanceof Error ? (error as Error).message : 'refused';
  return { code: fallbackCode, description };
}

/**
 * The server's answers to stream commands (fact sheet §4.2-4.5): createStream, deleteStream,
 * closeStream, publish, play, play2, pause, seek, receiveAudio/receiveVideo, and the Adobe
 * left-overs FFmpeg and OBS send (releaseStream, FCPublish, FCUnpublish, FCSubscribe,
 * getStreamLength, _checkbw). Publish and play go to the application's handlers.
 */
export class ServerStreamCommands {
  constructor(private readonly host: StreamCommandHost) {}

  /** The commands the session owns; true when handled. */
  handle(command: RtmpCommand, message: RtmpMessage): boolean {
    const { name, transactionId, args } = command;
    const streamId = message.streamId;
    switch (name) {
      case 'connect':
        this.host.replyError(transactionId, streamId, statusInfo('error', StatusCode.CallFailed, 'Already connected.'));
        return true;
      case 'createStream': {
        let stream: RtmpNetStream;
        try {
          stream = this.host.openStream();
        } catch (error) {
          this.host.replyError(transactionId, streamId, statusInfo('error', StatusCode.CallFailed, (error as Error).message));
          return true;
        }
        this.host.reply(transactionId, streamId, [stream.id]);
        return true;
      }
      case 'deleteStream': {
        const id = typeof args[0] === 'number' ? args[0] : streamId;
        this.host.stream(id)?.gone(undefined);
        return true;
      }
      case 'closeStream':
        this.closeStream(streamId);
        return true;
      case 'publish':
        background(this.publish(streamId, args));
        return true;
      case 'play':
        background(this.play(streamId, args));
        return true;
      case 'play2':
        background(this.play2(streamId, args));
        return true;
      case 'pause':
        background(this.pause(streamId, args));
        return true;
      case 'seek':
        background(this.seek(transactionId, streamId, args));
        return true;
      case 'receiveAudio':
      case 'receiveVideo': {
        const stream = this.host.stream(streamId);
        if (stream) {
          if (name === 'receiveAudio') stream.audioEnabled = args[0] !== false;
          else stream.videoEnabled = args[0] !== false;
        }
        return true;
      }
      default:
        return false;
    }
  }

  /** The answers an application may replace with `handle()`; true when handled. */
  handleBuiltin(command: RtmpCommand, message: RtmpMessage): boolean {
    const { name, transactionId, args } = command;
    const streamId = message.streamId;
    const streamName = typeof args[0] === 'string' ? args[0] : '';
    switch (name) {
      case 'releaseStream':
      case '_checkbw':
        this.host.reply(transactionId, streamId, []);
        return true;
      case 'FCPublish':
        this.host.reply(transactionId, streamId, []);
        this.host.sendCommand('onFCPublish', 0, null, [statusInfo('status', StatusCode.PublishStart, streamName)], streamId);
        return true;
      case 'FCUnpublish':
        this.host.reply(transactionId, streamId, []);
        this.host.sendCommand('onFCUnpublish', 0, null, [statusInfo('status', StatusCode.UnpublishSuccess, streamName)], streamId);
        return true;
      case 'FCSubscribe':
        this.host.reply(transactionId, streamId, []);
        this.host.sendCommand('onFCSubscribe', 0, null, [statusInfo('status', StatusCode.PlayStart, streamName)], streamId);
        return true;
      case 'getStreamLength':
        background(this.streamLength(transactionId, streamId, streamName));
        return true;
      default:
        return false;
    }
  }

  private closeStream(streamId: number): void {
    const stream = this.host.stream(streamId);
    if (!stream || stream.mode === 'idle') return;
    const { mode, name } = stream;
    stream.stop(undefined);
    if (mode === 'publishing') {
      this.host.sendStatusOn(streamId, statusInfo('status', StatusCode.UnpublishSuccess, `${name} is now unpublished.`, { details: name ?? '' }));
    }
  }

  /** The stream a publish/play/... arrived on, or an error status when there is none or it is busy. */
  private usableStream(streamId: number, failCode: string): RtmpNetStream | undefined {
    const stream = this.host.stream(streamId);
    if (!stream) {
      this.host.sendStatusOn(streamId, statusInfo('error', failCode, `Stream ${streamId} was not created.`));
      return undefined;
    }
    if (stream.mode !== 'idle') {
      this.host.sendStatusOn(streamId, statusInfo('error', failCode, `Stream ${streamId} is already ${stream.mode}.`));
      return undefined;
    }
    return stream;
  }

  private async publish(streamId: number, args: AmfValue[]): Promise<void> {
    const stream = this.usableStream(streamId, StatusCode.PublishBadName);
    if (!stream) return;
    const name = typeof args[0] === 'string' ? args[0] : '';
    const type = asPublishType(args[1]);
    const handlers = this.host.handlersForStreams;
    const handler = handlers.publish;
    stream.begin('publishing', name);
    try {
      if (!handler) throw Object.assign(new Error('Publishing is not allowed here.'), { statusCode: StatusCode.PublishDenied });
      const answer = handler.call(handlers, { stream, name, type });
      if (isThenable(answer)) await answer;
    } catch (error) {
      if (stream.isGone || this.host.state !== 'connected') return;
      stream.stop(undefined, false);
      const { code, description } = refusal(error, StatusCode.PublishBadName);
      this.host.sendStatusOn(streamId, statusInfo('error', code, description, { details: name }));
      return;
    }
    if (stream.isGone || stream.mode !== 'publishing' || this.host.state !== 'connected') return;
    this.host.sendUserControl({ kind: 'StreamBegin', streamId });
    this.host.sendStatusOn(streamId, statusInfo('status', StatusCode.PublishStart, `${name} is now published.`, { details: name }));
  }

  private async play(streamId: number, args: AmfValue[]): Promise<void> {
    const stream = this.usableStream(streamId, StatusCode.PlayFailed);
    if (!stream) return;
    const name = typeof args[0] === 'string' ? args[0] : '';
    const rawStart = typeof args[1] === 'number' ? args[1] : -2;
    const start = normalizePlayStart(args[1]);
    const duration = normalizePlayDuration(args[2]);
    const reset = args[3] === true || (typeof args[3] === 'number' && args[3] !== 0);
    const handlers = this.host.handlersForStreams;
    const handler = handlers.play;
    stream.begin('playing', name);
    let accepted: void | PlayAccept;
    try {
      if (!handler) throw Object.assign(new Error(`${name} is not available.`), { statusCode: StatusCode.PlayStreamNotFound });
      const answer = handler.call(handlers, { stream, name, start, duration, reset, rawStart });
      accepted = isThenable(answer) ? await answer : answer;
    } catch (error) {
      if (stream.isGone || this.host.state !== 'connected') return;
      stream.stop(undefined, false);
      const { code, description } = refusal(error, StatusCode.PlayStreamNotFound);
      this.host.sendStatusOn(streamId, statusInfo('error', code, description, { details: name }));
      return;
    }
    if (stream.isGone || stream.mode !== 'playing' || this.host.state !== 'connected') return;
    if (accepted?.recorded) this.host.sendUserControl({ kind: 'StreamIsRecorded', streamId });
    this.host.sendUserControl({ kind: 'StreamBegin', streamId });
    if (reset) {
      this.host.sendStatusOn(streamId, statusInfo('status', StatusCode.PlayReset, `Playing and resetting ${name}.`, { details: name }));
    }
    this.host.sendStatusOn(streamId, statusInfo('status', StatusCode.PlayStart, `Started playing ${name}.`, { details: name }));
    this.host.sendDataMessage(streamId, '|RtmpSampleAccess', [true, true], 0);
  }

  private async play2(streamId: number, args: AmfValue[]): Promise<void> {
    const stream = this.host.stream(streamId);
    const options = (typeof args[0] === 'object' && args[0] !== null ? args[0] : {}) as AmfObject;
    const handlers = this.host.handlersForStreams;
    const handler = handlers.play2;
    const streamName = typeof options.streamName === 'string' ? options.streamName : '';
    try {
      if (!stream || !handler) throw new Error('play2 is not supported here.');
      await handler.call(handlers, { stream, options });
    } catch (error) {
      if (this.host.state !== 'connected') return;
      const { code, description } = refusal(error, StatusCode.PlayFailed);
      this.host.sendStatusOn(streamId, statusInfo('error', code, description, { details: streamName }));
      return;
    }
    if (this.host.state !== 'connected') return;
    this.host.sendStatusOn(streamId, statusInfo('status', StatusCode.PlayTransition, `Transition to ${streamName}.`, { details: streamName }));
  }

  private async pause(streamId: number, args: AmfValue[]): Promise<void> {
    const stream = this.host.stream(streamId);
    if (!stream) return;
    const paused = args[0] !== false;
    const positionMs = typeof args[1] === 'number' ? args[1] : 0;
    try {
      await this.host.handlersForStreams.pause?.({ stream, paused, positionMs });
    } catch (error) {
      if (this.host.state !== 'connected') return;
      const { code, description } = refusal(error, StatusCode.PauseFailed);
      this.host.sendStatusOn(streamId, statusInfo('error', code, description, { details: stream.name ?? '' }));
      return;
    }
    if (this.host.state !== 'connected') return;
    stream.paused = paused;
    const code = paused ? StatusCode.PauseNotify : StatusCode.UnpauseNotify;
    this.host.sendStatusOn(streamId, statusInfo('status', code, paused ? 'Paused.' : 'Unpaused.', { details: stream.name ?? '' }));
  }

  private async seek(transactionId: number, streamId: number, args: AmfValue[]): Promise<void> {
    const stream = this.host.stream(streamId);
    const positionMs = typeof args[0] === 'number' ? args[0] : 0;
    try {
      if (!stream) throw new Error(`Stream ${streamId} was not created.`);
      await this.host.handlersForStreams.seek?.({ stream, positionMs });
    } catch (error) {
      if (this.host.state !== 'connected') return;
      const { code, description } = refusal(error, StatusCode.SeekFailed);
      const info = statusInfo('error', code, description);
      if (transactionId !== 0) this.host.replyError(transactionId, streamId, info);
      else this.host.sendStatusOn(streamId, info);
      return;
    }
    if (this.host.state !== 'connected') return;
    this.host.sendStatusOn(streamId, statusInfo('status', StatusCode.SeekNotify, `Seeking ${positionMs}.`, { details: stream.name ?? '' }));
  }

  private async streamLength(transactionId: number, streamId: number, name: string): Promise<void> {
    try {
      const seconds = (await this.host.handlersForStreams.getStreamLength?.(name)) ?? 0;
      if (this.host.state === 'connected') this.host.reply(transactionId, streamId, [seconds]);
    } catch (error) {
      if (this.host.state !== 'connected') return;
      const { code, description } = refusal(error, StatusCode.CallFailed);
      this.host.replyError(transactionId, streamId, statusInfo('error', code, description));
    }
  }
}
