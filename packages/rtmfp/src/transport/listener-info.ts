import type { Listener } from '@rtmpkit/core';
import type { PeerAddress } from '../codec/address.js';
import type { RendezvousCounters } from '../p2p/rendezvous.js';
import type { EndpointCounters } from './endpoint-options.js';

/** What an RTMFP listener knows beyond core's `Listener`. */
export interface RtmfpListenerInfo {
  /** The server's fingerprint (SHA-256 of its certificate), hex. */
  readonly peerId: string;
  /** Its UDP socket's traffic and drops: every datagram, handshakes and introductions included. */
  readonly counters: Readonly<EndpointCounters>;
  /** Introductions made and refused (undefined with `rendezvous: false`). */
  readonly rendezvous: Readonly<RendezvousCounters> | undefined;
  /** The clients that can be introduced now: peer id, the address their packets come from, what they reported. */
  peers(): { peerId: string; observed: PeerAddress; reported: readonly PeerAddress[] }[];
}

const infos = new WeakMap<object, RtmfpListenerInfo>();

/** Records the info of a listener (transport internal). */
export function setListenerInfo(listener: Listener, info: RtmfpListenerInfo): void {
  infos.set(listener, info);
}

/** The RTMFP side of a listener made by `rtmfp().listen()`; undefined for other listeners. */
export function rtmfpListenerInfo(listener: Listener): RtmfpListenerInfo | undefined {
  return infos.get(listener);
}
