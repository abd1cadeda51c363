import type { IncomingSession, NetStream, Session } from '@rtmpkit/core';

/**
 * The smallest live server the media tests need: a publisher's messages are forwarded to every
 * player of the same name. Players that arrive first wait for the publisher.
 */
export function relayHandler(): (incoming: IncomingSession) => Promise<Session> {
  const players = new Map<string, Set<NetStream>>();
  const playersOf = (name: string) => {
    let set = players.get(name);
    if (!set) players.set(name, (set = new Set()));
    return set;
  };
  return async (incoming) => {
    const session = await incoming.accept();
    session.onStreamRequest({
      play({ stream, name }) {
        playersOf(name).add(stream);
      },
      publish({ stream, name }) {
        void (async () => {
          for await (const message of stream) {
            await Promise.all([...playersOf(name)].map((player) => player.send(message).catch(() => playersOf(name).delete(player))));
          }
        })().catch(() => {});
      },
    });
    return session;
  };
}
