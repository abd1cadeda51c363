import { ByteReader, ByteWriter } from '@rtmpkit/core';
import { readAddress, writeAddress, type PeerAddress } from '../address.js';
import type { RawChunk } from '../chunk-frame.js';
import { readVluField, writeVluField } from '../vlu.js';
import { ChunkType } from './chunk-type.js';

/** IHello: `EPD (VLU field) | tag (rest)`. Sent from session id 0 to open a session. */
export interface IHelloChunk {
  readonly kind: 'ihello';
  /** Endpoint discriminator: which far end the initiator wants (an option list). */
  readonly epd: Buffer;
  /** The initiator's random tag (Flash: 16 bytes); answers echo it. */
  readonly tag: Buffer;
}

/** FIHello: `EPD (VLU field) | reply address | tag (rest)`, forwarded inside an open session. */
export interface FIHelloChunk {
  readonly kind: 'fihello';
  readonly epd: Buffer;
  /** Where the original initiator can be reached. */
  readonly replyAddress: PeerAddress;
  readonly tag: Buffer;
}

/** RHello: `tag echo (VLU field) | cookie (VLU field) | responder certificate (rest)`. */
export interface RHelloChunk {
  readonly kind: 'rhello';
  readonly tagEcho: Buffer;
  readonly cookie: Buffer;
  readonly certificate: Buffer;
}

/** Redirect: `tag echo (VLU field) | address*`. An empty list means "try the sender". */
export interface RedirectChunk {
  readonly kind: 'redirect';
  readonly tagEcho: Buffer;
  readonly addresses: PeerAddress[];
}

/** RHello Cookie Change: `old cookie (VLU field) | new cookie (rest)`. */
export interface CookieChangeChunk {
  readonly kind: 'cookie-change';
  readonly oldCookie: Buffer;
  readonly newCookie: Buffer;
}

function rest(reader: ByteReader): Buffer {
  return reader.bytes(reader.remaining);
}

function frame(type: number, writer: ByteWriter): RawChunk {
  return { type, payload: writer.finish() };
}

/** Frames an IHello. */
export function encodeIHello(chunk: Omit<IHelloChunk, 'kind'>): RawChunk {
  const writer = new ByteWriter(chunk.epd.length + chunk.tag.length + 4);
  writeVluField(writer, chunk.epd);
  writer.bytes(chunk.tag);
  return frame(ChunkType.IHello, writer);
}

/** Reads an IHello payload. */
export function decodeIHello(payload: Buffer): IHelloChunk {
  const reader = new ByteReader(payload);
  const epd = readVluField(reader);
  return { kind: 'ihello', epd, tag: rest(reader) };
}

/** Frames an FIHello. */
export function encodeFIHello(chunk: Omit<FIHelloChunk, 'kind'>): RawChunk {
  const writer = new ByteWriter(chunk.epd.length + chunk.tag.length + 24);
  writeVluField(writer, chunk.epd);
  writeAddress(writer, chunk.replyAddress);
  writer.bytes(chunk.tag);
  return frame(ChunkType.FIHello, writer);
}

/** Reads an FIHello payload. */
export function decodeFIHello(payload: Buffer): FIHelloChunk {
  const reader = new ByteReader(payload);
  const epd = readVluField(reader);
  const replyAddress = readAddress(reader);
  return { kind: 'fihello', epd, replyAddress, tag: rest(reader) };
}

/** Frames an RHello. */
export function encodeRHello(chunk: Omit<RHelloChunk, 'kind'>): RawChunk {
  const writer = new ByteWriter(chunk.tagEcho.length + chunk.cookie.length + chunk.certificate.length + 8);
  writeVluField(writer, chunk.tagEcho);
  writeVluField(writer, chunk.cookie);
  writer.bytes(chunk.certificate);
  return frame(ChunkType.RHello, writer);
}

/** Reads an RHello payload. */
export function decodeRHello(payload: Buffer): RHelloChunk {
  const reader = new ByteReader(payload);
  const tagEcho = readVluField(reader);
  const cookie = readVluField(reader);
  return { kind: 'rhello', tagEcho, cookie, certificate: rest(reader) };
}

/** Frames a Redirect. */
export function encodeRedirect(chunk: Omit<RedirectChunk, 'kind'>): RawChunk {
  const writer = new ByteWriter(chunk.tagEcho.length + chunk.addresses.length * 19 + 4);
  writeVluField(writer, chunk.tagEcho);
  for (const address of chunk.addresses) writeAddress(writer, address);
  return frame(ChunkType.Redirect, writer);
}

/** Reads a Redirect payload; a partial address at the end is an error. */
export function decodeRedirect(payload: Buffer): RedirectChunk {
  const reader = new ByteReader(payload);
  const tagEcho = readVluField(reader);
  const addresses: PeerAddress[] = [];
  while (reader.remaining > 0) addresses.push(readAddress(reader));
  return { kind: 'redirect', tagEcho, addresses };
}

/** Frames a cookie change. */
export function encodeCookieChange(chunk: Omit<CookieChangeChunk, 'kind'>): RawChunk {
  const writer = new ByteWriter(chunk.oldCookie.length + chunk.newCookie.length + 4);
  writeVluField(writer, chunk.oldCookie);
  writer.bytes(chunk.newCookie);
  return frame(ChunkType.CookieChange, writer);
}

/** Reads a cookie change payload. */
export function decodeCookieChange(payload: Buffer): CookieChangeChunk {
  const reader = new ByteReader(payload);
  const oldCookie = readVluField(reader);
  return { kind: 'cookie-change', oldCookie, newCookie: rest(reader) };
}
