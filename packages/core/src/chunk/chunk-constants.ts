/** Chunk size both directions start with, before any Set Chunk Size (spec §5.4.1). */
export const DEFAULT_CHUNK_SIZE = 128;

/** Largest chunk size the 31-bit Set Chunk Size field can carry. */
export const MAX_CHUNK_SIZE_FIELD = 0x7fffffff;

/** Lowest usable chunk stream id: 0 and 1 are escape codes of the basic header. */
export const MIN_CHUNK_STREAM_ID = 2;

/** Highest chunk stream id the 3-byte basic header can carry (65535 + 64). */
export const MAX_CHUNK_STREAM_ID = 65599;

/** A 24-bit timestamp or delta of this value means "the 4-byte extended field follows". */
export const EXTENDED_TIMESTAMP_MARKER = 0xffffff;

/** The message length field is 24 bits. */
export const MAX_MESSAGE_LENGTH = 0xffffff;

/** Message header size by header type (fmt 0..3), spec §5.3.1.2. */
export const MESSAGE_HEADER_SIZE: readonly number[] = [11, 7, 3, 0];

// Protocol control message types the chunk layer itself acts on or checks (spec §5.4).
/** Message type 1: Set Chunk Size. */
export const SET_CHUNK_SIZE = 1;
/** Message type 2: Abort (drop a chunk stream's partial message). */
export const ABORT = 2;
/** Message type 3: Acknowledgement. */
export const ACKNOWLEDGEMENT = 3;
/** Message type 5: Window Acknowledgement Size. */
export const WINDOW_ACK_SIZE = 5;
