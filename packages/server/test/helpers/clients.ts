import { setTimeout as sleep } from 'node:timers/promises';
import type { NetStream, PlayOptions, Session, StatusInfo } from '@rtmpkit/core';
import { rtmp } from '@rtmpkit/rtmp';
import type { Frame } from './synthetic.js';
import { until } from './test-server.js';

export interface Publisher {
  session: Session;
  stream: NetStream;
  statuses: StatusInfo[];
  /** NetConnection-level statuses (stream 0). */
  connectionStatuses: StatusInfo[];
}

/** Connects to `appUrl` and publishes `name` with our own client. */
export async function publish(appUrl: string, name: string): Promise<Publisher> {
  const session = await rtmp().connect(appUrl);
  const connectionStatuses: StatusInfo[] = [];
  session.onStatus((info) => connectionStatuses.push(info));
  try {
    const stream = await session.createStream();
    const statuses: StatusInfo[] = [];
    stream.onStatus((info) => statuses.push(info));
    await stream.publish(name);
    return { session, stream, statuses, connectionStatuses };
  } catch (error) {
    await session.close().catch(() => {});
    throw error;
  }
}

/** Sends frames, paced at `speed` × real time (Infinity: as fast as the socket takes them). */
export async function sendFrames(stream: NetStream, frames: Frame[], speed = 1): Promise<void> {
  const start = Date.now();
  const first = frames[0]?.timestamp ?? 0;
  for (const frame of frames) {
    if (Number.isFinite(speed)) {
      const due = (frame.timestamp - first) / speed - (Date.now() - start);
      if (due > 0) await sleep(due);
    }
    if (frame.type === 18 && frame.payload.toString('latin1', 3, 13) === 'onMetaData') {
      // As a publisher sends it: wrapped in @setDataFrame (the server unwraps it).
      await stream.send({ ...frame, payload: Buffer.concat([Buffer.from([0x02, 0x00, 0x0d]), Buffer.from('@setDataFrame', 'latin1'), frame.payload]) });
    } else {
      await stream.send(frame);
    }
  }
}

export interface Received extends Frame {
  /** When it arrived (ms since epoch). */
  at: number;
}

export interface Player {
  session: Session;
  stream: NetStream;
  /** Media and data, in arrival order (payloads copied), except the session's `|RtmpSampleAccess`. */
  messages: Received[];
  /** `|RtmpSampleAccess` arrived (the server session sends it after Play.Start). */
  sampleAccess: boolean;
  /** onStatus events on the stream, with the number of messages received before each. */
  statuses: Array<StatusInfo & { after: number }>;
  connectionStatuses: StatusInfo[];
  /** When `play()` resolved. */
  startedAt: number;
  /** Settles when the media iterator ended. */
  done: Promise<void>;
  video(): Received[];
  waitFor(check: (player: Player) => boolean, what: string, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** Connects and plays `name`, collecting what arrives. */
export async function play(appUrl: string, name: string, options: PlayOptions = {}): Promise<Player> {
  const session = await rtmp().connect(appUrl);
  const connectionStatuses: StatusInfo[] = [];
  session.onStatus((info) => connectionStatuses.push(info));
  const stream = await session.createStream();
  const messages: Received[] = [];
  const statuses: Player['statuses'] = [];
  stream.onStatus((info) => statuses.push({ ...info, after: messages.length }));
  try {
    await stream.play(name, options);
  } catch (error) {
    await session.close().catch(() => {});
    throw error;
  }
  const startedAt = Date.now();
  const flags = { sampleAccess: false };
  const done = (async () => {
    try {
      for await (const message of stream) {
        if (message.type === 18 && message.payload.toString('latin1', 3, 20) === '|RtmpSampleAccess') {
          flags.sampleAccess = true;
          continue;
        }
        messages.push({ type: message.type, timestamp: message.timestamp, payload: Buffer.from(message.payload), at: Date.now() });
      }
    } catch {
      // the session closed: the test looks at what arrived
    }
  })();
  const player: Player = {
    session,
    stream,
    messages,
    statuses,
    connectionStatuses,
    startedAt,
    get sampleAccess() {
      return flags.sampleAccess;
    },
    done,
    video: () => messages.filter((message) => message.type === 9),
    waitFor: (check, what, timeoutMs) => until(() => check(player), what, timeoutMs),
    close: async () => {
      await session.close().catch(() => {});
      await done;
    },
  };
  return player;
}
