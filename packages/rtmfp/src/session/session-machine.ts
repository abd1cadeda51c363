import { RtmpError, TimeoutError } from '@rtmpkit/core';
import { bitmapToRanges, type SequenceRange } from '../codec/chunks/ack.js';
import { decodeChunk, type Chunk } from '../codec/chunks/chunk.js';
import { encodeBufferProbe, encodeClose, encodeCloseAck, encodeFlowException, encodePing, encodePingReply } from '../codec/chunks/control-chunks.js';
import { flowFragments, type FlowFragment } from '../codec/chunks/user-data-run.js';
import { RecvFlow } from '../flow/recv-flow.js';
import { SendFlow, type SendFlowOptions } from '../flow/send-flow.js';
import { AckScheduler, appendAck } from './ack-scheduler.js';
import { probeDue } from './buffer-probe.js';
import { admitFlow } from './admit-flow.js';
import { sendData } from './data-sender.js';
import { Flight } from './flight.js';
import { PacketBuilder } from './packet-builder.js';
import { PacketClock } from './packet-clock.js';
import { resolveSessionOptions, type ResolvedSessionOptions, type SessionMachineOptions } from './session-options.js';
import { collectStats, type SessionStats } from './session-stats.js';
import type { IncomingPacket, OutgoingPacket, SessionMachineEvents, SessionMachineState } from './session-types.js';

const TCR_WINDOW_MS = 800;

/**
 * One RTMFP session after the handshake (RFC 7016 §3.5–3.6) as a pure state machine: packets
 * in (`receive`), packets out (`poll`), time passed in as milliseconds, no sockets, no timers
 * (`nextWakeup()` says when `poll` must run again). It keeps the flows, acknowledges (at once on
 * gaps, repeats, FIN or a small window; otherwise every 2 packets or after 200 ms), measures the
 * round trip from timestamp echoes, runs congestion control and retransmission, abandons
 * expired messages, probes closed windows, pings when quiet, and closes in order or at once.
 */
export class RtmfpSessionMachine {
  state: SessionMachineState = 'open';
  readonly sendFlows = new Map<number, SendFlow>();
  readonly recvFlows = new Map<number, RecvFlow>();
  readonly options: ResolvedSessionOptions;
  private readonly flight = new Flight();
  private readonly clock: PacketClock;
  private readonly acks: AckScheduler;
  private readonly counters = { packetsSent: 0, packetsReceived: 0, dataBytesSent: 0, retransmissions: 0, abandonedSent: 0, abandonedReceived: 0, skippedFragments: 0, messagesReceived: 0 };
  private nextFlowId = 1;
  private lastReceived: number;
  private lastTcReceived = Number.NEGATIVE_INFINITY;
  private readonly pingReplies: Buffer[] = [];
  private pingSentAt = Number.NEGATIVE_INFINITY;
  private readonly exceptions = new Map<number, number>();
  private readonly probes = new Set<SendFlow>();
  private readonly finishedRecv = new Map<RecvFlow, number>();
  private closeAckDue = false;
  private closeAt: number | undefined;
  private closeGiveUpAt = 0;
  private lingerUntil = 0;
  private continueAt: number | undefined;
  private reported = false;
  private rotation = 0;

  constructor(
    now: number,
    private readonly events: SessionMachineEvents,
    options: SessionMachineOptions = {},
  ) {
    this.options = resolveSessionOptions(options);
    this.clock = new PacketClock(now);
    this.acks = new AckScheduler(this.options.delayedAckMs);
    this.lastReceived = now;
  }

  /** Counters and the congestion state now. */
  get stats(): SessionStats {
    return collectStats(this.counters, this.sendFlows.values(), this.recvFlows.values(), this.flight);
  }

  /** Bytes written to all sending flows and not yet acknowledged. */
  get bufferedBytes(): number {
    let bytes = 0;
    for (const flow of this.sendFlows.values()) bytes += flow.bufferedBytes;
    return bytes;
  }

  /** Opens a flow to the peer. */
  openFlow(options: SendFlowOptions): SendFlow {
    if (this.state !== 'open') throw new RtmpError(`cannot open a flow: the session is ${this.state}`);
    const flow = new SendFlow(this.nextFlowId++, options);
    this.sendFlows.set(flow.id, flow);
    return flow;
  }

  /** The server's Set Keepalive (RFC 7425 §5.3.4): at least 5 s. */
  setKeepalive(ms: number): void {
    this.options.keepaliveMs = Math.max(5000, ms);
  }

  /** A receiving flow's window grew (the application read what it held): tell the sender. */
  windowOpened(flow: RecvFlow): void {
    if (this.recvFlows.get(flow.id) === flow) this.acks.due(flow);
  }

  // ---- receiving -------------------------------------------------------------------------

  /** Takes one packet from the peer (decrypted, checksum and mode already checked). */
  receive(packet: IncomingPacket, now: number): void {
    if (this.state === 'closed') return;
    this.counters.packetsReceived++;
    this.lastReceived = now;
    const rtt = this.clock.received(packet.timestamp, packet.timestampEcho, now);
    if (rtt !== undefined) this.flight.rtt.sample(rtt);
    if (packet.timeCritical) this.lastTcReceived = now;
    const chunks: Chunk[] = [];
    for (const raw of packet.chunks) {
      try {
        chunks.push(decodeChunk(raw));
      } catch (error) {
        if (!RtmpError.isInstance(error)) throw error;
        break; // a malformed chunk ends the packet; what came before it stands
      }
    }
    for (const chunk of chunks) this.control(chunk, now);
    if (this.state !== 'open' && this.state !== 'closing') return;
    let fragments: FlowFragment[];
    try {
      fragments = flowFragments(chunks);
    } catch {
      return;
    }
    this.userData(fragments, now);
  }

  private control(chunk: Chunk, now: number): void {
    if (chunk.kind === 'close') {
      this.closeAckDue = true;
      if (this.state === 'nearclose') this.finish(undefined);
      else if (this.state !== 'farclose' && this.state !== 'closed') {
        this.state = 'farclose';
        this.lingerUntil = now + this.options.farCloseLingerMs;
        this.report(undefined);
      }
      return;
    }
    if (chunk.kind === 'close-ack') {
      // Outside nearclose: an abrupt close (RFC 7016 §3.5.5.2; how rtmfp-cpp's clients end). Answered while open, as rtmfp-cpp does.
      if (this.state === 'open' || this.state === 'closing') this.closeAckDue = true;
      return this.finish(undefined);
    }
    if (this.state !== 'open' && this.state !== 'closing') return;
    switch (chunk.kind) {
      case 'ping':
        if (this.pingReplies.length < 8) this.pingReplies.push(Buffer.from(chunk.message));
        return;
      case 'ack-ranges':
      case 'ack-bitmap': {
        const ranges = chunk.kind === 'ack-ranges' ? chunk.ranges : bitmapToRanges(chunk.cumulativeAck, chunk.bitmap);
        this.onAck(chunk.flowId, chunk.bufferBlocksAvailable, chunk.cumulativeAck, ranges, now);
        return;
      }
      case 'buffer-probe': {
        const flow = this.recvFlows.get(chunk.flowId);
        if (flow) this.acks.due(flow);
        return;
      }
      case 'flow-exception': {
        const flow = this.sendFlows.get(chunk.flowId);
        if (!flow || flow.exception !== undefined) return;
        flow.onException(chunk.exceptionCode);
        this.events.flowException?.(flow, chunk.exceptionCode);
        return;
      }
      case 'fihello':
        this.events.forwardedHello?.(chunk);
        return;
      default:
        return;
    }
  }

  private onAck(flowId: number, blocks: number, cumulativeAck: number, ranges: readonly SequenceRange[], now: number): void {
    const flow = this.sendFlows.get(flowId);
    if (!flow) return;
    this.flight.acked(flow.onAck(blocks, cumulativeAck, ranges), now);
    if (flow.windowClosed && flow.probeAt === undefined) flow.probeAt = now + flow.probeInterval;
    if (flow.state === 'complete') this.retire(flow);
  }

  private retire(flow: SendFlow): void {
    this.sendFlows.delete(flow.id);
    this.probes.delete(flow);
    this.counters.abandonedSent += flow.abandonedMessages;
    this.counters.retransmissions += flow.retransmissions;
    this.flight.retired(flow);
  }

  private userData(fragments: readonly FlowFragment[], now: number): void {
    const touched = new Set<RecvFlow>();
    for (const fragment of fragments) {
      const flow = this.recvFlows.get(fragment.flowId) ?? this.newFlow(fragment, now);
      if (!flow) continue;
      let kind;
      try {
        kind = flow.receive(fragment);
      } catch (error) {
        if (RtmpError.isInstance(error) && error.code === 'ERR_RTMP_LIMIT') {
          this.abort(now, error);
          return;
        }
        throw error;
      }
      if (kind !== 'in-order' || fragment.final || flow.gaps) this.acks.due(flow);
      if (flow.exceptionCode !== undefined) this.exceptions.set(flow.id, flow.exceptionCode);
      if (flow.state === 'complete' && !this.finishedRecv.has(flow)) this.finishedRecv.set(flow, now);
      touched.add(flow);
    }
    this.acks.endOfPacket(touched, now);
  }

  private newFlow(fragment: FlowFragment, now: number): RecvFlow | undefined {
    if (this.recvFlows.size >= this.options.maxRecvFlows) this.pruneFinished(now, true);
    const flow = admitFlow(fragment, this.options, this.recvFlows.size, (id) => this.sendFlows.has(id));
    if (!flow) {
      // A flow we cannot keep (or never saw the start of): tell the sender to stop.
      this.exceptions.set(fragment.flowId, 0);
      return undefined;
    }
    this.recvFlows.set(flow.id, flow);
    if (flow.state === 'pending') {
      this.events.incomingFlow(flow);
      if (flow.state === 'pending') flow.reject(0);
    }
    return flow;
  }

  // ---- sending ---------------------------------------------------------------------------

  /** When `poll` must run next (absolute ms; -Infinity: at once), or undefined when nothing is scheduled. */
  nextWakeup(): number | undefined {
    if (this.state === 'closed') return this.closeAckDue ? Number.NEGATIVE_INFINITY : undefined;
    const soon = Number.NEGATIVE_INFINITY;
    let next = this.continueAt;
    const consider = (at: number | undefined): void => {
      if (at !== undefined && (next === undefined || at < next)) next = at;
    };
    if (this.closeAckDue) consider(soon);
    if (this.state === 'nearclose') {
      consider(this.closeAt);
      consider(this.closeGiveUpAt);
      return next;
    }
    if (this.state === 'farclose') {
      consider(this.lingerUntil);
      return next;
    }
    if (this.acks.urgent || this.pingReplies.length > 0 || this.exceptions.size > 0) consider(soon);
    if (this.state === 'closing' && this.sendFlows.size === 0) consider(soon);
    if (this.hasSendableData()) consider(soon);
    consider(this.acks.nextAt);
    consider(this.flight.timeoutAt);
    for (const flow of this.sendFlows.values()) {
      consider(flow.nextDeadline);
      consider(flow.windowClosed && flow.probeAt === undefined ? soon : flow.probeAt);
    }
    consider(this.lastReceived + this.options.keepaliveMs);
    consider(this.lastReceived + this.options.peerTimeoutMs);
    for (const at of this.finishedRecv.values()) consider(at + this.options.recvFlowLingerMs);
    return next;
  }

  /** Runs the timers due at `now` and returns the packets to send now. */
  poll(now: number): OutgoingPacket[] {
    this.continueAt = undefined;
    const builder = new PacketBuilder();
    if (this.closeAckDue) {
      builder.add(encodeCloseAck());
      this.closeAckDue = false;
    }
    if (this.state === 'open' || this.state === 'closing') this.pollOpen(builder, now);
    else if (this.state === 'farclose' && now >= this.lingerUntil) this.finish(undefined);
    else if (this.state === 'nearclose') this.pollNearClose(builder, now);
    return this.finishPackets(builder, now);
  }

  private pollNearClose(builder: PacketBuilder, now: number): void {
    if (now >= this.closeGiveUpAt) {
      this.finish(undefined);
    } else if (this.closeAt !== undefined && now >= this.closeAt) {
      builder.add(encodeClose());
      this.closeAt = now + this.options.closeRetransmitMs;
    }
  }

  private pollOpen(builder: PacketBuilder, now: number): void {
    if (now - this.lastReceived >= this.options.peerTimeoutMs) {
      const ms = this.options.peerTimeoutMs;
      this.abort(now, new TimeoutError('idle', ms, `the RTMFP peer sent nothing in ${ms} ms`));
      this.pollNearClose(builder, now);
      return;
    }
    this.timers(now);
    for (const message of this.pingReplies.splice(0)) builder.add(encodePingReply(message));
    if (now - this.lastReceived >= this.options.keepaliveMs && now - this.pingSentAt >= this.options.keepaliveMs) {
      builder.add(encodePing());
      this.pingSentAt = now;
    }
    for (const [flowId, code] of this.exceptions) builder.add(encodeFlowException(flowId, code));
    this.exceptions.clear();
    for (const flow of this.probes) builder.add(encodeBufferProbe(flow.id));
    this.probes.clear();
    // Acks taken as packets arrived go one per packet, so that losing one loses one.
    for (const chunk of this.acks.takeSnapshots()) {
      if (builder.currentHasChunks) builder.startPacket();
      builder.add(chunk);
    }
    for (const flow of this.acks.take(now, this.hasSendableData())) appendAck(builder, flow);
    const flows = [...this.sendFlows.values()];
    if (flows.length > 0) {
      const start = this.rotation++ % flows.length;
      const { round, dataBytes } = sendData(builder, [...flows.slice(start), ...flows.slice(0, start)], this.flight, now);
      this.counters.dataBytesSent += dataBytes;
      if (round === 'burst') this.continueAt = now;
    }
    if (this.state === 'closing' && this.sendFlows.size === 0) {
      this.state = 'nearclose';
      this.closeAt = now;
      this.closeGiveUpAt = now + this.options.closeGiveUpMs;
      this.pollNearClose(builder, now);
    }
  }

  private timers(now: number): void {
    for (const flow of this.sendFlows.values()) {
      const deadline = flow.nextDeadline;
      if (deadline !== undefined && deadline <= now) flow.abandonExpired(now);
      if (probeDue(flow, now)) this.probes.add(flow);
      if (flow.state === 'complete') this.retire(flow);
    }
    this.flight.checkTimeout(this.sendFlows.values(), now);
    this.pruneFinished(now, false);
  }

  private pruneFinished(now: number, all: boolean): void {
    for (const [flow, at] of this.finishedRecv) {
      if (!all && now < at + this.options.recvFlowLingerMs) continue;
      this.finishedRecv.delete(flow);
      this.recvFlows.delete(flow.id);
      this.acks.forget(flow);
      this.counters.abandonedReceived += flow.stats.abandonedMessages;
      this.counters.skippedFragments += flow.stats.skippedFragments;
      this.counters.messagesReceived += flow.stats.messages;
    }
  }

  /** True when some flow could put a fragment on the wire now (a retransmission, or new data the windows allow). */
  private hasSendableData(): boolean {
    const mayGrow = this.flight.mayGrow;
    for (const flow of this.sendFlows.values()) if (flow.sendable(mayGrow)) return true;
    return false;
  }

  private finishPackets(builder: PacketBuilder, now: number): OutgoingPacket[] {
    const packets: OutgoingPacket[] = [];
    const timeCriticalReverse = now - this.lastTcReceived < TCR_WINDOW_MS;
    for (const built of builder.packets) {
      if (built.chunks.length === 0) continue;
      packets.push({ timeCritical: built.timeCritical, timeCriticalReverse, ...this.clock.header(now), chunks: built.chunks });
    }
    this.counters.packetsSent += packets.length;
    return packets;
  }

  // ---- closing ---------------------------------------------------------------------------

  /** Closes in order: every sending flow finishes (FIN, acknowledged), then the session close request goes out. */
  close(): void {
    if (this.state !== 'open') return;
    this.state = 'closing';
    for (const flow of this.sendFlows.values()) flow.close();
  }

  /** Closes at once: the close request goes out (repeated every 5 s until acknowledged, for up to 90 s). */
  abort(now: number, error?: Error): void {
    if (this.state === 'open' || this.state === 'closing') {
      this.state = 'nearclose';
      this.closeAt = now;
      this.closeGiveUpAt = now + this.options.closeGiveUpMs;
    }
    this.report(error);
  }

  /** Forgets the session without a word (the endpoint is going away). */
  destroy(error?: Error): void {
    this.finish(error);
  }

  private finish(error: Error | undefined): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.report(error);
  }

  private report(error: Error | undefined): void {
    if (this.reported) return;
    this.reported = true;
    this.events.closed(error);
  }
}
