import { decodeCommand, type RtmpMessage } from '@rtmpkit/core';
import type { PeerAddress } from '../codec/address.js';

/** The command a Flash client sends after connecting: its local addresses, for peer-to-peer introductions. */
export const SET_PEER_INFO = 'setPeerInfo';

const PREFIX = Buffer.concat([Buffer.of(0x02, 0x00, SET_PEER_INFO.length), Buffer.from(SET_PEER_INFO, 'latin1')]);

/** True when a command message (type 20, or 17 with its format byte) is `setPeerInfo`, without decoding it all. */
export function isSetPeerInfo(message: RtmpMessage): boolean {
  const offset = message.type === 17 ? 1 : message.type === 20 ? 0 : -1;
  return offset >= 0 && message.payload.length >= offset + PREFIX.length && message.payload.subarray(offset, offset + PREFIX.length).equals(PREFIX);
}

/** `"1.2.3.4:5"` or `"[::1]:5"` as an address (origin `reported`), or undefined. */
export function parseAddressText(text: string): PeerAddress | undefined {
  const match = /^\[([0-9a-fA-F:.%]+)\]:(\d{1,5})$/.exec(text) ?? /^(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})$/.exec(text);
  if (!match) return undefined;
  const port = Number(match[2]);
  return port <= 0xffff ? { host: match[1]!, port, origin: 'reported' } : undefined;
}

/** How `setPeerInfo` writes an address: `ip:port`, IPv6 in brackets. */
export function formatAddressText(address: { host: string; port: number }): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}

/** The addresses a `setPeerInfo` command reports (strings that do not parse are skipped). */
export function readPeerInfo(message: RtmpMessage): PeerAddress[] {
  const { args } = decodeCommand(message);
  return args.flatMap((value) => (typeof value === 'string' ? [parseAddressText(value)].filter((a): a is PeerAddress => a !== undefined) : []));
}
