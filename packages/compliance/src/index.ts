import { describe } from 'vitest';
import type { ComplianceSetup } from './setup.js';
import { callSuite } from './suites/calls.js';
import { connectionSuite } from './suites/connection.js';
import { mediaSuite } from './suites/media.js';
import { robustnessSuite } from './suites/robustness.js';

export type { ComplianceSetup } from './setup.js';
export { startServer, take, patternBytes, type RunningServer, type IncomingHandler } from './harness.js';
export { relayHandler } from './relay.js';
export { connectionSuite, callSuite, mediaSuite, robustnessSuite };

/** Registers every compliance suite for one transport. Call it from a test file. */
export function describeTransportCompliance(setup: ComplianceSetup): void {
  describe(`transport compliance: ${setup.name}`, () => {
    connectionSuite(setup);
    callSuite(setup);
    mediaSuite(setup);
    robustnessSuite(setup);
  });
}
export { memoryNetwork } from './memory/memory-transport.js';
export { memoryChannelPair } from './memory/memory-channel.js';
