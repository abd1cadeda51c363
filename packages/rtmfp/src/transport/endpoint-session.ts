import { createSecretKey, type KeyObject } from 'node:crypto';
import type { PeerAddress } from '../codec/address.js';
import type { RawChunk } from '../codec/chunk-frame.js';
import type { FIHelloChunk } from '../codec/chunks/hello-chunks.js';
import { PacketCipher } from '../codec/packet-cipher.js';
import { openPacket, sealPacket, type OpenProtection, type PacketLimits } from '../codec/packet.js';
import { SequenceWindow } from '../codec/sequence-window.js';
import type { PacketMode } from '../codec/packet-header.js';
import type { RecvFlow } from '../flow/recv-flow.js';
import type { SendFlow } from '../flow/send-flow.js';
import type { HandshakeResult } from '../handshake/result.js';
import { RtmfpSessionMachine } from '../session/session-machine.js';
import type { IncomingPacket } from '../session/session-types.js';
import type { SessionMachineOptions } from '../session/session-options.js';

/** What the layer above (the TC channel) hears from a session. */
export interface EndpointSessionListener {
  incomingFlow(flow: RecvFlow): void;
  closed(error: Error | undefined): void;
  flowException?(flow: SendFlow, code: number): void;
  /** After each round of sending: a chance to tell writers the buffer drained. */
  afterPoll?(): void;
  /** A packet from the peer arrived (keepalives included): the session is alive. */
  received?(): void;
}

/** What a session needs of its endpoint. */
export interface SessionHost {
  send(datagram: Buffer, to: PeerAddress): void;
  now(): number;
  /** The session ended: forget its id. */
  forget(session: EndpointSession): void;
  /** An introducer forwarded an initiator's hello through this session (peer to peer). */
  forwardedHello?(chunk: FIHelloChunk, session: EndpointSession): void;
  readonly packetLimits: PacketLimits;
}

/**
 * One open session on an endpoint: the pure `RtmfpSessionMachine` plus what it cannot do itself,
 * its keys, its peer's address and its timer. Datagrams in are decrypted and handed over;
 * packets out are sealed and sent; the machine's next wakeup is one `setTimeout`. When the
 * handshake negotiated them, packets carry an HMAC and session sequence numbers (repeats dropped).
 */
export class EndpointSession {
  readonly machine: RtmfpSessionMachine;
  remote: PeerAddress;
  private readonly decipher: PacketCipher;
  private readonly encipher: PacketCipher;
  private readonly mode: PacketMode;
  private readonly farMode: PacketMode;
  private readonly opening: OpenProtection;
  private readonly sendHmac: { readonly key: KeyObject; readonly length: number } | undefined;
  private readonly window: SequenceWindow | undefined;
  private nextSequenceNumber: number | undefined;
  private listener: EndpointSessionListener | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private immediate: ReturnType<typeof setImmediate> | undefined;
  private early: RecvFlow[] = [];
  private earlyClose: { error: Error | undefined } | undefined;
  private gone = false;

  constructor(
    readonly result: HandshakeResult,
    remote: PeerAddress,
    private readonly host: SessionHost,
    options: SessionMachineOptions,
  ) {
    this.remote = remote;
    this.decipher = new PacketCipher(result.keys.decryptKey);
    this.encipher = new PacketCipher(result.keys.encryptKey);
    this.mode = result.role;
    this.farMode = result.role === 'initiator' ? 'responder' : 'initiator';
    const { sendHmacLength, recvHmacLength, sendSequenceNumbers, recvSequenceNumbers } = result.protection;
    this.sendHmac = sendHmacLength > 0 ? { key: createSecretKey(result.keys.sendHmacKey), length: sendHmacLength } : undefined;
    this.opening = {
      hmac: recvHmacLength > 0 ? { key: createSecretKey(result.keys.recvHmacKey), length: recvHmacLength } : undefined,
      sequenceNumbers: recvSequenceNumbers,
    };
    this.window = recvSequenceNumbers ? new SequenceWindow() : undefined;
    this.nextSequenceNumber = sendSequenceNumbers ? 0 : undefined;
    this.machine = new RtmfpSessionMachine(host.now(), {
      incomingFlow: (flow) => (this.listener ? this.listener.incomingFlow(flow) : this.early.push(flow)),
      closed: (error) => (this.listener ? this.listener.closed(error) : (this.earlyClose = { error })),
      flowException: (flow, code) => this.listener?.flowException?.(flow, code),
      forwardedHello: (chunk) => host.forwardedHello?.(chunk, this),
    }, options);
  }

  /** The endpoint's clock, in ms. */
  now(): number {
    return this.host.now();
  }

  /** Our session id (what the peer addresses packets to). */
  get id(): number {
    return this.result.nearSessionId;
  }

  /** Attaches the layer above; flows that arrived before it are handed over now. */
  attach(listener: EndpointSessionListener): void {
    this.listener = listener;
    for (const flow of this.early.splice(0)) listener.incomingFlow(flow);
    if (this.earlyClose) listener.closed(this.earlyClose.error);
  }

  /** A datagram addressed to our session id. Anything that does not open with our key is dropped. */
  datagram(bytes: Buffer, from: PeerAddress): boolean {
    let packet;
    try {
      packet = openPacket(bytes, this.decipher, this.host.packetLimits, this.opening);
    } catch {
      return false;
    }
    if (packet.mode !== this.farMode) return false; // our own role reflected back, or startup: drop
    if (this.window && !this.window.accept(packet.sequenceNumber!)) return false; // a replay
    // The packet opened with the session key: the peer moved (NAT rebinding) or it is the same address.
    if (from.host !== this.remote.host || from.port !== this.remote.port) this.remote = from;
    this.deliver(packet);
    return true;
  }

  /** Hands a decrypted packet to the machine and schedules sending. */
  deliver(packet: IncomingPacket): void {
    if (this.gone) return;
    this.machine.receive(packet, this.host.now());
    this.listener?.received?.();
    this.pollSoon();
  }

  /** Sends what is due soon (coalescing everything that happens in this turn of the event loop). */
  pollSoon(): void {
    if (this.immediate !== undefined || this.gone) return;
    this.immediate = setImmediate(() => {
      this.immediate = undefined;
      this.poll();
    });
  }

  /**
   * Sends chunks that belong to no flow (an introducer's FIHellos, RFC 7016 §3.5.1.1.2) at once,
   * in a packet of their own under the session's key. They must fit in one packet.
   */
  sendChunks(chunks: RawChunk[]): void {
    if (this.gone || this.machine.state !== 'open' || chunks.length === 0) return;
    const packet = { sessionId: this.result.farSessionId, mode: this.mode, timeCritical: false, timeCriticalReverse: false, chunks };
    this.host.send(sealPacket(packet, this.encipher), this.remote);
  }

  /** Runs the machine's timers and sends its packets now. */
  poll(): void {
    if (this.gone) return;
    const now = this.host.now();
    for (const packet of this.machine.poll(now)) {
      const sequenceNumber = this.nextSequenceNumber === undefined ? undefined : this.nextSequenceNumber++;
      const datagram = sealPacket({ sessionId: this.result.farSessionId, mode: this.mode, ...packet }, this.encipher, { hmac: this.sendHmac, sequenceNumber });
      this.host.send(datagram, this.remote);
    }
    this.listener?.afterPoll?.();
    if (this.machine.state === 'closed') {
      this.stop();
      return;
    }
    this.arm(now);
  }

  private arm(now: number): void {
    const wake = this.machine.nextWakeup();
    if (wake === undefined) return;
    if (wake <= now) {
      this.pollSoon();
      return;
    }
    if (this.timer !== undefined && this.timerAt <= wake) return;
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timerAt = wake;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.timerAt = Number.POSITIVE_INFINITY;
      this.poll();
    }, Math.max(1, Math.ceil(wake - now)));
    this.timer.unref?.();
  }

  /** Stops the timers and forgets the session (the machine is closed or being thrown away). */
  stop(error?: Error): void {
    if (this.gone) return;
    if (this.machine.state !== 'closed') this.machine.destroy(error);
    this.gone = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.immediate !== undefined) clearImmediate(this.immediate);
    this.timer = this.immediate = undefined;
    this.host.forget(this);
  }
}
