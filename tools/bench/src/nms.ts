/**
 * node-media-server's own codec, loaded from its published sources (CommonJS, no `exports` map)
 * and driven in-process, without sockets. Only the shapes used here are typed.
 *
 * - Chunk parser: `Rtmp.prototype.parserData(buffer)` (src/protocol/rtmp.js), the method that
 *   `RtmpSession.onData` calls with each socket buffer. We feed it a real C0+C1+C2 handshake and
 *   a Set Chunk Size message first (untimed), so its state is reached through bytes only.
 *   Each complete audio/video/data message goes on, as in the server, through
 *   `Flv.parserTag` to `onPacketCallback(avpacket)`, which here only sums sizes.
 * - Chunk encoder: static `Rtmp.createMessage(avpacket)`, which `BroadcastServer.broadcastMessage`
 *   calls once per packet; it fills an `RtmpPacket` and calls `Rtmp.chunksCreate`, whose chunk
 *   size is fixed at RTMP_MAX_CHUNK_SIZE = 0xffff (no parameter, no setter).
 * - AMF0: `amf0Encode(values)` / `amf0Decode(buffer)` from src/protocol/amf.js, its value-list
 *   codec, against core's `encodeAmf0Values` / `decodeAmf0Values`. One level up,
 *   `decodeAmf0Cmd` (what `Rtmp.invokeHandler` calls on `connect`) and `decodeAmf0Data` (what
 *   `BroadcastServer.broadcastMessage` calls on `@setDataFrame`) against core's `decodeCommand`
 *   and `decodeData`.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export interface NmsAvPacket {
  codec_id: number;
  codec_type: number;
  duration: number;
  flags: number;
  pts: number;
  dts: number;
  size: number;
  offset: number;
  data: Buffer;
}

interface NmsRtmp {
  parserData(buffer: Buffer): string | null;
  onPacketCallback: (packet: NmsAvPacket) => void;
  onOutputCallback: (buffer: Buffer) => void;
  inChunkSize: number;
}

interface NmsRtmpClass {
  new (): NmsRtmp;
  createMessage(packet: NmsAvPacket): Buffer;
}

interface NmsAmf {
  amf0Encode(values: unknown[]): Buffer;
  amf0Decode(buffer: Buffer): unknown[];
  decodeAmf0Cmd(buffer: Buffer): { cmd?: unknown; transId?: unknown; cmdObj?: unknown; [name: string]: unknown };
  decodeAmf0Data(buffer: Buffer): { cmd?: unknown; method?: unknown; dataObj?: unknown; [name: string]: unknown };
}

const Rtmp = require('node-media-server/src/protocol/rtmp.js') as NmsRtmpClass;
const AVPacket = require('node-media-server/src/core/avpacket.js') as new () => NmsAvPacket;
const amf = require('node-media-server/src/protocol/amf.js') as NmsAmf;

export const nmsVersion: string = (
  JSON.parse(readFileSync(require.resolve('node-media-server/package.json'), 'utf8')) as { version: string }
).version;

/** The chunk size NMS's encoder always uses (rtmp.js RTMP_MAX_CHUNK_SIZE). */
export const NMS_OUT_CHUNK_SIZE = 0xffff;

export const nmsAmf0Encode = (values: unknown[]): Buffer => amf.amf0Encode(values);
export const nmsAmf0Decode = (bytes: Buffer): unknown[] => amf.amf0Decode(bytes);
/** What `Rtmp.invokeHandler` calls on a type 20 payload. */
export const nmsDecodeCommand = (payload: Buffer): ReturnType<NmsAmf['decodeAmf0Cmd']> => amf.decodeAmf0Cmd(payload);
/** What `BroadcastServer.broadcastMessage` calls on a type 18 payload. */
export const nmsDecodeData = (payload: Buffer): ReturnType<NmsAmf['decodeAmf0Data']> => amf.decodeAmf0Data(payload);

/** The AVPacket that NMS's publisher path would hand to `Rtmp.createMessage` for a message. */
export function toAvPacket(message: { type: number; timestamp: number; payload: Buffer }): NmsAvPacket {
  const packet = new AVPacket();
  packet.codec_type = message.type;
  packet.dts = message.timestamp;
  packet.pts = message.timestamp;
  packet.size = message.payload.length;
  packet.data = message.payload;
  return packet;
}

export const nmsCreateMessage = (packet: NmsAvPacket): Buffer => Rtmp.createMessage(packet);

/** A simple-handshake C0+C1+C2 as a client sends it (C1 without a digest, so NMS echoes it). */
function clientHandshake(): Buffer {
  const handshake = Buffer.alloc(1 + 1536 + 1536);
  handshake[0] = 3;
  return handshake;
}

/** A Set Chunk Size message on chunk stream 2, message stream 0. */
export function setChunkSizeChunk(size: number): Buffer {
  const chunk = Buffer.alloc(1 + 11 + 4);
  chunk[0] = 0x02; // fmt 0, csid 2
  chunk.writeUIntBE(4, 4, 3); // message length
  chunk[7] = 1; // type: Set Chunk Size
  chunk.writeUInt32BE(size, 12);
  return chunk;
}

/**
 * A server-side NMS parser that has done its handshake and been told the peer's chunk size.
 * `onPacket` gets each complete media/data message as NMS's AVPacket.
 */
export function createNmsParser(chunkSize: number, onPacket: (packet: NmsAvPacket) => void): (piece: Buffer) => void {
  const rtmp = new Rtmp();
  rtmp.onOutputCallback = () => {};
  rtmp.onPacketCallback = onPacket;
  const check = (error: string | null): void => {
    if (error !== null) throw new Error(`node-media-server parser: ${error}`);
  };
  check(rtmp.parserData(clientHandshake()));
  check(rtmp.parserData(setChunkSizeChunk(chunkSize)));
  if (rtmp.inChunkSize !== chunkSize) throw new Error(`node-media-server did not take chunk size ${chunkSize}`);
  return (piece) => check(rtmp.parserData(piece));
}
