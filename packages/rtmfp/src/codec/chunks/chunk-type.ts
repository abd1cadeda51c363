/** Chunk type codes (RFC 7016 §2.3). */
export const ChunkType = {
  /** Packet Fragment, for startup packets larger than the path MTU (§2.3.1). */
  PacketFragment: 0x7f,
  /** Initiator Hello (§2.3.2). */
  IHello: 0x30,
  /** Forwarded Initiator Hello (§2.3.3). */
  FIHello: 0x0f,
  /** Responder Hello (§2.3.4). */
  RHello: 0x70,
  /** Responder Redirect (§2.3.5). */
  Redirect: 0x71,
  /** RHello Cookie Change (§2.3.6). */
  CookieChange: 0x79,
  /** Initiator Initial Keying (§2.3.7). */
  IIKeying: 0x38,
  /** Responder Initial Keying (§2.3.8). */
  RIKeying: 0x78,
  /** Ping (§2.3.9). */
  Ping: 0x01,
  /** Ping Reply (§2.3.10). */
  PingReply: 0x41,
  /** User Data (§2.3.11). */
  UserData: 0x10,
  /** Next User Data (§2.3.12). */
  NextUserData: 0x11,
  /** Data Acknowledgement Bitmap (§2.3.13). */
  AckBitmap: 0x50,
  /** Data Acknowledgement Ranges (§2.3.14). */
  AckRanges: 0x51,
  /** Buffer Probe (§2.3.15). */
  BufferProbe: 0x18,
  /** Flow Exception Report (§2.3.16). */
  FlowException: 0x5e,
  /** Session Close Request (§2.3.17). */
  Close: 0x0c,
  /** Session Close Acknowledgement (§2.3.18). */
  CloseAck: 0x4c,
} as const;

/** One of the known chunk type codes. */
export type ChunkTypeCode = (typeof ChunkType)[keyof typeof ChunkType];
