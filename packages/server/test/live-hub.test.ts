import { StreamRejectedError, type RtmpMessage } from '@rtmpkit/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LiveHub, type LiveMessage, type MediaSink, type PublishedEvent } from '../src/index.js';
import { audioFrame, audioHeader, metadataMessage, videoFrame, videoHeader, type Frame } from './helpers/synthetic.js';

/** A sink that writes down everything it is told. */
class RecordingSink implements MediaSink {
  readonly kind = 'test';
  readonly log: string[] = [];
  readonly messages: LiveMessage[] = [];
  closedWith: string | undefined;
  write(message: LiveMessage): void {
    this.messages.push(message);
    this.log.push(`${message.type}@${message.timestamp}${message.header ? 'h' : message.keyframe ? 'k' : ''}`);
  }
  published(event: PublishedEvent): void {
    this.log.push(`published${event.takeover ? ' (takeover)' : ''}`);
  }
  unpublished(): void {
    this.log.push('unpublished');
  }
  close(reason: string): void {
    this.closedWith = reason;
  }
}

const publisher = { sessionId: 's1', remote: '127.0.0.1:1', scheme: 'rtmp' };
const owner = () => ({ evicted: vi.fn() });
const push = (publication: { push(message: RtmpMessage): void }, ...frames: Frame[]) => {
  for (const frame of frames) publication.push({ ...frame, streamId: 1 });
};

afterEach(() => {
  vi.useRealTimers();
});

describe('LiveHub', () => {
  it('refuses a second publisher with NetStream.Publish.BadName', () => {
    const hub = new LiveHub();
    hub.publish('live', 'a', publisher, owner());
    const attempt = () => hub.publish('live', 'a', publisher, owner());
    expect(attempt).toThrow(StreamRejectedError);
    expect(attempt).toThrow(/NetStream.Publish.BadName/);
    expect(() => hub.publish('other', 'a', publisher, owner())).not.toThrow();
  });

  it('with takeover, evicts the first publisher and keeps the sinks, which hear of the new one', () => {
    const hub = new LiveHub({ takeover: true });
    const first = owner();
    const one = hub.publish('live', 'a', publisher, first);
    const sink = new RecordingSink();
    hub.subscribe('live', 'a', sink);
    push(one, videoHeader(), videoFrame(0, true));
    const second = hub.publish('live', 'a', { ...publisher, sessionId: 's2' }, owner());
    expect(first.evicted).toHaveBeenCalledWith('takeover');
    expect(one.active).toBe(false);
    push(one, videoFrame(40, false)); // too late: ignored
    push(second, videoHeader(), videoFrame(0, true));
    expect(sink.log).toEqual(['9@0h', '9@0k', 'published (takeover)', '9@0h', '9@0k']);
    expect(hub.get('live', 'a')!.info().publisher?.sessionId).toBe('s2');
  });

  it('gives a late sink metadata, headers, then the GOP from its keyframe, then live', () => {
    const hub = new LiveHub();
    const publication = hub.publish('live', 'a', publisher, owner());
    push(publication, metadataMessage({ width: 320 }), videoHeader(), audioHeader(), videoFrame(0, true), audioFrame(10), videoFrame(40, false));
    push(publication, videoFrame(80, true), audioFrame(90), videoFrame(120, false));
    const sink = new RecordingSink();
    hub.subscribe('live', 'a', sink);
    push(publication, videoFrame(160, false));
    // Metadata and headers carry the GOP's first timestamp at most.
    expect(sink.log).toEqual(['18@0h', '9@0h', '8@0h', '9@80k', '8@90', '9@120', '9@160']);
    const noGop = new RecordingSink();
    hub.subscribe('live', 'a', noGop, { gop: false });
    expect(noGop.log).toEqual(['18@0h', '9@0h', '8@0h']);
  });

  it('fans out one message object, with one shared encoding map, to every sink', () => {
    const hub = new LiveHub();
    const publication = hub.publish('live', 'a', publisher, owner());
    const sinks = [new RecordingSink(), new RecordingSink(), new RecordingSink()];
    for (const sink of sinks) hub.subscribe('live', 'a', sink);
    push(publication, videoFrame(0, true));
    const [first] = sinks[0]!.messages;
    for (const sink of sinks) {
      expect(sink.messages).toHaveLength(1);
      expect(sink.messages[0]).toBe(first);
      expect(sink.messages[0]!.shared).toBe(first!.shared);
    }
  });

  it('tells waiting sinks when a publisher comes, goes, and comes back; forgets old headers', () => {
    const hub = new LiveHub();
    const sink = new RecordingSink();
    hub.subscribe('live', 'a', sink);
    expect(hub.isLive('live', 'a')).toBe(false);
    const one = hub.publish('live', 'a', publisher, owner());
    push(one, videoHeader(), videoFrame(0, true));
    one.end();
    expect(hub.get('live', 'a')).toBeDefined(); // the sink keeps it
    const late = new RecordingSink();
    hub.subscribe('live', 'a', late);
    expect(late.log).toEqual([]); // nothing stale
    const two = hub.publish('live', 'a', publisher, owner());
    push(two, videoHeader(5), videoFrame(5, true));
    expect(sink.log).toEqual(['published', '9@0h', '9@0k', 'unpublished', 'published', '9@5h', '9@5k']);
  });

  it('forgets a stream when neither publisher nor sinks are left', () => {
    const hub = new LiveHub();
    const publication = hub.publish('live', 'a', publisher, owner());
    const subscription = hub.subscribe('live', 'a', new RecordingSink());
    publication.end();
    expect(hub.size).toBe(1);
    subscription.unsubscribe();
    expect(hub.size).toBe(0);
  });

  it('evicts a publisher that sends no media for idlePublisherTimeoutMs', () => {
    vi.useFakeTimers();
    const unpublished = vi.fn();
    const hub = new LiveHub({ idlePublisherTimeoutMs: 1000 }, { unpublished });
    const idle = owner();
    const publication = hub.publish('live', 'a', publisher, idle);
    const sink = new RecordingSink();
    hub.subscribe('live', 'a', sink);
    vi.advanceTimersByTime(600);
    push(publication, videoFrame(0, true));
    vi.advanceTimersByTime(600);
    expect(idle.evicted).not.toHaveBeenCalled(); // media 600 ms ago
    push(publication, metadataMessage({})); // data does not count as media
    vi.advanceTimersByTime(500);
    expect(idle.evicted).toHaveBeenCalledWith('idle');
    expect(unpublished).toHaveBeenCalledWith(expect.objectContaining({ reason: 'idle', name: 'a' }));
    expect(sink.log.at(-1)).toBe('unpublished');
    expect(hub.isLive('live', 'a')).toBe(false);
  });

  it('removes and closes a sink that throws, and the others go on', () => {
    const sinkFailed = vi.fn();
    const hub = new LiveHub({}, { sinkFailed });
    const publication = hub.publish('live', 'a', publisher, owner());
    const bad = new RecordingSink();
    bad.write = () => {
      throw new Error('boom');
    };
    const good = new RecordingSink();
    hub.subscribe('live', 'a', bad);
    hub.subscribe('live', 'a', good);
    push(publication, videoFrame(0, true), videoFrame(40, false));
    expect(good.log).toEqual(['9@0k', '9@40']);
    expect(bad.closedWith).toBe('the sink failed');
    expect(sinkFailed).toHaveBeenCalledTimes(1);
    expect(hub.get('live', 'a')!.sinkCount).toBe(1);
  });

  it('keeps its limits: sinks per stream, streams', () => {
    const hub = new LiveHub({ maxSinksPerStream: 1, maxStreams: 1 });
    hub.subscribe('live', 'a', new RecordingSink());
    expect(() => hub.subscribe('live', 'a', new RecordingSink())).toThrow(/maxSinksPerStream/);
    expect(() => hub.publish('live', 'b', publisher, owner())).toThrow(/maxStreams/);
  });

  it('reports codecs, size and bitrate of a live stream', () => {
    const hub = new LiveHub();
    const publication = hub.publish('live', 'a', publisher, owner());
    push(publication, metadataMessage({ width: 320, height: 240, framerate: 25 }), videoHeader(), audioHeader(), videoFrame(0, true, 1000));
    const info = hub.list()[0]!;
    expect(info).toMatchObject({
      app: 'live',
      name: 'a',
      live: true,
      publisher,
      video: { codec: 'h264', width: 320, height: 240, frameRate: 25 },
      audio: { codec: 'aac', sampleRate: 44100, channels: 2 },
      gop: { messages: 1 },
    });
    expect(info.bitrate).toBeGreaterThan(0);
    expect(info.bytesIn).toBeGreaterThan(1000);
  });

  it('close evicts publishers and closes sinks, and refuses newcomers', async () => {
    const hub = new LiveHub();
    const evicting = owner();
    hub.publish('live', 'a', publisher, evicting);
    const sink = new RecordingSink();
    hub.subscribe('live', 'a', sink);
    await hub.close('bye');
    expect(evicting.evicted).toHaveBeenCalledWith('shutdown');
    expect(sink.closedWith).toBe('bye');
    expect(sink.log).not.toContain('unpublished');
    expect(() => hub.publish('live', 'b', publisher, owner())).toThrow(StreamRejectedError);
  });
});
