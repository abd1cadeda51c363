/** RTMFP's own User Control events (RFC 7425 §5.2–5.3.4). */
export const TcUserControl = {
  /** Flow Sync: sync id (32) and flow count (32), to line up a stream's flows. */
  FlowSync: 34,
  /** Set Keepalive: server keepalive (32, ms) and peer keepalive (32, ms). */
  SetKeepalive: 41,
} as const;

/** Keepalive periods a server tells its client, in ms (at least 5000 each, RFC 7425 §5.3.4). */
export interface KeepalivePeriods {
  readonly serverMs: number;
  readonly peerMs: number;
}

/** The User Control payload of Set Keepalive: `00 29 | server ms | peer ms`. */
export function encodeSetKeepalive(periods: KeepalivePeriods): Buffer {
  const bytes = Buffer.alloc(10);
  bytes.writeUInt16BE(TcUserControl.SetKeepalive, 0);
  bytes.writeUInt32BE(periods.serverMs >>> 0, 2);
  bytes.writeUInt32BE(periods.peerMs >>> 0, 6);
  return bytes;
}

/** Reads Set Keepalive from a User Control payload, raising each period to 5 s; undefined for other events. */
export function decodeSetKeepalive(payload: Buffer): KeepalivePeriods | undefined {
  if (payload.length < 10 || payload.readUInt16BE(0) !== TcUserControl.SetKeepalive) return undefined;
  return { serverMs: Math.max(5000, payload.readUInt32BE(2)), peerMs: Math.max(5000, payload.readUInt32BE(6)) };
}
