/**
 * Real RTMP traffic (see test/fixtures/captures/README.md), decoded above the chunk layer: the
 * commands, data messages, control messages and FLV tag bodies that ffmpeg, rtmpdump and
 * nginx-rtmp really send. The expected values were read off the captured bytes by hand.
 */
import { describe, expect, it } from 'vitest';
import { ecmaArray, isEcmaArray, type AmfObject } from '../src/amf/index.js';
import { ChunkDecoder } from '../src/chunk/index.js';
import {
  AacPacketType,
  AvcPacketType,
  MessageType,
  SoundFormat,
  VideoCodecId,
  VideoFrameType,
  decodeCommand,
  decodeData,
  decodeSetChunkSize,
  decodeSetPeerBandwidth,
  decodeUserControl,
  decodeWindowAcknowledgementSize,
  isCommandMessage,
  parseAudioTag,
  parseVideoTag,
  peerBandwidthLimitKind,
  stripSetDataFrame,
  type RtmpCommand,
  type RtmpMessage,
} from '../src/message/index.js';
import { CAPTURES, loadCapture, type CaptureName } from './fixtures/captures/captures.js';

/** Every message of a capture, through our chunk decoder (payloads copied). */
function messagesOf(name: CaptureName): RtmpMessage[] {
  const decoder = new ChunkDecoder();
  const out: RtmpMessage[] = [];
  decoder.push(loadCapture(name).bytes, (m) => out.push({ ...m, payload: Buffer.from(m.payload) }));
  return out;
}

type Located = RtmpCommand & { streamId: number; timestamp: number };

function commandsOf(name: CaptureName): Located[] {
  return messagesOf(name)
    .filter(isCommandMessage)
    .map((m) => ({ ...decodeCommand(m), streamId: m.streamId, timestamp: m.timestamp }));
}

function commandNamed(commands: Located[], name: string): Located {
  const found = commands.filter((c) => c.name === name);
  expect(found, `one "${name}"`).toHaveLength(1);
  return found[0]!;
}

function ofType(name: CaptureName, type: number): RtmpMessage[] {
  return messagesOf(name).filter((m) => m.type === type);
}

/** `onStatus` info objects in order: [stream id, level, code, description]. */
function statuses(commands: Located[]): [number, unknown, unknown, unknown][] {
  return commands
    .filter((c) => c.name === 'onStatus')
    .map((c) => {
      expect(c.transactionId).toBe(0);
      expect(c.commandObject).toBeNull();
      const info = c.args[0] as AmfObject;
      return [c.streamId, info.level, info.code, info.description];
    });
}

describe('every captured message decodes', () => {
  it.each(CAPTURES)('%s: commands, data, audio and video parse without error', (name) => {
    const messages = messagesOf(name);
    const kinds = new Set<number>();
    for (const m of messages) {
      kinds.add(m.type);
      if (m.type === MessageType.CommandAmf0) expect(typeof decodeCommand(m).name).toBe('string');
      else if (m.type === MessageType.DataAmf0) expect(typeof decodeData(m).name).toBe('string');
      else if (m.type === MessageType.Video) expect(parseVideoTag(m.payload).codec).toBe(VideoCodecId.Avc);
      else if (m.type === MessageType.Audio) expect(parseAudioTag(m.payload).soundFormat).toBe(SoundFormat.Aac);
      else expect([1, 4, 5, 6]).toContain(m.type);
    }
    expect(kinds.has(MessageType.CommandAmf0)).toBe(true);
  });
});

describe('client commands', () => {
  it('ffmpeg publishing: connect … publish, transaction ids counting up from 1', () => {
    const commands = commandsOf('ffmpeg-publish.c2s');
    expect(commands.map((c) => [c.name, c.transactionId, c.streamId])).toEqual([
      ['connect', 1, 0],
      ['releaseStream', 2, 0],
      ['FCPublish', 3, 0],
      ['createStream', 4, 0],
      ['publish', 5, 1],
    ]);
    const connect = commandNamed(commands, 'connect');
    expect(connect.commandObject).toEqual({
      app: 'live',
      type: 'nonprivate',
      flashVer: 'FMLE/3.0 (compatible; Lavf59.27.100)',
      tcUrl: 'rtmp://127.0.0.1:41940/live',
    });
    expect(Object.keys(connect.commandObject as object)).toEqual(['app', 'type', 'flashVer', 'tcUrl']);
    expect(connect.args).toEqual([]);
    for (const name of ['releaseStream', 'FCPublish']) {
      const c = commandNamed(commands, name);
      expect([c.commandObject, c.args]).toEqual([null, ['cap']]);
    }
    expect(commandNamed(commands, 'createStream').args).toEqual([]);
    const publish = commandNamed(commands, 'publish');
    expect([publish.commandObject, publish.args]).toEqual([null, ['cap', 'live']]);
  });

  it('ffmpeg playing: player fields in connect, getStreamLength, play with start -2000', () => {
    const commands = commandsOf('ffmpeg-play.c2s');
    expect(commands.map((c) => [c.name, c.transactionId, c.streamId])).toEqual([
      ['connect', 1, 0],
      ['createStream', 2, 0],
      ['getStreamLength', 3, 0],
      ['play', 4, 1],
      ['deleteStream', 5, 0],
    ]);
    expect(commandNamed(commands, 'connect').commandObject).toEqual({
      app: 'live',
      flashVer: 'LNX 9,0,124,2',
      tcUrl: 'rtmp://127.0.0.1:41941/live',
      fpad: false,
      capabilities: 15,
      audioCodecs: 4071,
      videoCodecs: 252,
      videoFunction: 1,
    });
    expect(commandNamed(commands, 'getStreamLength').args).toEqual(['cap']);
    // live * 1000: FFmpeg's "-2 = live or recorded" in milliseconds
    expect(commandNamed(commands, 'play').args).toEqual(['cap', -2000]);
    expect(commandNamed(commands, 'deleteStream').args).toEqual([1]);
  });

  it('rtmpdump playing: FCSubscribe, then play with start -1000', () => {
    const commands = commandsOf('rtmpdump-play.c2s');
    expect(commands.map((c) => [c.name, c.transactionId, c.streamId])).toEqual([
      ['connect', 1, 0],
      ['createStream', 2, 0],
      ['FCSubscribe', 3, 0],
      ['play', 4, 1],
      ['deleteStream', 5, 0],
    ]);
    expect(commandNamed(commands, 'connect').commandObject).toEqual({
      app: 'live',
      flashVer: 'LNX 10,0,32,18',
      tcUrl: 'rtmp://127.0.0.1:41942/live',
      fpad: false,
      capabilities: 15,
      audioCodecs: 3191,
      videoCodecs: 252,
      videoFunction: 1,
    });
    expect(commandNamed(commands, 'FCSubscribe').args).toEqual(['cap']);
    expect(commandNamed(commands, 'play').args).toEqual(['cap', -1000]);
  });

  it('players answer nginx with Window Ack Size 5000000 and set a buffer length', () => {
    for (const name of ['ffmpeg-play.c2s', 'rtmpdump-play.c2s'] as const) {
      expect(ofType(name, MessageType.WindowAcknowledgementSize).map(decodeWindowAcknowledgementSize)).toEqual([5_000_000]);
    }
    const ffmpeg = ofType('ffmpeg-play.c2s', MessageType.UserControl);
    expect(ffmpeg.map(decodeUserControl)).toEqual([{ kind: 'SetBufferLength', streamId: 1, bufferLength: 3000 }]);
    expect(ffmpeg.map((m) => m.timestamp)).toEqual([1]); // FFmpeg stamps it 1
    // librtmp: 300 ms for stream 0 before createStream, then 10 hours for the played stream
    // (the second one arrives as a fmt 3 chunk that starts a new message)
    expect(ofType('rtmpdump-play.c2s', MessageType.UserControl).map(decodeUserControl)).toEqual([
      { kind: 'SetBufferLength', streamId: 0, bufferLength: 300 },
      { kind: 'SetBufferLength', streamId: 1, bufferLength: 36_000_000 },
    ]);
  });

  it('ffmpeg publishing sets its chunk size to 4096 and sends no Window Ack Size', () => {
    expect(ofType('ffmpeg-publish.c2s', MessageType.SetChunkSize).map(decodeSetChunkSize)).toEqual([4096]);
    expect(ofType('ffmpeg-publish.c2s', MessageType.WindowAcknowledgementSize)).toEqual([]);
  });
});

describe('nginx-rtmp replies', () => {
  const serverSides = ['ffmpeg-publish.s2c', 'ffmpeg-play.s2c', 'rtmpdump-play.s2c'] as const;

  it.each(serverSides)('%s: Window Ack Size, Set Peer Bandwidth (dynamic), Set Chunk Size 4096 first', (name) => {
    const [ack, bandwidth, chunkSize] = messagesOf(name);
    expect([ack!.type, bandwidth!.type, chunkSize!.type]).toEqual([5, 6, 1]);
    expect(decodeWindowAcknowledgementSize(ack!)).toBe(5_000_000);
    const peer = decodeSetPeerBandwidth(bandwidth!);
    expect(peer).toEqual({ windowSize: 5_000_000, limitType: 2 });
    // 2 means "dynamic" in both readings (nginx swaps only 0 and 1)
    expect(peerBandwidthLimitKind(peer.limitType, 'nginx')).toBe('dynamic');
    expect(peerBandwidthLimitKind(peer.limitType, 'spec')).toBe('dynamic');
    expect(decodeSetChunkSize(chunkSize!)).toBe(4096);
  });

  it.each(serverSides)('%s: connect _result with fmsVer/capabilities and NetConnection.Connect.Success', (name) => {
    const commands = commandsOf(name);
    const results = commands.filter((c) => c.name === '_result');
    const connect = results.find((c) => c.transactionId === 1)!;
    expect(connect.streamId).toBe(0);
    expect(connect.commandObject).toEqual({ fmsVer: 'FMS/3,0,1,123', capabilities: 31 });
    expect(connect.args).toEqual([
      { level: 'status', code: 'NetConnection.Connect.Success', description: 'Connection succeeded.', objectEncoding: 0 },
    ]);
    // createStream's _result: always stream 1
    const created = results.filter((c) => c !== connect);
    expect(created).toHaveLength(1);
    expect([created[0]!.commandObject, created[0]!.args]).toEqual([null, [1]]);
  });

  it('answers only connect (1) and createStream (4) of the publisher: nothing for releaseStream or FCPublish', () => {
    const commands = commandsOf('ffmpeg-publish.s2c');
    expect(commands.filter((c) => c.transactionId !== 0).map((c) => [c.name, c.transactionId])).toEqual([
      ['_result', 1],
      ['_result', 4],
    ]);
    expect(commands.some((c) => c.name === 'onFCPublish')).toBe(false);
  });

  it('tells the publisher NetStream.Publish.Start, then NetStream.Unpublish.Success, with no StreamBegin', () => {
    expect(statuses(commandsOf('ffmpeg-publish.s2c'))).toEqual([
      [1, 'status', 'NetStream.Publish.Start', 'Start publishing'],
      [1, 'status', 'NetStream.Unpublish.Success', 'Stop publishing'],
    ]);
    expect(ofType('ffmpeg-publish.s2c', MessageType.UserControl)).toEqual([]);
  });

  it.each(['ffmpeg-play.s2c', 'rtmpdump-play.s2c'] as const)(
    '%s: StreamBegin(1), NetStream.Play.Start, |RtmpSampleAccess, onMetaData, then media',
    (name) => {
      const messages = messagesOf(name);
      expect(ofType(name, MessageType.UserControl).map(decodeUserControl)).toEqual([{ kind: 'StreamBegin', streamId: 1 }]);
      expect(statuses(commandsOf(name))).toEqual([[1, 'status', 'NetStream.Play.Start', 'Start live']]);
      const data = ofType(name, MessageType.DataAmf0).map((m) => decodeData(m));
      expect(data.map((d) => d.name)).toEqual(['|RtmpSampleAccess', 'onMetaData']);
      expect(data[0]!.values).toEqual([true, true]);
      const firstMedia = messages.findIndex((m) => m.type === MessageType.Audio || m.type === MessageType.Video);
      const lastData = messages.findLastIndex((m) => m.type === MessageType.DataAmf0);
      expect(lastData).toBeLessThan(firstMedia);
    },
  );
});

describe('stream metadata', () => {
  it('ffmpeg publishes @setDataFrame onMetaData as an ECMA array', () => {
    const [meta] = ofType('ffmpeg-publish.c2s', MessageType.DataAmf0).map((m) => decodeData(m));
    expect(meta!.name).toBe('@setDataFrame');
    const unwrapped = stripSetDataFrame(meta!);
    expect(unwrapped.name).toBe('onMetaData');
    expect(unwrapped.values).toHaveLength(1);
    const array = unwrapped.values[0] as AmfObject;
    expect(isEcmaArray(array)).toBe(true);
    expect(array).toEqual(
      ecmaArray({
        duration: 3,
        width: 320,
        height: 240,
        videodatarate: 0,
        framerate: 25,
        videocodecid: 7,
        audiodatarate: 62.5,
        audiosamplerate: 44100,
        audiosamplesize: 16,
        stereo: false,
        audiocodecid: 10,
        encoder: 'Lavf59.27.100',
        filesize: 0,
      }),
    );
    expect(Object.keys(array)).toHaveLength(13); // the count ffmpeg wrote in the array header
  });

  it.each(['ffmpeg-play.s2c', 'rtmpdump-play.s2c'] as const)(
    '%s: nginx re-sends it as a plain AMF0 object with its own fields',
    (name) => {
      const meta = ofType(name, MessageType.DataAmf0)
        .map((m) => decodeData(m))
        .find((d) => d.name === 'onMetaData')!;
      expect(meta.values).toHaveLength(1);
      const object = meta.values[0] as AmfObject;
      expect(isEcmaArray(object)).toBe(false);
      expect(object).toMatchObject({
        Server: 'NGINX RTMP (github.com/arut/nginx-rtmp-module)',
        width: 320,
        height: 240,
        displayWidth: 320,
        displayHeight: 240,
        framerate: 25,
        fps: 25,
        videocodecid: 7,
        audiocodecid: 10,
        duration: 12, // the background publisher's -t 12
      });
      // nginx writes its fixed-size profile/level buffers out whole
      expect(object.profile).toBe('\0'.repeat(32));
      expect(object.level).toBe('\0'.repeat(32));
    },
  );
});

describe('audio and video tags', () => {
  function videoKinds(name: CaptureName): [number, number | undefined, boolean, boolean][] {
    return ofType(name, MessageType.Video).map((m) => {
      const tag = parseVideoTag(m.payload);
      expect(tag.isExHeader).toBe(false);
      expect(tag.codec).toBe(VideoCodecId.Avc);
      return [tag.frameType, tag.packetType, tag.isSequenceHeader, tag.isKeyframe];
    });
  }

  const avcSequenceHeader = [VideoFrameType.KeyFrame, AvcPacketType.SequenceHeader, true, true];
  const keyframe = [VideoFrameType.KeyFrame, AvcPacketType.Nalu, false, true];
  const interFrame = [VideoFrameType.InterFrame, AvcPacketType.Nalu, false, false];

  it.each(['ffmpeg-publish.c2s', 'ffmpeg-play.s2c'] as const)('%s: AVC sequence header, then a keyframe, then an inter frame', (name) => {
    expect(videoKinds(name)).toEqual([avcSequenceHeader, keyframe, interFrame]);
  });

  it('rtmpdump-play.s2c: ends with the AVC sequence header', () => {
    expect(videoKinds('rtmpdump-play.s2c')).toEqual([avcSequenceHeader]);
  });

  it.each(['ffmpeg-publish.c2s', 'ffmpeg-play.s2c', 'rtmpdump-play.s2c'] as const)(
    '%s: the AVC sequence header holds a Constrained Baseline 1.3 avcC with 4-byte NALU lengths',
    (name) => {
      const tag = parseVideoTag(ofType(name, MessageType.Video)[0]!.payload);
      expect(tag.compositionTime).toBe(0);
      // configurationVersion 1, profile 66, constraint flags 0xc0, level 13, 0xff = lengthSizeMinusOne 3
      expect([...tag.body.subarray(0, 5)]).toEqual([1, 66, 0xc0, 13, 0xff]);
      expect(tag.body).toHaveLength(37);
    },
  );

  it('the keyframe body is length-prefixed NALUs: x264 SEI, then the IDR slice', () => {
    const [, key] = ofType('ffmpeg-publish.c2s', MessageType.Video);
    const body = parseVideoTag(key!.payload).body;
    const nalus: [number, number][] = [];
    for (let at = 0; at < body.length; ) {
      const length = body.readUInt32BE(at);
      nalus.push([body[at + 4]! & 0x1f, length]);
      at += 4 + length;
    }
    expect(nalus).toEqual([
      [6, 594],
      [5, 6082],
    ]);
  });

  it.each(['ffmpeg-publish.c2s', 'ffmpeg-play.s2c', 'rtmpdump-play.s2c'] as const)(
    '%s: an AAC sequence header first, then raw AAC frames',
    (name) => {
      const tags = ofType(name, MessageType.Audio).map((m) => parseAudioTag(m.payload));
      expect(tags.length).toBeGreaterThan(1);
      for (const tag of tags) {
        // 0xAF: AAC, "44 kHz", 16-bit, "stereo" (fixed values for AAC)
        expect([tag.soundFormat, tag.soundRate, tag.soundSize, tag.soundType, tag.isExHeader]).toEqual([
          SoundFormat.Aac, 3, 1, 1, false,
        ]);
      }
      expect([tags[0]!.packetType, tags[0]!.isSequenceHeader]).toEqual([AacPacketType.SequenceHeader, true]);
      // AudioSpecificConfig: AAC LC, 44100 Hz, mono, then FFmpeg's "no SBR" sync extension
      expect(tags[0]!.body.toString('hex')).toBe('120856e500');
      for (const tag of tags.slice(1)) expect([tag.packetType, tag.isSequenceHeader]).toEqual([AacPacketType.Raw, false]);
    },
  );

  it('nginx hands players the publisher timestamps, each chunk stream keeping its own', () => {
    const messages = messagesOf('ffmpeg-play.s2c');
    const media = messages.filter((m) => m.type === MessageType.Audio || m.type === MessageType.Video);
    expect(media[0]!.timestamp).toBeGreaterThan(1000);
    // the AVC sequence header is stamped below audio already sent
    const avcHeader = media.findIndex((m) => m.type === MessageType.Video);
    expect(media[avcHeader]!.timestamp).toBeLessThan(media[avcHeader - 1]!.timestamp);
  });
});
