import { AbortedError, RtmpError, TimeoutError } from '@rtmpkit/core';
import { RtmfpHandshakeError } from '../errors.js';
import type { PeerAddress } from '../codec/address.js';
import type { Chunk } from '../codec/chunks/chunk.js';
import type { IHelloChunk } from '../codec/chunks/hello-chunks.js';
import type { RtmfpInitiator } from '../handshake/initiator.js';
import type { HandshakeResult } from '../handshake/result.js';

/** Handshake retransmission (rtmfp-cpp): first after 1 s, each wait 1.5 s longer, give up at 95 s. */
export const HANDSHAKE_RETRY = { firstMs: 1000, stepMs: 1500, giveUpMs: 95_000 } as const;

/** What an opening session needs of its endpoint. */
export interface OpeningHost {
  sendStartup(chunk: Chunk, to: PeerAddress, sessionId: number): void;
  opened(opening: OpeningSession, result: HandshakeResult, from: PeerAddress): void;
  abandoned(opening: OpeningSession): void;
}

/** Datagrams that came for our session id before the keys did (rtmfp-cpp keeps 18). */
const MAX_EARLY_DATAGRAMS = 18;
/** Addresses one handshake sends IHellos to (what we were given plus what Redirects added). */
export const MAX_CANDIDATES = 16;
/** Redirects one handshake takes; more are dropped (each may add addresses, and we answer them). */
export const MAX_REDIRECTS = 16;

/** What happened during a handshake, for a clear error when it fails. */
export interface OpenProgress {
  /** Redirects taken (from an address we sent the IHello to, with our tag). */
  redirects: number;
  /** Addresses the Redirects named. */
  readonly introduced: PeerAddress[];
  /** RHellos whose certificate is not the one our EPD names (another endpoint answering for it). */
  wrongPeer: number;
  /** Redirects dropped: from an address we did not ask, or past the limit. */
  droppedRedirects: number;
}

/** A fresh progress record. */
export function openProgress(): OpenProgress {
  return { redirects: 0, introduced: [], wrongPeer: 0, droppedRedirects: 0 };
}

function same(a: PeerAddress, b: PeerAddress): boolean {
  return a.host === b.host && a.port === b.port;
}

/**
 * One handshake we started: sends the IHello to the candidate addresses until an RHello
 * answers, then the IIKeying to where the RHello came from until the RIKeying does, with
 * rtmfp-cpp's timing, within `timeoutMs` (at most 95 s). Keeps the datagrams that arrive under
 * the session key before the RIKeying is read, to replay them once the session is open.
 */
export class OpeningSession {
  readonly early: { bytes: Buffer; from: PeerAddress }[] = [];
  private target: PeerAddress | undefined;
  private candidates: PeerAddress[];
  /** The addresses we were told to ask: only they may redirect us. */
  private readonly askable: readonly PeerAddress[];
  private retry: ReturnType<typeof setTimeout> | undefined;
  private deadline: ReturnType<typeof setTimeout> | undefined;
  private wait: number = HANDSHAKE_RETRY.firstMs;
  private settled = false;
  readonly done: Promise<HandshakeResult>;
  private resolveDone!: (result: HandshakeResult) => void;
  private rejectDone!: (error: Error) => void;
  private readonly onAbort: () => void;

  constructor(
    readonly initiator: RtmfpInitiator,
    candidates: readonly PeerAddress[],
    private readonly host: OpeningHost,
    timeoutMs: number,
    private readonly signal?: AbortSignal,
    private readonly progress: OpenProgress = openProgress(),
  ) {
    this.candidates = candidates.slice(0, MAX_CANDIDATES);
    this.askable = [...this.candidates];
    this.done = new Promise((resolve, reject) => {
      this.resolveDone = resolve;
      this.rejectDone = reject;
    });
    const limit = Math.min(timeoutMs > 0 ? timeoutMs : HANDSHAKE_RETRY.giveUpMs, HANDSHAKE_RETRY.giveUpMs);
    this.deadline = setTimeout(() => this.fail(new TimeoutError('handshake', limit, `no RTMFP handshake answer from ${this.describe()} in ${limit} ms`)), limit);
    this.onAbort = () => this.fail(new AbortedError('connect was aborted', { cause: signal?.reason }));
    signal?.addEventListener('abort', this.onAbort, { once: true });
    if (signal?.aborted) this.onAbort();
  }

  get sessionId(): number {
    return this.initiator.sessionId;
  }

  /** Sends the first IHello and starts the retransmission timer. */
  start(): void {
    this.transmit();
  }

  private describe(): string {
    const where = this.target ?? this.candidates[0];
    return where ? `${where.host}:${where.port}` : 'the far end';
  }

  private transmit(): void {
    if (this.settled) return;
    const keying = this.initiator.iikeying();
    if (keying && this.target) {
      this.host.sendStartup(keying, this.target, 0);
    } else {
      const hello: IHelloChunk = this.initiator.ihello();
      for (const candidate of this.candidates) this.host.sendStartup(hello, candidate, 0);
    }
    this.retry = setTimeout(() => this.transmit(), this.wait);
    this.retry.unref?.();
    this.wait += HANDSHAKE_RETRY.stepMs;
  }

  private restart(): void {
    if (this.retry !== undefined) clearTimeout(this.retry);
    this.wait = HANDSHAKE_RETRY.firstMs;
    this.transmit();
  }

  /**
   * A startup chunk for this handshake (an RHello or Redirect matched by tag on session 0, an
   * RIKeying or cookie change on our id). A chunk that fails a check is dropped.
   */
  receive(chunk: Chunk, from: PeerAddress): void {
    if (this.settled) return;
    if (chunk.kind === 'redirect' && !this.redirectAllowed(from)) return;
    let step;
    try {
      step = this.initiator.receive(chunk);
    } catch (error) {
      if (error instanceof RtmfpHandshakeError && error.problem === 'epd') this.progress.wrongPeer++;
      if (RtmpError.isInstance(error)) return;
      throw error;
    }
    switch (step.kind) {
      case 'send':
        if (chunk.kind === 'rhello') this.target = from;
        this.restart();
        return;
      case 'redirect':
        this.redirected(step.addresses.length > 0 ? step.addresses : [from]);
        return;
      case 'open':
        this.settle();
        this.host.opened(this, step.result, this.target ?? from);
        this.resolveDone(step.result);
        return;
    }
  }

  private redirectAllowed(from: PeerAddress): boolean {
    if (this.progress.redirects < MAX_REDIRECTS && this.askable.some((address) => same(address, from))) return true;
    this.progress.droppedRedirects++;
    return false;
  }

  /**
   * A Redirect (RFC 7016 §3.5.1.1.2): its addresses join the candidates and get the IHello at
   * once; the redirector stays one (each retransmission to it is introduced again: an FIHello
   * lost on the way is sent anew). The retransmission timer goes on as it was, so that a
   * redirector answering every IHello cannot start a ping-pong.
   */
  private redirected(addresses: readonly PeerAddress[]): void {
    this.progress.redirects++;
    // One IHello per address: a Redirect may name an address twice (rtmfp-cpp's tcserver lists
    // the observed address, then the reported ones, which are the same ip:port without a NAT).
    const room: PeerAddress[] = [];
    for (const address of addresses) {
      if (this.candidates.length + room.length >= MAX_CANDIDATES) break;
      if (!this.candidates.some((known) => same(known, address)) && !room.some((known) => same(known, address))) room.push(address);
    }
    if (room.length === 0 || this.initiator.state !== 'hello') return;
    this.candidates.push(...room);
    this.progress.introduced.push(...room);
    const hello = this.initiator.ihello();
    for (const candidate of room) this.host.sendStartup(hello, candidate, 0);
  }

  /** A datagram for our id that did not open with the default key: keep it for later. */
  keepEarly(bytes: Buffer, from: PeerAddress): void {
    if (this.early.length < MAX_EARLY_DATAGRAMS) this.early.push({ bytes: Buffer.from(bytes), from });
  }

  /** Gives up (timeout, abort, endpoint closing). */
  fail(error: Error): void {
    if (this.settled) return;
    this.settle();
    this.host.abandoned(this);
    this.rejectDone(error);
  }

  private settle(): void {
    this.settled = true;
    if (this.retry !== undefined) clearTimeout(this.retry);
    if (this.deadline !== undefined) clearTimeout(this.deadline);
    this.signal?.removeEventListener('abort', this.onAbort);
  }
}
