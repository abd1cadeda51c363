import { statusInfo, type AmfValue, type NetStream } from '@rtmpkit/core';

/** The session's User Control sender, when the session offers one (the core RTMP sessions do). */
type UserControlSender = (event: { kind: 'StreamEof'; streamId: number }) => boolean;

/**
 * Sends User Control StreamEOF for `stream` without ending the play (so the player may still
 * seek). The `Session` interface has no such call; the core RTMP sessions have
 * `sendUserControl`, which is used when present. False when it could not be sent.
 */
export function sendStreamEof(stream: NetStream): boolean {
  const session = stream.session as unknown as { sendUserControl?: UserControlSender };
  if (typeof session.sendUserControl !== 'function') return false;
  try {
    return session.sendUserControl({ kind: 'StreamEof', streamId: stream.id });
  } catch {
    return false; // the session closed meanwhile
  }
}

/** Sends an `onPlayStatus` data message (`NetStream.Play.Complete`, `NetStream.Play.TransitionComplete`). */
export function sendPlayStatus(stream: NetStream, code: string, extra: Record<string, AmfValue>, timestamp: number): Promise<void> {
  return stream.sendData('onPlayStatus', [{ level: 'status', code, ...extra }], timestamp);
}

/**
 * The end of a recorded stream, as FMS and nginx-rtmp tell it (fact sheet §4.4): StreamEOF,
 * `onPlayStatus` `NetStream.Play.Complete` (with the duration in seconds and the bytes sent),
 * then `onStatus` `NetStream.Play.Stop`. The play itself stays open: the player may seek back,
 * or close the stream (FFmpeg, rtmpdump and our client stop on Play.Stop).
 */
export async function sendPlayComplete(stream: NetStream, details: { name: string; durationSeconds: number; bytes: number; timestamp: number }): Promise<void> {
  sendStreamEof(stream);
  await sendPlayStatus(stream, 'NetStream.Play.Complete', { duration: details.durationSeconds, bytes: details.bytes }, details.timestamp);
  await stream.sendStatus(statusInfo('status', 'NetStream.Play.Stop', `Stopped playing ${details.name}.`, { details: details.name }));
}
