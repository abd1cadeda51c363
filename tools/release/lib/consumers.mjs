// What a user does with each package right after `npm install`: short ESM programs (run with node,
// their last line of output checked), and a TypeScript file using the main exports (compiled by
// tsc as a NodeNext project). A package that is not listed here gets an import check only.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The public packages the release tests expect; a missing folder is reported as a skip. */
export const EXPECTED_PACKAGES = [
  '@rtmpkit/core',
  '@rtmpkit/compliance',
  '@rtmpkit/flv',
  '@rtmpkit/rtmp',
  '@rtmpkit/rtmpe',
  '@rtmpkit/rtmpt',
  '@rtmpkit/rtmps',
  '@rtmpkit/rtmfp',
  '@rtmpkit/server',
];

/** The three video messages every transport program publishes, as the player prints them. */
export const THREE_VIDEO_MESSAGES = ['video 0 270100000000', 'video 40 270100000028', 'video 80 270100000050'];

/**
 * Ten lines: a listener that relays what is published to its players, a player, and a publisher
 * sending three video messages; prints what the player received as JSON.
 */
export function transportProgram({ module, factory, scheme, options = '', create = `${factory}(${options})`, host = '127.0.0.1', listen = `{ host: '${host}', port: 0 }` }) {
  return `import { ${factory} } from '${module}';
const t = ${create}, listener = await t.listen(${listen}), players = [];
(async () => { for await (const incoming of listener) (await incoming.accept()).onStreamRequest({ play: ({ stream }) => void players.push(stream), publish: ({ stream }) => void (async () => { for await (const m of stream) for (const p of players) await p.send(m); })() }); })();
const url = \`${scheme}://${host}:\${listener.address.port}/live\`, viewer = await t.connect(url), playing = await viewer.createStream();
await playing.play('cam');
const received = (async () => { const seen = []; for await (const m of playing) if (m.type === 9 && seen.push(\`video \${m.timestamp} \${m.payload.toString('hex')}\`) === 3) return seen; })();
const camera = await t.connect(url), publishing = await camera.createStream();
await publishing.publish('cam');
for (const timestamp of [0, 40, 80]) await publishing.send({ type: 9, timestamp, payload: Buffer.from([0x27, 1, 0, 0, 0, timestamp]) });
console.log(JSON.stringify(await received)); await camera.close(); await viewer.close(); await listener.close();
`;
}

/** The same use of a transport package, typed, for the TypeScript consumer check. */
export function transportTypes({ module, factory, scheme, options = '', create = `${factory}(${options})`, host = '127.0.0.1', listen = `{ host: '${host}', port: 0 }` }) {
  return `import type { IncomingSession, Listener, NetStream, RtmpMessage, Session, Transport } from '@rtmpkit/core';
import { ${factory} } from '${module}';

const transport: Transport = ${create};

export async function relayOnce(): Promise<string[]> {
  const listener: Listener = await transport.listen(${listen});
  const players: NetStream[] = [];
  void (async () => {
    for await (const incoming of listener) {
      const accepted: IncomingSession = incoming;
      const session: Session = await accepted.accept();
      session.onStreamRequest({
        play: ({ stream }) => void players.push(stream),
        publish: ({ stream }) => void (async () => { for await (const message of stream) for (const player of players) await player.send(message); })(),
      });
    }
  })();
  const url = \`${scheme}://${host}:\${listener.address.port}/live\`;
  const viewer: Session = await transport.connect(url);
  const playing: NetStream = await viewer.createStream();
  await playing.play('cam');
  const camera = await transport.connect(url);
  const publishing = await camera.createStream();
  await publishing.publish('cam');
  const message: RtmpMessage = { type: 9, timestamp: 0, streamId: 1, payload: Buffer.from([0x27, 1, 0, 0, 0, 0]) };
  await publishing.send(message);
  const seen: string[] = [];
  for await (const received of playing) {
    seen.push(\`\${received.type} \${received.timestamp} \${received.payload.length}\`);
    if (seen.length === 1) break;
  }
  await Promise.all([camera.close(), viewer.close()]);
  await listener.close();
  return seen;
}
`;
}

const transportExpectation = { lastLine: JSON.stringify(THREE_VIDEO_MESSAGES) };

/**
 * Per package: `programs` (file, source, and the expected last line of stdout), `types` (a
 * TypeScript file), and for packages still being finished `pending(module)`: a reason to skip the
 * programs while the package does not have what they use yet (null once it does). Remove
 * `pending` when the package lands.
 */
export const CONSUMERS = {
  '@rtmpkit/core': {
    programs: [
      {
        file: 'codec.mjs',
        source: `import { ChunkDecoder, ChunkEncoder, MessageType, decodeCommand, encodeCommand } from '@rtmpkit/core';
const encoder = new ChunkEncoder({ chunkSize: 128 });
const message = encodeCommand({ name: 'connect', transactionId: 1, commandObject: { app: 'live', tcUrl: 'rtmp://localhost/live' }, args: [] }, { streamId: 0 });
const decoder = new ChunkDecoder({ maxMessageSize: 1 << 20 });
decoder.push(encoder.encode(message, 3), (received) => {
  if (received.type === MessageType.CommandAmf0) {
    const { name, transactionId, commandObject } = decodeCommand(received);
    console.log(JSON.stringify({ name, transactionId, commandObject }));
  }
});
`,
        lastLine: JSON.stringify({ name: 'connect', transactionId: 1, commandObject: { app: 'live', tcUrl: 'rtmp://localhost/live' } }),
      },
    ],
    types: `import { ChunkDecoder, ChunkEncoder, MessageType, RtmpError, decodeCommand, encodeCommand, type RtmpMessage, type Transport } from '@rtmpkit/core';

const encoder = new ChunkEncoder({ chunkSize: 128 });
const bytes: Buffer = encoder.encode(encodeCommand({ name: 'connect', transactionId: 1, commandObject: { app: 'live' }, args: [] }, { streamId: 0 }), 3);
export const names: string[] = [];
new ChunkDecoder({ maxMessageSize: 1 << 20 }).push(bytes, (message: RtmpMessage) => {
  if (message.type === MessageType.CommandAmf0) names.push(decodeCommand(message).name);
});
export function describeError(error: unknown): string {
  return RtmpError.isInstance(error) ? \`\${error.code}: \${error.message}\` : String(error);
}
export type AnyTransport = Transport;
`,
  },

  '@rtmpkit/compliance': {
    programs: [
      {
        file: 'memory.mjs',
        source: transportProgram({
          module: '@rtmpkit/compliance',
          factory: 'memoryNetwork',
          create: 'memoryNetwork().transport()',
          scheme: 'rtmp',
          host: 'memory',
          listen: '{ port: 0 }',
        }),
        ...transportExpectation,
      },
    ],
    // The suite itself, run by the vitest that npm installed as compliance's peer dependency.
    vitest: {
      file: 'test/memory-compliance.test.mjs',
      source: `import { describeTransportCompliance, memoryNetwork } from '@rtmpkit/compliance';

const network = memoryNetwork();
describeTransportCompliance({
  name: 'memory transport',
  server: () => network.transport(),
  client: () => network.transport(),
  listenOptions: { port: 0 },
  url: (listener, app) => \`rtmp://memory:\${listener.address.port}/\${app}\`,
});
`,
      minPassed: 10,
    },
    types: `import { describeTransportCompliance, memoryNetwork, take, type ComplianceSetup } from '@rtmpkit/compliance';

const network = memoryNetwork();
const setup: ComplianceSetup = {
  name: 'memory transport',
  server: () => network.transport(),
  client: () => network.transport(),
  listenOptions: { port: 0 },
  url: (listener, app) => \`rtmp://memory:\${listener.address.port}/\${app}\`,
};
export function register(): void {
  describeTransportCompliance(setup);
}
export const firstThree = (source: AsyncIterable<number>): Promise<number[]> => take(source, 3);
`,
  },

  '@rtmpkit/flv': {
    programs: [
      {
        file: 'flv.mjs',
        source: `import { FlvReader, FlvWriter } from '@rtmpkit/flv';
const writer = new FlvWriter({ hasAudio: false });
const bytes = Buffer.concat([writer.header(), writer.write({ type: 9, streamId: 1, timestamp: 0x01020304, payload: Buffer.from('1701000000', 'hex') })]);
const tags = [];
const reader = new FlvReader();
reader.push(bytes, (tag) => tags.push(\`\${tag.type} \${tag.offset} \${tag.timestamp.toString(16)} \${tag.payload.toString('hex')}\`));
reader.end();
console.log(JSON.stringify({ header: reader.header, tags }));
`,
        lastLine: JSON.stringify({ header: { version: 1, hasAudio: false, hasVideo: true, dataOffset: 9 }, tags: ['9 13 1020304 1701000000'] }),
      },
    ],
    types: `import type { RtmpMessage } from '@rtmpkit/core';
import { FlvFileRecorder, FlvReader, FlvWriter, indexFlvFile, readFlvFile, type FlvTag } from '@rtmpkit/flv';

const writer = new FlvWriter({ hasAudio: false });
const message: RtmpMessage = { type: 9, streamId: 1, timestamp: 0, payload: Buffer.from('1701000000', 'hex') };
const bytes: Buffer = Buffer.concat([writer.header(), writer.write(message)]);
export const tags: FlvTag[] = [];
new FlvReader().push(bytes, (tag) => void tags.push(tag));

export async function record(file: string): Promise<number> {
  const recorder = await FlvFileRecorder.open(file, { rebaseTimestamps: true });
  await recorder.write(message);
  const summary = await recorder.close();
  const index = await indexFlvFile(file);
  for await (const tag of readFlvFile(file)) tags.push(tag);
  return summary.duration + index.duration;
}
`,
  },

  '@rtmpkit/rtmp': {
    programs: [{ file: 'rtmp.mjs', source: transportProgram({ module: '@rtmpkit/rtmp', factory: 'rtmp', scheme: 'rtmp' }), ...transportExpectation }],
    types: transportTypes({ module: '@rtmpkit/rtmp', factory: 'rtmp', scheme: 'rtmp' }),
  },

  '@rtmpkit/rtmpt': {
    programs: [{ file: 'rtmpt.mjs', source: transportProgram({ module: '@rtmpkit/rtmpt', factory: 'rtmpt', scheme: 'rtmpt' }), ...transportExpectation }],
    types: transportTypes({ module: '@rtmpkit/rtmpt', factory: 'rtmpt', scheme: 'rtmpt' }),
  },

  '@rtmpkit/rtmpe': {
    programs: [
      { file: 'rtmpe.mjs', source: transportProgram({ module: '@rtmpkit/rtmpe', factory: 'rtmpe', scheme: 'rtmpe' }), ...transportExpectation },
      { file: 'rtmpte.mjs', source: transportProgram({ module: '@rtmpkit/rtmpe', factory: 'rtmpte', scheme: 'rtmpte' }), ...transportExpectation },
    ],
    types: transportTypes({ module: '@rtmpkit/rtmpe', factory: 'rtmpe', scheme: 'rtmpe' }),
  },

  '@rtmpkit/rtmps': {
    programs: [
      {
        file: 'rtmps.mjs',
        // The server makes a self-signed development certificate (cached in the project folder);
        // the client of this test does not verify it.
        source: transportProgram({
          module: '@rtmpkit/rtmps',
          factory: 'rtmps',
          scheme: 'rtmps',
          options: "{ insecureSkipVerify: true, developmentCertificate: { directory: 'development-certificate' } }",
        }),
        ...transportExpectation,
      },
    ],
    types: transportTypes({
      module: '@rtmpkit/rtmps',
      factory: 'rtmps',
      scheme: 'rtmps',
      options: "{ insecureSkipVerify: true, developmentCertificate: { directory: 'development-certificate' } }",
    }),
  },

  '@rtmpkit/rtmfp': {
    programs: [{ file: 'rtmfp.mjs', source: transportProgram({ module: '@rtmpkit/rtmfp', factory: 'rtmfp', scheme: 'rtmfp' }), ...transportExpectation }],
    types: transportTypes({ module: '@rtmpkit/rtmfp', factory: 'rtmfp', scheme: 'rtmfp' }),
  },

  '@rtmpkit/server': {
    // `npx rtmpkit serve` with its defaults (RTMP on 1935, HTTP on 8080), then this player
    // publishes and plays through it, and the HTTP port serves the dashboard page.
    serve: {
      args: ['--no', 'rtmpkit', 'serve'],
      port: 1935,
      http: { port: 8080, path: '/' },
      player: {
        file: 'player.mjs',
        source: `import { rtmp } from '@rtmpkit/rtmp';
const t = rtmp(), url = process.argv[2];
const viewer = await t.connect(url), playing = await viewer.createStream();
await playing.play('cam');
const received = (async () => { const seen = []; for await (const m of playing) if (m.type === 9 && seen.push(\`video \${m.timestamp} \${m.payload.toString('hex')}\`) === 3) return seen; })();
const camera = await t.connect(url), publishing = await camera.createStream();
await publishing.publish('cam');
for (const timestamp of [0, 40, 80]) await publishing.send({ type: 9, timestamp, payload: Buffer.from([0x17, 1, 0, 0, 0, timestamp]) });
console.log(JSON.stringify(await received)); await camera.close(); await viewer.close();
`,
        lastLine: JSON.stringify(['video 0 170100000000', 'video 40 170100000028', 'video 80 170100000050']),
      },
    },
    programs: [],
    types: `import { rtmp } from '@rtmpkit/rtmp';
import { createServer, signStreamUrl, type ServerOptions } from '@rtmpkit/server';

const options: ServerOptions = { transports: [{ transport: rtmp(), listen: { host: '127.0.0.1', port: 1935 } }], live: { takeover: true } };
const server = createServer(options);
export async function run(): Promise<void> {
  await server.start();
  await server.close();
}
export const link: string = signStreamUrl('rtmp://127.0.0.1/live/cam', { secret: 'secret', expiresIn: 60 });
`,
  },
};

/** An import check for a package without a CONSUMERS entry: it loads and exports something. */
export function importProgram(name) {
  return {
    file: 'import.mjs',
    source: `const module = await import('${name}');\nconsole.log(JSON.stringify({ exports: Object.keys(module).length > 0 }));\n`,
    lastLine: JSON.stringify({ exports: true }),
  };
}

/** The TypeScript file for a package without typed use (or not landed yet): its whole namespace. */
export function namespaceTypes(name) {
  return `import * as api from '${name}';\n\nexport type Api = typeof api;\nexport const exported: string[] = Object.keys(api);\n`;
}

/**
 * Why a package still being finished cannot run its programs yet (null: it can), judged from its
 * built dist in the workspace and its manifest.
 * @param {{ name: string, dir: string, manifest: Record<string, any> }} pkg
 */
export async function pendingReason(pkg) {
  const consumer = CONSUMERS[pkg.name];
  if (!consumer?.pending) return null;
  let module = {};
  try {
    module = await import(pathToFileURL(join(pkg.dir, pkg.manifest.exports['.'].import)).href);
  } catch (error) {
    return `its dist does not load yet (${String(error?.message ?? error).split('\n')[0]})`;
  }
  return consumer.pending(module, pkg.manifest, pkg.dir);
}

/** The TypeScript file to compile for a package (its typed use, or its namespace while pending). */
export function typesSourceFor(name, pending) {
  const consumer = CONSUMERS[name];
  return consumer && !pending ? consumer.types : namespaceTypes(name);
}
