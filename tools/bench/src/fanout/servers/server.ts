/** What the benchmark needs from each server under test. */
import type { BoundedChild } from '../children.js';

export type ServerId = 'rtmpkit' | 'nms' | 'nginx';

export interface RunningServer {
  rtmpPort: number;
  /** RTMPS port, for the servers that serve RTMPS themselves (rtmpkit). */
  rtmpsPort?: number;
  child: BoundedChild;
  /** The processes whose CPU and memory count (e.g. nginx's master and worker). */
  pids(): number[];
  stop(): Promise<void>;
}

export interface ServerUnderTest {
  id: ServerId;
  label: string;
  /** Version text for the report. */
  version: string;
  /** How it is run, for the report. */
  setup: string;
  /** Sessions it accepts at once when less than unlimited (rtmpkit's CLI: maxSessions 1000). */
  maxSessions?: number;
  /** Starts it on free loopback ports; `maxSeconds` bounds its life. */
  start(maxSeconds: number): Promise<RunningServer>;
}

export class ServerMissingError extends Error {}

/**
 * Extra Node.js flags for the Node servers (rtmpkit, node-media-server), from the environment,
 * e.g. FANOUT_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile them.
 */
export function serverNodeArgs(): string[] {
  return (process.env.FANOUT_SERVER_NODE_ARGS ?? '').split(' ').filter((arg) => arg !== '');
}
