import { CHUNK_HEADER_SIZE, type RawChunk } from '../codec/chunk-frame.js';
import { vluLength } from '../codec/vlu.js';

/**
 * Plaintext bytes of one session packet before padding: checksum, flags, timestamp, echo and
 * chunks (rtmfp-cpp's 1200). The datagram is `datagramSize(1200)` = 1204 bytes at most.
 */
export const SESSION_PACKET_BUDGET = 1200;
/** Checksum (2), flags (1), timestamp (2) and echo (2). */
export const SESSION_HEADER_SIZE = 7;
/** Chunk bytes (headers included) one packet holds. */
export const CHUNK_SPACE = SESSION_PACKET_BUDGET - SESSION_HEADER_SIZE;

/** One packet's chunks and whether it carries time-critical data. */
export interface BuiltPacket {
  readonly chunks: RawChunk[];
  timeCritical: boolean;
  /** Carries user data (counts toward the burst limit). */
  data: boolean;
}

/** The last user data chunk in the packet being filled, for Next User Data. */
interface LastUserData {
  readonly flowId: number;
  readonly seq: number;
}

/** Bytes of a User Data chunk's options: metadata, return flow association, marker. */
export function userDataOptionsSize(metadata: Buffer | undefined, returnFlowId: number | undefined): number {
  let size = 1; // marker
  if (metadata) size += vluLength(1 + metadata.length) + 1 + metadata.length;
  if (returnFlowId !== undefined) size += vluLength(1 + vluLength(returnFlowId)) + 1 + vluLength(returnFlowId);
  return size;
}

/**
 * Fills packets with chunks, in order, each packet at most `CHUNK_SPACE` bytes of chunks. Knows
 * which user data chunk came last so that the next fragment of the same flow can go as the
 * shorter Next User Data.
 */
export class PacketBuilder {
  readonly packets: BuiltPacket[] = [];
  private current: BuiltPacket | undefined;
  private used = 0;
  private last: LastUserData | undefined;

  /** Chunk bytes still free in the packet being filled (a fresh packet has `CHUNK_SPACE`). */
  get free(): number {
    return this.current ? CHUNK_SPACE - this.used : CHUNK_SPACE;
  }

  /** Packets that carry user data so far. */
  dataPackets = 0;

  /** True when the packet being filled has any chunk. */
  get currentHasChunks(): boolean {
    return (this.current?.chunks.length ?? 0) > 0;
  }

  /** True when the packet being filled already carries user data. */
  get currentHasData(): boolean {
    return this.current?.data ?? false;
  }

  /** True when the next fragment of `flowId` numbered `seq` may go as Next User Data here. */
  continues(flowId: number, seq: number): boolean {
    return this.current !== undefined && this.last !== undefined && this.last.flowId === flowId && this.last.seq + 1 === seq;
  }

  /** Adds a chunk, starting a new packet when it does not fit. */
  add(chunk: RawChunk, userData?: { flowId: number; seq: number; timeCritical: boolean }): void {
    const size = CHUNK_HEADER_SIZE + chunk.payload.length;
    if (!this.current || this.used + size > CHUNK_SPACE) this.startPacket();
    const packet = this.current!;
    packet.chunks.push(chunk);
    this.used += size;
    if (userData) {
      if (!packet.data) this.dataPackets++;
      packet.data = true;
      if (userData.timeCritical) packet.timeCritical = true;
      this.last = { flowId: userData.flowId, seq: userData.seq };
    } else {
      this.last = undefined;
    }
  }

  /** Closes the packet being filled; the next chunk starts a new one. */
  startPacket(): void {
    this.current = { chunks: [], timeCritical: false, data: false };
    this.packets.push(this.current);
    this.used = 0;
    this.last = undefined;
  }
}
