/**
 * Window acknowledgements (spec §5.4.3-5, fact sheet §2.4) as plain arithmetic; the session
 * sends what the methods return.
 *
 * Receiving: every byte after the handshake is counted (a 32-bit sequence number that wraps).
 * Once the bytes since the last Acknowledgement reach the window, an Acknowledgement carrying the
 * count is due. The window is the peer's Window Acknowledgement Size; when the peer also sent
 * Set Peer Bandwidth, the smaller of the two (librtmp and old FFmpeg key acks off the latter).
 * Before the peer sent either, no acks are sent, as the spec says.
 *
 * Set Peer Bandwidth from the peer: the limit it puts on us follows the limit type (0 hard,
 * 1 soft = the smaller, 2 dynamic = like hard when the last one was hard). nginx-rtmp swaps 0 and
 * 1, and sends 2 first, so: a first message of any type sets the limit, unknown types count as
 * dynamic, and no type is an error. Whenever the limit differs from the Window Acknowledgement
 * Size we last sent, we send it as our new one. We do not throttle our output to the limit
 * (neither does FFmpeg, librtmp or nginx).
 */
export class FlowControl {
  private received = 0;
  private sinceAck = 0;
  private peerWindow: number | undefined;
  private peerBandwidth: number | undefined;
  private lastLimitHard = false;
  private sentWindow: number | undefined;
  /** The last Acknowledgement the peer sent us (its count of our bytes). */
  peerAcknowledged = 0;

  /** Bytes received after the handshake, modulo 2^32. */
  get bytesReceived(): number {
    return this.received;
  }

  /** The window we acknowledge at (undefined: we have not been asked to). */
  get ackWindow(): number | undefined {
    if (this.peerWindow === undefined) return this.peerBandwidth;
    if (this.peerBandwidth === undefined) return this.peerWindow;
    return Math.min(this.peerWindow, this.peerBandwidth);
  }

  /** The Window Acknowledgement Size we last sent. */
  get announcedWindow(): number | undefined {
    return this.sentWindow;
  }

  /** Counts `count` received bytes; returns the sequence number to acknowledge, if one is due. */
  onBytes(count: number): number | undefined {
    this.received = (this.received + count) % 0x100000000;
    this.sinceAck += count;
    const window = this.ackWindow;
    if (window === undefined || this.sinceAck < window) return undefined;
    this.sinceAck = 0;
    return this.received;
  }

  /** The peer's Window Acknowledgement Size. */
  onWindowAckSize(size: number): void {
    if (size > 0) this.peerWindow = size;
  }

  /** Records that we sent Window Acknowledgement Size `size`. */
  announced(size: number): void {
    this.sentWindow = size;
  }

  /**
   * The peer's Set Peer Bandwidth. Returns the Window Acknowledgement Size to send back, when it
   * differs from the one we last sent.
   */
  onSetPeerBandwidth(size: number, limitType: number): number | undefined {
    if (size === 0) return undefined;
    const current = this.peerBandwidth;
    let next: number | undefined;
    if (current === undefined || limitType === 0) {
      next = size;
      this.lastLimitHard = limitType === 0;
    } else if (limitType === 1) {
      next = Math.min(size, current);
      this.lastLimitHard = false;
    } else if (this.lastLimitHard) {
      next = size;
    }
    if (next === undefined) return undefined;
    this.peerBandwidth = next;
    if (next === this.sentWindow) return undefined;
    this.sentWindow = next;
    return next;
  }
}
