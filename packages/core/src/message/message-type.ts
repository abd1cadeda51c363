/**
 * RTMP message type ids (RTMP spec §5.4 and §7.1). The id is the `type` of an `RtmpMessage`;
 * for audio (8), video (9) and AMF0 data (18) it equals the FLV TagType as well.
 * Id 7 (an nginx-only edge/origin message) is unused in practice and left out.
 */
export const MessageType = {
  SetChunkSize: 1,
  Abort: 2,
  Acknowledgement: 3,
  UserControl: 4,
  WindowAcknowledgementSize: 5,
  SetPeerBandwidth: 6,
  Audio: 8,
  Video: 9,
  /** AMF3 data message: format byte 0x00, then AMF0 values (0x11 switches one value to AMF3). */
  DataAmf3: 15,
  /** AMF3 shared-object message: format byte, then the shared-object body. */
  SharedObjectAmf3: 16,
  /** AMF3 command message: format byte 0x00, then the command in AMF0 (0x11 switches one value). */
  CommandAmf3: 17,
  DataAmf0: 18,
  SharedObjectAmf0: 19,
  CommandAmf0: 20,
  Aggregate: 22,
} as const;

/** One of the `MessageType` ids. */
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

const messageTypeNames = new Map<number, string>(Object.entries(MessageType).map(([name, id]) => [id, name]));

/** The `MessageType` key for a type id (e.g. `"Video"`), or undefined for an id RTMP does not define. */
export function messageTypeName(type: number): keyof typeof MessageType | undefined {
  return messageTypeNames.get(type) as keyof typeof MessageType | undefined;
}

/** True for the protocol control messages (types 1, 2, 3, 5, 6), which act on arrival at the chunk layer. */
export function isProtocolControlType(type: number): boolean {
  return type >= MessageType.SetChunkSize && type <= MessageType.SetPeerBandwidth && type !== MessageType.UserControl;
}
