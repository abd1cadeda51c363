import { RtmpProtocolError } from '@rtmpkit/core';
import { describe, expect, it } from 'vitest';
import { bitmapToRanges, decodeChunk, encodeAckRanges, encodeChunk, flowFragments, type Chunk, type RawChunk } from '../src/index.js';
import { hex } from './helpers/hex.js';

function both(type: number, payload: Buffer, chunk: Chunk): void {
  const raw: RawChunk = { type, payload };
  expect(decodeChunk(raw)).toEqual(chunk);
  expect(encodeChunk(chunk)).toEqual(raw);
}

describe('session chunks (RFC 7016 §2.3.9–2.3.18)', () => {
  it('Ping 0x01 and Ping Reply 0x41 carry any bytes; an empty ping is a keepalive', () => {
    both(0x01, hex`4d 01 02`, { kind: 'ping', message: hex`4d 01 02` });
    both(0x41, hex`4d 01 02`, { kind: 'ping-reply', message: hex`4d 01 02` });
    both(0x01, hex``, { kind: 'ping', message: hex`` });
  });

  it('User Data 0x10 as Flash opens its NetConnection flow (capture packet 5)', () => {
    both(0x10, hex`
      80              # flags: options present, whole message
      02              # flow id 2
      01              # sequence number 1
      01              # fsn offset 1 (forward sequence number 0)
      05 00 54 43 04 00   # option: metadata "TC" 04 00 (NetConnection, stream 0)
      00              # marker: end of options
      14 00 00 00 00  # data: TC message type 20 (AMF0 command), timestamp 0 ...
    `, {
      kind: 'user-data',
      flowId: 2,
      sequenceNumber: 1,
      fsnOffset: 1,
      fragmentation: 'whole',
      abandon: false,
      final: false,
      options: { metadata: hex`54 43 04 00` },
      data: hex`14 00 00 00 00`,
    });
  });

  it('User Data with a return flow association (capture packet 6)', () => {
    both(0x10, hex`
      80 01 01 01         # options, flow 1, sequence 1, fsn offset 1
      05 00 54 43 04 00   # metadata
      02 0a 02            # return flow association: flow 2
      00                  # marker
      14                  # data
    `, {
      kind: 'user-data',
      flowId: 1,
      sequenceNumber: 1,
      fsnOffset: 1,
      fragmentation: 'whole',
      abandon: false,
      final: false,
      options: { metadata: hex`54 43 04 00`, returnFlowId: 2 },
      data: hex`14`,
    });
  });

  it('User Data fragment control, abandon and final bits', () => {
    both(0x10, hex`
      33        # FRA 0x30 (middle), ABN 0x02, FIN 0x01
      05 81 00 00   # flow 5, sequence 128, fsn offset 0
    `, {
      kind: 'user-data',
      flowId: 5,
      sequenceNumber: 128,
      fsnOffset: 0,
      fragmentation: 'middle',
      abandon: true,
      final: true,
      data: hex``,
    });
    expect(decodeChunk({ type: 0x10, payload: hex`10 01 01 00` })).toMatchObject({ fragmentation: 'begin' });
    expect(decodeChunk({ type: 0x10, payload: hex`20 01 01 00` })).toMatchObject({ fragmentation: 'end' });
  });

  it('User Data keeps unknown options for the flow to judge', () => {
    both(0x10, hex`80 01 01 00  03 c0 00 ff  02 2a 07  00  99`, {
      kind: 'user-data',
      flowId: 1,
      sequenceNumber: 1,
      fsnOffset: 0,
      fragmentation: 'whole',
      abandon: false,
      final: false,
      options: { others: [{ type: 0x2000, value: hex`ff` }, { type: 0x2a, value: hex`07` }] },
      data: hex`99`,
    });
  });

  it('User Data without the options flag reads option-looking bytes as data (capture packet 9, a go-rtmfp bug)', () => {
    const chunk = decodeChunk({ type: 0x10, payload: hex`00 01 02 02 05 00 54 43 04 00 02 0a 02 00 04` });
    expect(chunk).toMatchObject({ kind: 'user-data', flowId: 1, sequenceNumber: 2, fsnOffset: 2, data: hex`05 00 54 43 04 00 02 0a 02 00 04` });
    expect(chunk).not.toHaveProperty('options');
  });

  it('User Data refuses an fsn offset above the sequence number, and unterminated options', () => {
    expect(() => decodeChunk({ type: 0x10, payload: hex`00 01 01 02` })).toThrow(RtmpProtocolError);
    expect(() => decodeChunk({ type: 0x10, payload: hex`80 01 01 00 05 00 54 43 04 00` })).toThrow(RtmpProtocolError);
    expect(() => decodeChunk({ type: 0x10, payload: hex`80 01 01 00 04 0a 81 00 07 00` })).toThrow(RtmpProtocolError); // association value with a trailing byte
  });

  it('Next User Data 0x11 (capture packet 8: setPeerInfo after a User Data)', () => {
    both(0x11, hex`
      00                      # flags: whole, no options
      00 00 00 82 00 02       # data (TC message starts)
    `, { kind: 'next-user-data', fragmentation: 'whole', abandon: false, final: false, data: hex`00 00 00 82 00 02` });
  });

  it('Next User Data takes the flow and the next sequence number from the chunk before it', () => {
    const chunks = [
      decodeChunk({ type: 0x10, payload: hex`00 02 02 01 aa` }),
      decodeChunk({ type: 0x51, payload: hex`01 7f 00` }),
      decodeChunk({ type: 0x11, payload: hex`20 bb` }),
      decodeChunk({ type: 0x11, payload: hex`00 cc` }),
    ];
    expect(flowFragments(chunks).map((f) => [f.flowId, f.sequenceNumber, f.forwardSequenceNumber, f.fragmentation, f.data[0]])).toEqual([
      [2, 2, 1, 'whole', 0xaa],
      [2, 3, 1, 'end', 0xbb],
      [2, 4, 1, 'whole', 0xcc],
    ]);
    expect(() => flowFragments([decodeChunk({ type: 0x11, payload: hex`00` })])).toThrow(RtmpProtocolError);
  });

  it('Data Ack Ranges 0x51 (capture packets 6 and 7)', () => {
    both(0x51, hex`
      02        # flow id 2
      7f        # 127 KiB of buffer available
      01        # cumulative ack 1
    `, { kind: 'ack-ranges', flowId: 2, bufferBlocksAvailable: 127, cumulativeAck: 1, ranges: [] });
    both(0x51, hex`01 ff 7f 01`, { kind: 'ack-ranges', flowId: 1, bufferBlocksAvailable: 16383, cumulativeAck: 1, ranges: [] });
  });

  it('Data Ack Ranges counts holes and runs from the end of the previous run', () => {
    both(0x51, hex`
      03 10 05   # flow 3, 16 blocks, cumulative ack 5 (6 is missing)
      00 02      # one hole (6), then 3 received: 7..9
      01 00      # two holes (10, 11), then 1 received: 12
    `, {
      kind: 'ack-ranges',
      flowId: 3,
      bufferBlocksAvailable: 16,
      cumulativeAck: 5,
      ranges: [{ from: 7, to: 9 }, { from: 12, to: 12 }],
    });
  });

  it('Data Ack Ranges ignores a cut last pair', () => {
    expect(decodeChunk({ type: 0x51, payload: hex`03 10 05 00 02 01` })).toMatchObject({ ranges: [{ from: 7, to: 9 }] });
    expect(decodeChunk({ type: 0x51, payload: hex`03 10 05 00 02 01 81` })).toMatchObject({ ranges: [{ from: 7, to: 9 }] });
  });

  it('Data Ack Ranges refuses ranges that cannot be expressed', () => {
    const header = { flowId: 1, bufferBlocksAvailable: 1, cumulativeAck: 5 };
    expect(() => encodeAckRanges({ ...header, ranges: [{ from: 6, to: 7 }] })).toThrow(RangeError); // 6 would be cumulative
    expect(() => encodeAckRanges({ ...header, ranges: [{ from: 7, to: 8 }, { from: 9, to: 9 }] })).toThrow(RangeError); // touching
    expect(() => encodeAckRanges({ ...header, ranges: [{ from: 9, to: 8 }] })).toThrow(RangeError);
  });

  it('Data Ack Bitmap 0x50: bit 0 of the first byte is cumulative ack + 2', () => {
    both(0x50, hex`
      03 10 05   # flow 3, 16 blocks, cumulative ack 5
      0b 80      # bits 0, 1, 3 → 7, 8, 10; bit 15 → 22
    `, { kind: 'ack-bitmap', flowId: 3, bufferBlocksAvailable: 16, cumulativeAck: 5, bitmap: hex`0b 80` });
    expect(bitmapToRanges(5, hex`0b 80`)).toEqual([{ from: 7, to: 8 }, { from: 10, to: 10 }, { from: 22, to: 22 }]);
    expect(bitmapToRanges(0, hex`ff`)).toEqual([{ from: 2, to: 9 }]);
  });

  it('Buffer Probe 0x18 and Flow Exception Report 0x5e', () => {
    both(0x18, hex`81 00`, { kind: 'buffer-probe', flowId: 128 });
    both(0x5e, hex`
      02     # flow id 2
      00     # exception code 0 (what Cumulus and MonaServer send)
    `, { kind: 'flow-exception', flowId: 2, exceptionCode: 0 });
  });

  it('Session Close Request 0x0c and Close Ack 0x4c are empty (capture packet 11: 4c 0000)', () => {
    both(0x0c, hex``, { kind: 'close' });
    both(0x4c, hex``, { kind: 'close-ack' });
  });

  it('unknown types pass through untouched (the ECN report 0xec of rtmfp-cpp)', () => {
    both(0xec, hex`03`, { kind: 'unknown', type: 0xec, payload: hex`03` });
  });
});
