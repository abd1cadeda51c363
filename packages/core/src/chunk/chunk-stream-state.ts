/**
 * What the decoder remembers about one chunk stream: the header in force (fmt 1/2/3 headers
 * inherit from it) and the message being reassembled, if any.
 */
export class ChunkStreamState {
  /** Absolute timestamp of the last message that started on this chunk stream. */
  timestamp = 0;
  /** Delta a fmt 3 new message adds; after fmt 0 it is that header's absolute timestamp (spec §5.3.1.2.4). */
  delta = 0;
  /** Message length, type and message stream id of the header in force. */
  length = 0;
  type = 0;
  streamId = 0;
  /** The last fmt 0/1/2 header used 0xFFFFFF, so fmt 3 chunks carry the 4-byte field too. */
  extended = false;
  /** The message being reassembled (exactly `length` bytes), or null between messages. */
  payload: Buffer | null = null;
  /** Bytes of `payload` filled so far. */
  received = 0;
  /** With `reuseBuffersUpTo`: the buffer the next message may be reassembled in. */
  spare: Buffer | null = null;

  constructor(readonly id: number) {}
}
