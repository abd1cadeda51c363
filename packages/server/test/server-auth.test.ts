import { rtmp } from '@rtmpkit/rtmp';
import { afterEach, describe, expect, it } from 'vitest';
import { signStream, signStreamUrl, type ClientInfo, type PlayAuthRequest, type PublishAuthRequest } from '../src/index.js';
import { play, publish, sendFrames, type Player, type Publisher } from './helpers/clients.js';
import { syntheticStream } from './helpers/synthetic.js';
import { startTestServer, type TestServer } from './helpers/test-server.js';

let server: TestServer | undefined;
const opened: Array<Player | Publisher> = [];

afterEach(async () => {
  await Promise.all(opened.splice(0).map((client) => client.session.close().catch(() => {})));
  await server?.close();
  server = undefined;
});

async function keep<T extends Player | Publisher>(client: Promise<T>): Promise<T> {
  const value = await client;
  opened.push(value);
  return value;
}

describe('auth hooks', () => {
  it('onConnect: allows, or refuses with NetConnection.Connect.Rejected and the reason', async () => {
    const seen: ClientInfo[] = [];
    server = await startTestServer({
      auth: {
        onConnect: async (client) => {
          seen.push(client);
          return client.query.get('token') === 'good' ? true : { allow: false, reason: 'Bad token.' };
        },
      },
    });
    const ok = await rtmp().connect(server.url('live?token=good'));
    expect(ok.state).toBe('connected');
    await ok.close();
    await expect(rtmp().connect(server.url('live?token=bad'))).rejects.toMatchObject({
      statusCode: 'NetConnection.Connect.Rejected',
      message: expect.stringContaining('Bad token.'),
    });
    expect(seen.map((client) => [client.app, client.query.get('token'), client.scheme])).toEqual([
      ['live', 'good', 'rtmp'],
      ['live', 'bad', 'rtmp'],
    ]);
    expect(seen[0]!.remote.address).toBe('127.0.0.1');
    expect(server.server.stats().counters).toMatchObject({ connections: 1, rejectedConnections: 1 });
  });

  it('refuses unknown applications when `apps` is set', async () => {
    server = await startTestServer({ apps: ['live'] });
    await expect(rtmp().connect(server.url('other'))).rejects.toMatchObject({ statusCode: 'NetConnection.Connect.Rejected' });
    const ok = await rtmp().connect(server.url('live'));
    await ok.close();
  });

  it('onPublish: refuses with NetStream.Publish.Denied and sends nothing else; the session stays usable', async () => {
    const requests: PublishAuthRequest[] = [];
    server = await startTestServer({
      auth: {
        onPublish: (request) => {
          requests.push(request);
          return request.streamQuery.get('key') === 'k' ? undefined : { allow: false, reason: 'Wrong stream key.' };
        },
      },
    });
    const player = await keep(play(server.url('live'), 'cam'));
    await expect(publish(server.url('live'), 'cam?key=nope')).rejects.toMatchObject({
      statusCode: 'NetStream.Publish.Denied',
      description: 'Wrong stream key.',
    });
    const allowed = await keep(publish(server.url('live'), 'cam?key=k'));
    await sendFrames(allowed.stream, syntheticStream({ frames: 2 }), Infinity);
    await player.waitFor((p) => p.video().length >= 3, 'frames from the allowed publisher');
    expect(requests.map((r) => [r.name, r.streamQuery.get('key'), r.type])).toEqual([
      ['cam', 'nope', 'live'],
      ['cam', 'k', 'live'],
    ]);
    expect(server.server.streams().map((s) => s.name)).toEqual(['cam']);
    expect(server.server.stats().counters.deniedPublishes).toBe(1);
  });

  it('onPlay: refuses with NetStream.Play.Failed (or the code given); the player gets no media', async () => {
    server = await startTestServer({
      auth: {
        onPlay: (request: PlayAuthRequest) => {
          if (request.name === 'secret') return false;
          if (request.name === 'gone') return { allow: false, reason: 'No such thing.', code: 'NetStream.Play.StreamNotFound' };
          return true;
        },
      },
    });
    const publisher = await keep(publish(server.url('live'), 'secret'));
    await sendFrames(publisher.stream, syntheticStream({ frames: 2 }), Infinity);
    await expect(play(server.url('live'), 'secret')).rejects.toMatchObject({ statusCode: 'NetStream.Play.Failed', description: 'Not allowed.' });
    await expect(play(server.url('live'), 'gone')).rejects.toMatchObject({ statusCode: 'NetStream.Play.StreamNotFound' });
    const fine = await keep(play(server.url('live'), 'open'));
    expect(fine.statuses.map((s) => s.code)).toEqual(['NetStream.Play.Start']);
    expect(server.server.streams()[0]!.players).toBe(0);
    expect(server.server.stats().counters.deniedPlays).toBe(2);
  });

  it('a hook that throws or takes too long refuses, without leaking its error', async () => {
    server = await startTestServer({
      auth: {
        hookTimeoutMs: 200,
        onPublish: () => {
          throw new Error('database password is hunter2');
        },
        onPlay: () => new Promise(() => {}),
      },
    });
    const refused = publish(server.url('live'), 'a');
    await expect(refused).rejects.toMatchObject({ statusCode: 'NetStream.Publish.Denied', description: 'Authorization failed.' });
    await expect(play(server.url('live'), 'a')).rejects.toMatchObject({ statusCode: 'NetStream.Play.Failed', description: 'Authorization timed out.' });
  });
});

describe('signed URLs', () => {
  const secret = 'test secret, long enough';

  it('lets a validly signed publish and play through (signature on the stream name)', async () => {
    server = await startTestServer({ auth: { signedUrls: { secret } } });
    const signedPublish = new URL(signStreamUrl(server.url('live/cam'), { secret, expiresIn: 60 }));
    const publisher = await keep(publish(server.url('live'), `cam${signedPublish.search}`));
    const signedPlay = new URL(signStreamUrl(server.url('live/cam'), { secret, expiresIn: 60 }));
    const player = await keep(play(server.url('live'), `cam${signedPlay.search}`));
    await sendFrames(publisher.stream, syntheticStream({ frames: 2 }), Infinity);
    await player.waitFor((p) => p.video().length >= 3, 'frames');
    expect(server.server.streams().map((s) => s.name)).toEqual(['cam']); // the query is not part of the name
  });

  it('accepts the signature on the connect URL too (OBS-style server URL + stream key)', async () => {
    server = await startTestServer({ auth: { signedUrls: { secret } } });
    const { query } = signStream('live', 'cam', { secret, expiresIn: 60 });
    await keep(publish(server.url(`live?${query}`), 'cam'));
    // …but it covers that stream name only.
    await expect(publish(server.url(`live?${query}`), 'other')).rejects.toMatchObject({ statusCode: 'NetStream.Publish.Denied' });
  });

  it('refuses a bad signature, an expired one, and a missing one', async () => {
    server = await startTestServer({ auth: { signedUrls: { secret } } });
    const good = signStream('live', 'cam', { secret, expiresIn: 60 });
    const forged = `cam?exp=${good.exp}&sig=${good.sig[0] === 'A' ? 'B' : 'A'}${good.sig.slice(1)}`; // one character changed
    await expect(publish(server.url('live'), forged)).rejects.toMatchObject({
      statusCode: 'NetStream.Publish.Denied',
      description: 'The signature is not valid.',
    });
    const expired = signStream('live', 'cam', { secret, expiresAt: Math.floor(Date.now() / 1000) - 1 });
    await expect(play(server.url('live'), `cam?${expired.query}`)).rejects.toMatchObject({
      statusCode: 'NetStream.Play.Failed',
      description: 'The signed URL has expired.',
    });
    await expect(play(server.url('live'), 'cam')).rejects.toMatchObject({ description: 'A signed URL is required (exp and sig).' });
  });

  it('requires signatures only for the actions listed', async () => {
    server = await startTestServer({ auth: { signedUrls: { secret, require: ['publish'] } } });
    await keep(play(server.url('live'), 'cam'));
    await expect(publish(server.url('live'), 'cam')).rejects.toMatchObject({ statusCode: 'NetStream.Publish.Denied' });
  });
});
