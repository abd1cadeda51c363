import fc from 'fast-check';
import { bytesToIp, type Chunk, type PeerAddress, type SequenceRange } from '../../src/index.js';

const bytes = (maxLength = 40) => fc.uint8Array({ maxLength }).map((b) => Buffer.from(b));
const vlu = fc.nat({ max: 2 ** 40 });
const sessionId = fc.integer({ min: 1, max: 0xffffffff });

export const peerAddress: fc.Arbitrary<PeerAddress> = fc.record({
  host: fc.oneof(fc.ipV4(), fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => bytesToIp(b))),
  port: fc.integer({ min: 0, max: 0xffff }),
  origin: fc.constantFrom('unspecified', 'reported', 'observed', 'relay' as const),
});

/** IPv4 text that decodes to itself (no leading zeros), for exact round trips. */
const canonicalAddress = peerAddress.map((a) => ({ ...a, host: a.host.includes(':') ? a.host : a.host.split('.').map(Number).join('.') }));

const ranges: fc.Arbitrary<{ cumulativeAck: number; ranges: SequenceRange[] }> = fc
  .record({ cumulativeAck: fc.nat({ max: 1_000_000 }), steps: fc.array(fc.tuple(fc.nat({ max: 300 }), fc.nat({ max: 300 })), { maxLength: 6 }) })
  .map(({ cumulativeAck, steps }) => {
    const out: SequenceRange[] = [];
    let cursor = cumulativeAck;
    for (const [holes, received] of steps) {
      const from = cursor + holes + 2;
      out.push({ from, to: from + received });
      cursor = from + received;
    }
    return { cumulativeAck, ranges: out };
  });

const fragment = {
  fragmentation: fc.constantFrom('whole', 'begin', 'end', 'middle' as const),
  abandon: fc.boolean(),
  final: fc.boolean(),
  data: bytes(60),
};

const userDataOptions = fc.option(
  fc.record(
    {
      metadata: bytes(12),
      returnFlowId: vlu,
      others: fc.array(fc.record({ type: fc.integer({ min: 0x0b, max: 0x4000 }), value: bytes(6) }), { minLength: 1, maxLength: 3 }),
    },
    { requiredKeys: [] },
  ),
  { nil: undefined },
);

/** Any chunk this codec knows, built so that encode then decode gives it back exactly. */
export const anyChunk: fc.Arbitrary<Chunk> = fc.oneof(
  fc.record({ kind: fc.constant('fragment' as const), more: fc.boolean(), packetId: vlu, fragmentNumber: vlu, data: bytes() }),
  fc.record({ kind: fc.constant('ihello' as const), epd: bytes(), tag: bytes(20) }),
  fc.record({ kind: fc.constant('fihello' as const), epd: bytes(), replyAddress: canonicalAddress, tag: bytes(20) }),
  fc.record({ kind: fc.constant('rhello' as const), tagEcho: bytes(20), cookie: bytes(70), certificate: bytes(140) }),
  fc.record({ kind: fc.constant('redirect' as const), tagEcho: bytes(20), addresses: fc.array(canonicalAddress, { maxLength: 4 }) }),
  fc.record({ kind: fc.constant('cookie-change' as const), oldCookie: bytes(70), newCookie: bytes(70) }),
  fc.record({ kind: fc.constant('iikeying' as const), initiatorSessionId: sessionId, cookie: bytes(70), certificate: bytes(140), skic: bytes(80), signature: bytes(2) }),
  fc.record({ kind: fc.constant('rikeying' as const), responderSessionId: sessionId, skrc: bytes(140), signature: bytes(2) }),
  fc.record({ kind: fc.constant('ping' as const), message: bytes() }),
  fc.record({ kind: fc.constant('ping-reply' as const), message: bytes() }),
  fc
    .record({ kind: fc.constant('user-data' as const), flowId: vlu, sequenceNumber: vlu, offsetFraction: fc.double({ min: 0, max: 1, noNaN: true }), options: userDataOptions, ...fragment })
    .map(({ offsetFraction, options, ...rest }) => ({
      ...rest,
      fsnOffset: Math.floor(rest.sequenceNumber * offsetFraction),
      ...(options && { options }),
    })),
  fc.record({ kind: fc.constant('next-user-data' as const), options: userDataOptions, ...fragment }).map(({ options, ...rest }) => ({ ...rest, ...(options && { options }) })),
  fc.record({ kind: fc.constant('ack-bitmap' as const), flowId: vlu, bufferBlocksAvailable: vlu, cumulativeAck: vlu, bitmap: bytes(8) }),
  fc.record({ kind: fc.constant('ack-ranges' as const), flowId: vlu, bufferBlocksAvailable: vlu, span: ranges }).map(({ span, ...rest }) => ({ ...rest, ...span })),
  fc.record({ kind: fc.constant('buffer-probe' as const), flowId: vlu }),
  fc.record({ kind: fc.constant('flow-exception' as const), flowId: vlu, exceptionCode: vlu }),
  fc.constant({ kind: 'close' as const }),
  fc.constant({ kind: 'close-ack' as const }),
  fc.record({ kind: fc.constant('unknown' as const), type: fc.constantFrom(0x02, 0x20, 0x40, 0x60, 0x80, 0xec, 0xfe), payload: bytes() }),
);
