/** A fresh server with the benchmark's publisher on it: the setup every live measurement shares. */
import type { BoundedChild } from './children.js';
import { target, waitForStream, type BenchContext } from './context.js';
import type { Target } from './load-protocol.js';
import { startPublisher } from './publisher.js';
import type { RunningServer, ServerUnderTest } from './servers/server.js';

export interface LiveServer {
  running: RunningServer;
  publisher: BoundedChild;
  /** The live stream on the server's plain RTMP port. */
  plain: Target;
}

/** Starts `server` and the publisher, waits until the stream is live, runs `measure`, then stops both. */
export async function withLiveServer<T>(context: BenchContext, server: ServerUnderTest, measure: (live: LiveServer) => Promise<T>): Promise<T> {
  const running = await server.start(context.childMaxSeconds);
  let publisher: BoundedChild | undefined;
  try {
    publisher = startPublisher(context.input.path, running.rtmpPort, context.childMaxSeconds);
    const plain = target(running.rtmpPort, false);
    await waitForStream(context, plain, publisher);
    return await measure({ running, publisher, plain });
  } finally {
    await publisher?.stop();
    await running.stop();
  }
}
