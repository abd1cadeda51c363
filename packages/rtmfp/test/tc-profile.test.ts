import { decodeCommand, MessageType } from '@rtmpkit/core';
import { describe, expect, it } from 'vitest';
import {
  PacketCipher,
  RtmfpSessionMachine,
  decodeSetKeepalive,
  decodeTcMessage,
  decodeTcMetadata,
  encodeSetKeepalive,
  encodeTcMessage,
  encodeTcMetadata,
  formatAddressText,
  isSetPeerInfo,
  openPacket,
  parseAddressText,
  readPeerInfo,
  type RecvFlow,
} from '../src/index.js';
import { captured } from './helpers/capture.js';
import { hex } from './helpers/hex.js';

// The session keys of the Flash Player 11.7 capture (decrypted.txt).
const INITIATOR_TO_RESPONDER = new PacketCipher(hex`ca3e6206c4fe662bbd950e8d03574e35`);
const RESPONDER_TO_INITIATOR = new PacketCipher(hex`bc4b145aafb0f8287b3cf87bd036acf0`);

describe('TC metadata and messages (RFC 7425 §5.1)', () => {
  it('encodes the control flow as 54 43 04 00 and a stream as 54 43 04 <VLU>', () => {
    expect(encodeTcMetadata({ streamId: 0, receiveIntent: 'sequence' })).toEqual(hex`54 43 04 00`);
    expect(encodeTcMetadata({ streamId: 200, receiveIntent: 'network' })).toEqual(hex`54 43 05 81 48`);
    expect(decodeTcMetadata(hex`54 43 05 81 48`)).toEqual({ streamId: 200, receiveIntent: 'network' });
    expect(decodeTcMetadata(hex`47 43 04 00`)).toBeUndefined(); // NetGroup
    expect(decodeTcMetadata(hex`54 43 00 00`)).toBeUndefined(); // no stream id
    expect(decodeTcMetadata(hex`54 43 04 ff`)).toBeUndefined(); // truncated VLU
  });

  it('a TC message is type, timestamp and payload; the stream comes from the flow', () => {
    const bytes = encodeTcMessage({ type: 9, timestamp: 0x01020304, payload: hex`17 01` });
    expect(bytes).toEqual(hex`09 01020304 17 01`);
    expect(decodeTcMessage(bytes, 3)).toEqual({ type: 9, streamId: 3, timestamp: 0x01020304, payload: hex`17 01` });
    expect(() => decodeTcMessage(hex`09 0102`, 0)).toThrow(/header/);
  });

  it('Set Keepalive carries two periods in ms, each raised to 5 s on reading', () => {
    expect(encodeSetKeepalive({ serverMs: 15_000, peerMs: 10_000 })).toEqual(hex`0029 00003a98 00002710`);
    expect(decodeSetKeepalive(hex`0029 00003a98 00002710`)).toEqual({ serverMs: 15_000, peerMs: 10_000 });
    expect(decodeSetKeepalive(hex`0000 00000001`)).toBeUndefined();
  });

  it('setPeerInfo addresses: IPv4 and bracketed IPv6 text', () => {
    expect(parseAddressText('192.168.1.2:1935')).toEqual({ host: '192.168.1.2', port: 1935, origin: 'reported' });
    expect(parseAddressText('[2001:db8::1]:5')).toEqual({ host: '2001:db8::1', port: 5, origin: 'reported' });
    expect(parseAddressText('example.com:80')).toBeUndefined();
    expect(parseAddressText('1.2.3.4:99999')).toBeUndefined();
    expect(formatAddressText({ host: '::1', port: 9 })).toBe('[::1]:9');
  });
});

describe("the Flash Player 11.7 capture through the session machine", () => {
  it('opens the control flow, reads connect and setPeerInfo, and answers with acks', () => {
    const flows: RecvFlow[] = [];
    const messages: { flow: number; data: Buffer }[] = [];
    const machine = new RtmfpSessionMachine(0, {
      incomingFlow: (flow) => {
        flows.push(flow);
        flow.accept((data) => messages.push({ flow: flow.id, data }));
      },
      closed: () => {},
    });
    for (const [name, at] of [['5', 10], ['7', 20], ['8', 30]] as const) {
      const packet = openPacket(captured(name), INITIATOR_TO_RESPONDER);
      expect(packet.mode).toBe('initiator');
      machine.receive(packet, at);
    }
    expect(flows.map((flow) => [flow.id, decodeTcMetadata(flow.metadata)])).toEqual([[2, { streamId: 0, receiveIntent: 'sequence' }]]);
    expect(messages).toHaveLength(2);
    const connect = decodeTcMessage(messages[0]!.data, 0);
    expect(connect.type).toBe(MessageType.CommandAmf0);
    const command = decodeCommand(connect);
    expect(command.name).toBe('connect');
    expect(command.commandObject).toMatchObject({ flashVer: 'WIN 11,7,700,202', tcUrl: 'rtmfp://192.168.137.183/', objectEncoding: 3 });
    const setPeerInfo = decodeTcMessage(messages[1]!.data, 0);
    expect(setPeerInfo.type).toBe(MessageType.CommandAmf3);
    expect(isSetPeerInfo(setPeerInfo)).toBe(true);
    expect(isSetPeerInfo(connect)).toBe(false);
    expect(readPeerInfo(setPeerInfo)).toEqual([
      { host: '192.168.137.1', port: 55655, origin: 'reported' },
      { host: '192.168.202.99', port: 55655, origin: 'reported' },
    ]);
    // Two packets with user data: the acknowledgement is due now, not after the delay.
    expect(machine.nextWakeup()).toBe(Number.NEGATIVE_INFINITY);
    const [answer] = machine.poll(40);
    expect(answer!.chunks.map((chunk) => chunk.type)).toEqual([0x51]);
    expect(answer!.timestampEcho).toBeDefined();
  });

  it("reads the server's Set Keepalive in packet 9 (go-rtmfp sent seconds; they are raised to 5 s)", () => {
    const packet = openPacket(captured('9'), RESPONDER_TO_INITIATOR);
    const userData = packet.chunks.find((chunk) => chunk.type === 0x10)!;
    // flags 00, flow 2, seq 2, fsn offset 2; the option list go-rtmfp wrongly added despite the flag; then the message.
    const message = decodeTcMessage(userData.payload.subarray(userData.payload.length - 15), 0);
    expect(message.type).toBe(MessageType.UserControl);
    expect(decodeSetKeepalive(message.payload)).toEqual({ serverMs: 5000, peerMs: 5000 });
  });
});
