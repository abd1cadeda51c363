// @rtmpkit/rtmfp: RTMFP (RFC 7016) with Adobe's Flash profile (RFC 7425).
// This first part is pure: packet, chunk and handshake codecs, no sockets, no timers.

export {
  RtmfpPacketError,
  type RtmfpPacketProblem,
  RtmfpHandshakeError,
  type RtmfpHandshakeProblem,
  RtmfpPeerError,
  type RtmfpPeerProblem,
} from './errors.js';

// Packet layer
export { MAX_VLU_BYTES, vluLength, writeVlu, encodeVlu, readVlu, readVluField, writeVluField } from './codec/vlu.js';
export {
  type RtmfpOption,
  type OptionList,
  writeOption,
  encodeOption,
  encodeVluOption,
  writeMarker,
  readOptionList,
  decodeOptionList,
  encodeOptionList,
} from './codec/option.js';
export { ipToBytes, bytesToIp } from './codec/ip.js';
export { type AddressOrigin, type PeerAddress, writeAddress, encodeAddress, readAddress } from './codec/address.js';
export { internetChecksum } from './codec/checksum.js';
export { MIN_DATAGRAM_SIZE, peekSessionId, routeSessionId, scrambledSessionId } from './codec/session-id.js';
export { SEQUENCE_WINDOW, SequenceWindow } from './codec/sequence-window.js';
export { DEFAULT_SESSION_KEY, DEFAULT_CIPHER, PacketCipher } from './codec/packet-cipher.js';
export { type PacketMode, PacketFlag, type PacketHeader, encodeFlags, modeOfFlags } from './codec/packet-header.js';
export { type RawChunk, CHUNK_HEADER_SIZE, MAX_CHUNK_PAYLOAD, isPaddingChunkType, writeChunk, readChunks } from './codec/chunk-frame.js';
export {
  type RtmfpPacket,
  type PacketLimits,
  type PacketProtectionKeys,
  type SealProtection,
  type OpenProtection,
  type OpenedPacket,
  DEFAULT_MAX_DATAGRAM_SIZE,
  MAX_PACKET_OVERHEAD,
  datagramSize,
  encodePlainPacket,
  decodePlainPacket,
  openPacket,
  sealPacket,
} from './codec/packet.js';
export { type StartupPacketOptions, sealStartupPacket, openStartupPacket } from './codec/startup-packet.js';
export { TIMESTAMP_TICK_MS, timestampAt, timestampEcho, roundTripFromEcho } from './codec/timestamp.js';

// Chunks
export { ChunkType, type ChunkTypeCode } from './codec/chunks/chunk-type.js';
export { type Chunk, type UnknownChunk, decodeChunk, encodeChunk } from './codec/chunks/chunk.js';
export {
  type IHelloChunk,
  type FIHelloChunk,
  type RHelloChunk,
  type RedirectChunk,
  type CookieChangeChunk,
  encodeIHello,
  decodeIHello,
  encodeFIHello,
  decodeFIHello,
  encodeRHello,
  decodeRHello,
  encodeRedirect,
  decodeRedirect,
  encodeCookieChange,
  decodeCookieChange,
} from './codec/chunks/hello-chunks.js';
export { type IIKeyingChunk, type RIKeyingChunk, encodeIIKeying, decodeIIKeying, encodeRIKeying, decodeRIKeying } from './codec/chunks/keying-chunks.js';
export {
  UserDataFlag,
  UserDataOption,
  type Fragmentation,
  type UserDataOptions,
  type UserDataFragment,
  type UserDataChunk,
  type NextUserDataChunk,
  encodeUserData,
  decodeUserData,
  encodeNextUserData,
  decodeNextUserData,
} from './codec/chunks/user-data.js';
export { type FlowFragment, flowFragments } from './codec/chunks/user-data-run.js';
export {
  type SequenceRange,
  type AckHeader,
  type AckRangesChunk,
  type AckBitmapChunk,
  encodeAckRanges,
  decodeAckRanges,
  encodeAckBitmap,
  decodeAckBitmap,
  bitmapToRanges,
} from './codec/chunks/ack.js';
export {
  type PingChunk,
  type PingReplyChunk,
  type BufferProbeChunk,
  type FlowExceptionChunk,
  type CloseChunk,
  type CloseAckChunk,
  encodePing,
  encodePingReply,
  encodeBufferProbe,
  decodeBufferProbe,
  encodeFlowException,
  decodeFlowException,
  encodeClose,
  encodeCloseAck,
} from './codec/chunks/control-chunks.js';
export { type PacketFragmentChunk, encodePacketFragment, decodePacketFragment } from './codec/chunks/fragment.js';

// Flash crypto profile
export { type RandomSource, secureRandom } from './crypto/random.js';
export { type DhGroup, DH_GROUP_2, DH_GROUP_14, SUPPORTED_DH_GROUPS, dhGroup } from './crypto/dh-group.js';
export { DhKeyPair, generateDhKeyPair, checkDhPublicKey, stripLeadingZeros } from './crypto/dh.js';
export {
  CertificateOption,
  type CertificateFields,
  type FlashCertificate,
  encodeCertificate,
  decodeCertificate,
  certificateFingerprint,
  certificateGroups,
} from './crypto/certificate.js';
export { EpdOption, type EndpointDiscriminator, encodeEpd, decodeEpd, serverEpd, peerEpd, epdSelectsCertificate } from './crypto/epd.js';
export {
  KeyingOption,
  NegotiationFlag,
  type KeyingComponent,
  groupSelectOption,
  ephemeralKeyOption,
  extraRandomnessOption,
  hmacNegotiationOption,
  sseqNegotiationOption,
  decodeKeyingComponent,
  assertNoHmacOrSseq,
} from './crypto/keying-component.js';
export {
  type ProtectionPolicy,
  type PacketProtection,
  NO_PACKET_PROTECTION,
  MIN_HMAC_LENGTH,
  MAX_HMAC_LENGTH,
  isUnprotected,
  initiatorNegotiationOptions,
  responderNegotiationOptions,
  negotiateProtection,
} from './crypto/negotiation.js';
export { type SessionKeys, deriveSessionKeys } from './crypto/session-keys.js';

// Handshake
export { type HandshakeLimits, DEFAULT_HANDSHAKE_LIMITS } from './handshake/limits.js';
export { type CookieCheck, type CookieOptions, CookieJar } from './handshake/cookie.js';
export { type RtmfpIdentity, type IdentityOptions, createIdentity, flashClientIdentity, serverIdentity } from './handshake/identity.js';
export { type HandshakeResult } from './handshake/result.js';
export { FLASH_SIGNATURE, initiatorComponent, responderComponent } from './handshake/keying-layout.js';
export {
  type InitiatorOptions,
  type InitiatorState,
  type InitiatorStep,
  RtmfpInitiator,
} from './handshake/initiator.js';
export { type ResponderLimits, type ResponderOptions, type IIKeyingOutcome, type ResponderStep, RtmfpResponder } from './handshake/responder.js';

// Flows and sessions (pure: time passed in, no sockets)
export { Reassembly, type ReassemblyOutcome } from './flow/reassembly.js';
export { RecvFlow, type RecvFlowState, type RecvFlowLimits, type RecvFlowStats, type ArrivalKind } from './flow/recv-flow.js';
export { SendFlow, type SendFlowState, type SendFlowOptions, type AckOutcome, type FragmentToSend, INITIAL_PEER_WINDOW } from './flow/send-flow.js';
export { RttEstimator, RTO } from './session/rtt.js';
export { CongestionControl, CONGESTION } from './session/congestion.js';
export { SESSION_PACKET_BUDGET, CHUNK_SPACE } from './session/packet-builder.js';
export { type SessionMachineOptions, DEFAULT_SESSION_OPTIONS } from './session/session-options.js';
export { type SessionStats } from './session/session-stats.js';
export { RtmfpSessionMachine } from './session/session-machine.js';
export type { SessionMachineState, SessionMachineEvents, OutgoingPacket, IncomingPacket } from './session/session-types.js';

// Flash media profile (RFC 7425 §5): TC flows and messages
export { type TcMetadata, type ReceiveIntent, encodeTcMetadata, decodeTcMetadata } from './tc/tc-metadata.js';
export { TC_MESSAGE_HEADER, encodeTcMessage, decodeTcMessage } from './tc/tc-message.js';
export { TcUserControl, type KeepalivePeriods, encodeSetKeepalive, decodeSetKeepalive } from './tc/user-control.js';
export { SET_PEER_INFO, isSetPeerInfo, readPeerInfo, parseAddressText, formatAddressText } from './tc/peer-info.js';

// Transport over node:dgram
export { rtmfp, type RtmfpTransportOptions } from './transport/rtmfp-transport.js';
export { rtmfpSessionInfo, type RtmfpSessionInfo } from './transport/session-info.js';
export { RtmfpEndpoint } from './transport/endpoint.js';
export { type EndpointOptions, type EndpointCounters, type AcceptOptions, type OpenOptions } from './transport/endpoint-options.js';
export { EndpointSession, type EndpointSessionListener } from './transport/endpoint-session.js';
export { OpeningSession, HANDSHAKE_RETRY, MAX_CANDIDATES, MAX_REDIRECTS, openProgress, type OpenProgress } from './transport/opening-session.js';
export { RateLimiter, type RateLimit } from './transport/rate-limiter.js';
export { TcChannel, type TcChannelOptions } from './transport/tc-channel.js';
export { rtmfpListenerInfo, type RtmfpListenerInfo } from './transport/listener-info.js';

// Peer to peer (RFC 7016 §3.5.1.6, RFC 7425 §5.3): rendezvous on the server, direct sessions between clients
export { connectToPeer, acceptPeers, publishToPeers, peerSessions } from './transport/peers.js';
export { PEER_URL, type PeerRequest, type AcceptPeersOptions, type ConnectToPeerOptions } from './transport/peer-hub.js';
export { type PeerStream, type PeerStreamOptions, type PeerSubscriber } from './transport/peer-stream.js';
export { Rendezvous, type RendezvousOptions, type RendezvousCounters, type RegisteredPeer, type RendezvousHost } from './p2p/rendezvous.js';
