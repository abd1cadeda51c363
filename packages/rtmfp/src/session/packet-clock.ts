import { roundTripFromEcho, timestampAt, timestampEcho } from '../codec/timestamp.js';

const ECHO_LIFETIME_MS = 128_000;

/**
 * The packet timestamps of one session (RFC 7016 §2.2.4, §3.5.2.2): ours on 250 Hz ticks from
 * the session's start, sent when they changed; the echo of the peer's last one plus the time we
 * held it, sent when it changed and for at most 128 s; round trips from the echoes we get back.
 */
export class PacketClock {
  private peer: { value: number; at: number } | undefined;
  private lastSent: number | undefined;
  private lastEcho: number | undefined;

  constructor(private readonly origin: number) {}

  /** Reads a received packet's timestamps; returns a round-trip sample in ms, if it had an echo. */
  received(timestamp: number | undefined, echo: number | undefined, now: number): number | undefined {
    if (timestamp !== undefined) this.peer = { value: timestamp, at: now };
    return echo === undefined ? undefined : roundTripFromEcho(timestampAt(now - this.origin), echo);
  }

  /** The timestamp and echo fields of the next packet sent at `now`. */
  header(now: number): { timestamp?: number; timestampEcho?: number } {
    const timestamp = timestampAt(now - this.origin);
    let echo: number | undefined;
    if (this.peer && now - this.peer.at < ECHO_LIFETIME_MS) {
      echo = timestampEcho(this.peer.value, now - this.peer.at);
      if (echo === this.lastEcho) echo = undefined;
    }
    const header = {
      ...(timestamp !== this.lastSent && { timestamp }),
      ...(echo !== undefined && { timestampEcho: echo }),
    };
    this.lastSent = timestamp;
    if (echo !== undefined) this.lastEcho = echo;
    return header;
  }
}
