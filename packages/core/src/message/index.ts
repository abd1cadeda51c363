export type { RtmpMessage } from './rtmp-message.js';
export { MessageType, messageTypeName, isProtocolControlType } from './message-type.js';
export {
  DEFAULT_MAX_AMF_VALUES,
  DEFAULT_MAX_AGGREGATE_MESSAGES,
  DEFAULT_MAX_MEDIA_TRACKS,
  DEFAULT_MAX_MODEX_ENTRIES,
  DEFAULT_MAX_SHARED_OBJECT_EVENTS,
} from './limits.js';

export {
  SET_CHUNK_SIZE_MAX,
  encodeSetChunkSize,
  decodeSetChunkSize,
  encodeAbort,
  decodeAbort,
  encodeAcknowledgement,
  decodeAcknowledgement,
  encodeWindowAcknowledgementSize,
  decodeWindowAcknowledgementSize,
} from './control/protocol-control.js';
export {
  PeerBandwidthLimitType,
  encodeSetPeerBandwidth,
  decodeSetPeerBandwidth,
  peerBandwidthLimitKind,
  type SetPeerBandwidth,
  type PeerBandwidthLimitKind,
  type PeerBandwidthDialect,
} from './control/set-peer-bandwidth.js';
export {
  UserControlEvent,
  SWF_VERIFICATION_RESPONSE_SIZE,
  decodeUserControl,
  encodeUserControl,
  userControlEventId,
  type UserControlMessage,
  type StreamUserControlKind,
  type StreamUserControl,
  type SetBufferLengthUserControl,
  type PingUserControl,
  type SwfVerificationRequestUserControl,
  type SwfVerificationResponseUserControl,
  type UnknownUserControl,
} from './control/user-control.js';

export type { AmfMessageDecodeOptions, AmfMessageEncodeOptions } from './command/amf-payload.js';
export {
  decodeCommand,
  encodeCommand,
  isCommandMessage,
  type RtmpCommand,
  type DecodeCommandOptions,
  type EncodeCommandOptions,
} from './command/command.js';
export {
  SET_DATA_FRAME,
  CLEAR_DATA_FRAME,
  ON_META_DATA,
  decodeData,
  encodeData,
  isDataMessage,
  isSetDataFrame,
  stripSetDataFrame,
  addSetDataFrame,
  type RtmpData,
  type DecodeDataOptions,
  type EncodeDataOptions,
} from './command/data.js';

export * from './media/index.js';

export { splitAggregate, buildAggregate, type AggregateOptions, type BuildAggregateOptions } from './aggregate/aggregate.js';

export {
  SharedObjectEventType,
  type SharedObjectEvent,
  type SharedObjectMessage,
  type SharedObjectProperty,
  type SharedObjectBareEvent,
  type SharedObjectChangeEvent,
  type SharedObjectNameEvent,
  type SharedObjectSendMessageEvent,
  type SharedObjectStatusEvent,
  type SharedObjectUnknownEvent,
} from './shared-object/shared-object-types.js';
export {
  SHARED_OBJECT_FLAGS_SIZE,
  decodeSharedObject,
  encodeSharedObject,
  type SharedObjectDecodeOptions,
  type SharedObjectEncodeOptions,
} from './shared-object/shared-object.js';
