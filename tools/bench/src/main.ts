/**
 * Codec benchmarks of @rtmpkit/core against node-media-server's own codec, in one process.
 *
 *   pnpm bench                                 (from the repo root)
 *   pnpm bench --only decode --rounds 25       (options go after the script name)
 *
 * Options: --rounds N (default 15), --round-ms N (100), --warmup-ms N (400),
 *          --only TEXT (run rows whose name contains TEXT; repeatable), --piece-bytes N (65536),
 *          --side rtmpkit|nms (time one side only, e.g. under `node --cpu-prof`),
 *          --clock cpu|wall (default cpu: process CPU time, steady on a shared machine),
 *          --verbose (print every round's rate to stderr).
 *
 * Every row is checked for equal results on both sides before it is timed. Bounded: with the
 * defaults the measuring takes about 40 s on a 2-core machine (plus the build).
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { deepStrictEqual } from 'node:assert/strict';
import {
  ChunkDecoder,
  ChunkEncoder,
  MessageType,
  decodeAmf0Values,
  decodeCommand,
  decodeData,
  ecmaArray,
  encodeAmf0Values,
  type AmfValue,
  type RtmpMessage,
} from '@rtmpkit/core';
import { FFMPEG_CONNECT_BODY, connectValues } from './amf-fixtures.js';
import { FixtureError, chunkStreamIdFor, ensureFlv, loadStream, type StreamFixture } from './fixture.js';
import { measure, sink, type HarnessOptions, type RowResult, type RowSpec } from './harness.js';
import {
  NMS_OUT_CHUNK_SIZE,
  createNmsParser,
  nmsAmf0Decode,
  nmsAmf0Encode,
  nmsCreateMessage,
  nmsDecodeCommand,
  nmsDecodeData,
  nmsVersion,
  setChunkSizeChunk,
  toAvPacket,
  type NmsAvPacket,
} from './nms.js';

const log = (line: string): void => void process.stderr.write(`${line}\n`);

class UsageError extends Error {}

interface Decoded {
  type: number;
  timestamp: number;
  payload: Buffer;
}

const isMedia = (type: number): boolean => type === 8 || type === 9 || type === 18;

/** Cuts `stream` into views of `size` bytes, as a socket would deliver it. */
function pieces(stream: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let at = 0; at < stream.length; at += size) out.push(stream.subarray(at, Math.min(stream.length, at + size)));
  return out;
}

function rtmpkitEncodeStream(messages: readonly RtmpMessage[], chunkSize: number): Buffer {
  const encoder = new ChunkEncoder({ chunkSize });
  return Buffer.concat(messages.map((m) => encoder.encode(m, chunkStreamIdFor(m.type))));
}

/** A decoder that has already been sent a Set Chunk Size, as after a publisher's connect. */
function rtmpkitDecoder(chunkSize: number, reuseBuffersUpTo = 0): ChunkDecoder {
  const decoder = new ChunkDecoder({ reuseBuffersUpTo });
  decoder.push(setChunkSizeChunk(chunkSize), () => {});
  return decoder;
}

function decodeAllWithRtmpkit(stream: Buffer, chunkSize: number, pieceBytes: number, passes = 1, reuse = 0): Decoded[] {
  const decoder = rtmpkitDecoder(chunkSize, reuse);
  const out: Decoded[] = [];
  for (let pass = 0; pass < passes; pass++) {
    for (const piece of pieces(stream, pieceBytes)) {
      decoder.push(piece, (m) => {
        if (isMedia(m.type)) out.push({ type: m.type, timestamp: m.timestamp, payload: Buffer.from(m.payload) });
      });
    }
  }
  return out;
}

function decodeAllWithNms(stream: Buffer, chunkSize: number, pieceBytes: number, passes = 1): Decoded[] {
  const out: Decoded[] = [];
  const push = createNmsParser(chunkSize, (p: NmsAvPacket) => {
    out.push({ type: p.codec_type, timestamp: p.dts, payload: Buffer.from(p.data.subarray(0, p.size)) });
  });
  for (let pass = 0; pass < passes; pass++) for (const piece of pieces(stream, pieceBytes)) push(piece);
  return out;
}

function expectSameMessages(what: string, actual: Decoded[], expected: readonly RtmpMessage[]): void {
  if (actual.length !== expected.length) throw new Error(`${what}: ${actual.length} messages, expected ${expected.length}`);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (a.type !== e.type || a.timestamp !== e.timestamp || !a.payload.equals(e.payload)) {
      throw new Error(`${what}: message ${i} differs (type ${a.type}/${e.type}, timestamp ${a.timestamp}/${e.timestamp})`);
    }
  }
}

function chunkEncodeRow(fixture: StreamFixture, chunkSize: number): RowSpec {
  const { messages } = fixture;
  const csids = messages.map((m) => chunkStreamIdFor(m.type));
  const packets = messages.map(toAvPacket);

  // Both outputs must carry the same messages: rtmpkit's read back by NMS, NMS's by rtmpkit.
  const ours = rtmpkitEncodeStream(messages, chunkSize);
  expectSameMessages(`rtmpkit encode @${chunkSize} read by NMS`, decodeAllWithNms(ours, chunkSize, 65536), messages);
  const theirs = Buffer.concat(packets.map(nmsCreateMessage));
  expectSameMessages('NMS encode read by rtmpkit', decodeAllWithRtmpkit(theirs, NMS_OUT_CHUNK_SIZE, 65536), messages);

  const encoder = new ChunkEncoder({ chunkSize });
  const like = chunkSize === NMS_OUT_CHUNK_SIZE;
  return {
    name: `chunk encode @ ${chunkSize}`,
    unit: 'MB/s',
    workPerRun: fixture.payloadBytes,
    note: like ? 'like for like: NMS always encodes at 65535' : 'NMS column is at 65535, its only chunk size',
    rtmpkit: {
      run: () => {
        let bytes = 0;
        for (let i = 0; i < messages.length; i++) bytes += encoder.encode(messages[i]!, csids[i]!).length;
        return bytes;
      },
    },
    nms: {
      run: () => {
        let bytes = 0;
        for (let i = 0; i < packets.length; i++) bytes += nmsCreateMessage(packets[i]!).length;
        return bytes;
      },
    },
  };
}

/**
 * `reuse` > 0 decodes with `reuseBuffersUpTo`: payloads valid until the next message on their
 * chunk stream, which is what NMS's parser hands out (it reuses one buffer per chunk stream).
 */
function chunkDecodeRow(fixture: StreamFixture, chunkSize: number, pieceBytes: number, reuse = 0): RowSpec {
  const stream = rtmpkitEncodeStream(fixture.messages, chunkSize);
  const input = pieces(stream, pieceBytes);
  // Two passes through one decoder: the timed runs replay the stream into the same decoder.
  const twice = [...fixture.messages, ...fixture.messages];
  expectSameMessages(`rtmpkit decode @${chunkSize}`, decodeAllWithRtmpkit(stream, chunkSize, pieceBytes, 2, reuse), twice);
  expectSameMessages(`NMS decode @${chunkSize}`, decodeAllWithNms(stream, chunkSize, pieceBytes, 2), twice);

  let received = 0;
  const decoder = rtmpkitDecoder(chunkSize, reuse);
  const onMessage = (message: RtmpMessage): void => {
    received += message.payload.length;
  };
  const nmsPush = createNmsParser(chunkSize, (packet) => {
    received += packet.size;
  });
  return {
    name: reuse > 0 ? `chunk decode @ ${chunkSize}, reused buffers` : `chunk decode @ ${chunkSize}`,
    unit: 'MB/s',
    workPerRun: fixture.payloadBytes,
    note:
      reuse > 0
        ? `${(pieceBytes / 1024).toFixed(0)} KiB pieces; payloads valid until the next message on their chunk stream, as NMS's`
        : `${(pieceBytes / 1024).toFixed(0)} KiB pieces; every payload owned (the session's mode)`,
    rtmpkit: {
      run: () => {
        received = 0;
        for (let i = 0; i < input.length; i++) decoder.push(input[i]!, onMessage);
        return received;
      },
    },
    nms: {
      run: () => {
        received = 0;
        for (let i = 0; i < input.length; i++) nmsPush(input[i]!);
        return received;
      },
    },
  };
}

/** NMS writes an ECMA array for a JS Array and its enumerable keys; `length` gives the count field. */
function nmsEcmaArray(properties: Record<string, unknown>): unknown[] {
  const array: unknown[] = [];
  array.length = Object.keys(properties).length; // holes: not enumerated, only counted
  return Object.assign(array, properties);
}

function amfRows(fixture: StreamFixture): RowSpec[] {
  const connect = connectValues();
  const connectBody = FFMPEG_CONNECT_BODY;
  const metaBody = fixture.onMetaDataBody;
  const [metaName, metaObject] = decodeAmf0Values(metaBody) as [string, Record<string, AmfValue>];
  const ourMeta: AmfValue[] = [metaName, ecmaArray({ ...metaObject })];
  const nmsMeta: unknown[] = [metaName, nmsEcmaArray({ ...metaObject })];

  // Both encoders must write ffmpeg's exact bytes, and both decoders must read the same values.
  const sameBytes = (what: string, actual: Buffer, expected: Buffer): void => {
    if (!actual.equals(expected)) throw new Error(`${what}: bytes differ from ffmpeg's\n${actual.toString('hex')}\n${expected.toString('hex')}`);
  };
  sameBytes('rtmpkit connect', encodeAmf0Values(connect), connectBody);
  sameBytes('NMS connect', nmsAmf0Encode(connect), connectBody);
  sameBytes('rtmpkit onMetaData', encodeAmf0Values(ourMeta), metaBody);
  sameBytes('NMS onMetaData', nmsAmf0Encode(nmsMeta), metaBody);
  const plain = (values: unknown): unknown => JSON.parse(JSON.stringify(values));
  deepStrictEqual(plain(decodeAmf0Values(connectBody)), plain(nmsAmf0Decode(connectBody)));
  deepStrictEqual(plain(decodeAmf0Values(metaBody)), plain(nmsAmf0Decode(metaBody)));

  // One level up: the message-layer calls each server makes on an incoming connect / @setDataFrame.
  const connectMessage: RtmpMessage = { type: MessageType.CommandAmf0, streamId: 0, timestamp: 0, payload: connectBody };
  const setDataFrame = fixture.messages.find((m) => m.type === MessageType.DataAmf0)!;
  const ourCommand = decodeCommand(connectMessage);
  const theirCommand = nmsDecodeCommand(connectBody);
  deepStrictEqual(
    plain([ourCommand.name, ourCommand.transactionId, ourCommand.commandObject]),
    plain([theirCommand.cmd, theirCommand.transId, theirCommand.cmdObj]),
  );
  const ourData = decodeData(setDataFrame);
  const theirData = nmsDecodeData(setDataFrame.payload);
  deepStrictEqual(plain([ourData.name, ...ourData.values]), plain([theirData.cmd, theirData.method, theirData.dataObj]));

  const row = (name: string, note: string, ours: () => number, theirs: () => number): RowSpec => ({
    name,
    unit: 'ops/s',
    workPerRun: 1,
    note,
    rtmpkit: { run: ours },
    nms: { run: theirs },
  });
  return [
    row('AMF0 encode connect', `${connectBody.length} B`, () => encodeAmf0Values(connect).length, () => nmsAmf0Encode(connect).length),
    row('AMF0 decode connect', `${connectBody.length} B`, () => decodeAmf0Values(connectBody).length, () => nmsAmf0Decode(connectBody).length),
    row('AMF0 encode onMetaData', `${metaBody.length} B`, () => encodeAmf0Values(ourMeta).length, () => nmsAmf0Encode(nmsMeta).length),
    row('AMF0 decode onMetaData', `${metaBody.length} B`, () => decodeAmf0Values(metaBody).length, () => nmsAmf0Decode(metaBody).length),
    row(
      'command decode connect',
      'decodeCommand vs decodeAmf0Cmd',
      () => decodeCommand(connectMessage).args.length,
      () => (nmsDecodeCommand(connectBody).transId as number),
    ),
    row(
      'data decode @setDataFrame',
      'decodeData vs decodeAmf0Data',
      () => decodeData(setDataFrame).values.length,
      () => (nmsDecodeData(setDataFrame.payload).cmd as string).length,
    ),
  ];
}

function formatRate(value: number, unit: 'MB/s' | 'ops/s'): string {
  if (unit === 'MB/s') return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} MB/s`;
  if (value >= 1e6) return `${(value / 1e6).toFixed(2)} M ops/s`;
  return `${(value / 1e3).toFixed(0)} k ops/s`;
}

function markdownTable(results: RowResult[]): string {
  const lines = [
    '| Row | Input | rtmpkit | node-media-server | rtmpkit / NMS |',
    '| --- | --- | ---: | ---: | ---: |',
  ];
  for (const { spec, rtmpkit, nms, ratio } of results) {
    const cell = (side: typeof rtmpkit): string =>
      side.median > 0 ? `${formatRate(side.median, spec.unit)} ±${(side.spread * 100).toFixed(0)}%` : 'not run';
    const verdict = !Number.isFinite(ratio) || ratio === 0 ? '—' : ratio >= 1 ? `**${ratio.toFixed(2)}×**` : `${ratio.toFixed(2)}× (behind)`;
    lines.push(`| ${spec.name} | ${spec.note ?? ''} | ${cell(rtmpkit)} | ${cell(nms)} | ${verdict} |`);
  }
  return lines.join('\n');
}

function machine(loadAtStart: number[]): string[] {
  const cpuModel = (() => {
    try {
      const match = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
      if (match) return match[1]!.trim();
    } catch {
      // not Linux
    }
    return cpus()[0]?.model ?? 'unknown';
  })();
  return [
    `- CPU: ${cpuModel}, ${availableParallelism()} cores available (nproc)`,
    `- Node.js ${process.version} (V8 ${process.versions.v8}), ${process.platform}/${process.arch}`,
    `- node-media-server ${nmsVersion}`,
    `- load average (1, 5, 15 min) at the start: ${loadAtStart.map((l) => l.toFixed(2)).join(', ')}`,
  ];
}

const cliOptions = {
  rounds: { type: 'string', default: '15' },
  'round-ms': { type: 'string', default: '100' },
  'warmup-ms': { type: 'string', default: '400' },
  'piece-bytes': { type: 'string', default: '65536' },
  only: { type: 'string', multiple: true },
  side: { type: 'string', default: 'both' },
  clock: { type: 'string', default: 'cpu' },
  verbose: { type: 'boolean', default: false },
} as const;

function main(): void {
  // `pnpm run bench -- --flag` passes the `--` through: drop it.
  const args = process.argv.slice(2);
  if (args[0] === '--') args.shift();
  let parsed;
  try {
    parsed = parseArgs({ args, options: cliOptions });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values } = parsed;
  const side = values.side;
  const clock = values.clock;
  if (clock !== 'wall' && clock !== 'cpu') throw new UsageError(`--clock must be wall or cpu, got ${clock}`);
  if (side !== 'both' && side !== 'rtmpkit' && side !== 'nms') throw new UsageError(`--side must be both, rtmpkit or nms, got ${side}`);
  const positive = (name: string, text: string): number => {
    const value = Number(text);
    if (!Number.isInteger(value) || value < 1) throw new UsageError(`--${name} must be a positive integer, got ${text}`);
    return value;
  };
  const options: HarnessOptions = {
    rounds: positive('rounds', values.rounds),
    roundMs: positive('round-ms', values['round-ms']),
    warmupMs: positive('warmup-ms', values['warmup-ms']),
    side,
    clock,
    onRates: values.verbose
      ? (name, ours, theirs) => {
          const list = (rates: number[]): string => rates.map((rate) => rate.toPrecision(3)).join(' ');
          log(`  ${name} rtmpkit: ${list(ours)}\n  ${name} nms:     ${list(theirs)}`);
        }
      : undefined,
  };
  const pieceBytes = positive('piece-bytes', values['piece-bytes']);
  const only = values.only ?? [];
  const started = Date.now();
  const loadAtStart = loadavg();

  const fixture = loadStream(ensureFlv(log));
  const seconds = fixture.durationMs / 1000;
  log(
    `Input: ${fixture.messages.length} messages (${fixture.counts.video} video, ${fixture.counts.audio} audio, ` +
      `${fixture.counts.data} data), ${(fixture.payloadBytes / 1e6).toFixed(2)} MB over ${seconds.toFixed(1)} s ` +
      `= ${((fixture.payloadBytes * 8) / 1e6 / seconds).toFixed(2)} Mbit/s`,
  );

  const amfNames = [
    'AMF0 encode connect',
    'AMF0 decode connect',
    'AMF0 encode onMetaData',
    'AMF0 decode onMetaData',
    'command decode connect',
    'data decode @setDataFrame',
  ];
  const builders: { names: string[]; build: () => RowSpec[] }[] = [
    ...[128, 4096, NMS_OUT_CHUNK_SIZE].map((size) => ({
      names: [`chunk encode @ ${size}`],
      build: () => [chunkEncodeRow(fixture, size)],
    })),
    ...[128, 4096].map((size) => ({
      names: [`chunk decode @ ${size}`, `chunk decode @ ${size}, reused buffers`],
      build: () => [chunkDecodeRow(fixture, size, pieceBytes), chunkDecodeRow(fixture, size, pieceBytes, 1 << 20)],
    })),
    { names: amfNames, build: () => amfRows(fixture) },
  ];
  const wanted = (name: string): boolean => only.length === 0 || only.some((text) => name.includes(text));
  const results: RowResult[] = [];
  for (const builder of builders) {
    if (!builder.names.some(wanted)) continue;
    for (const spec of builder.build()) {
      if (!wanted(spec.name)) continue;
      log(`Running ${spec.name} ...`);
      results.push(measure(spec, options));
    }
  }

  const output = [
    ...machine(loadAtStart),
    `- Input: ffmpeg testsrc2 720p30 H.264 2400k + AAC 128k, 10 s: ${fixture.messages.length} messages, ` +
      `${(fixture.payloadBytes / 1e6).toFixed(2)} MB of payload`,
    `- ${options.rounds} rounds of ~${options.roundMs} ms per side after ${options.warmupMs} ms warm-up, sides alternating; ` +
      `${options.clock === 'cpu' ? 'process CPU time' : 'wall-clock time'}; median rate, ± half the min-max spread; ` +
      'ratio = median of per-round ratios',
    '',
    markdownTable(results),
    '',
  ];
  process.stdout.write(output.join('\n'));
  log(`(done in ${((Date.now() - started) / 1000).toFixed(1)} s; checksum ${sink % 1e9})`);
}

try {
  main();
} catch (error) {
  if (error instanceof FixtureError || error instanceof UsageError) {
    log(`bench: ${error.message}`);
    process.exitCode = 1;
  } else {
    throw error;
  }
}
