import { afterEach, describe, expect, it } from 'vitest';
import { RtmfpEndpoint, rtmfp, type EndpointSession } from '../src/index.js';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const close of cleanup.splice(0).reverse()) await close().catch(() => {});
});

/**
 * An endpoint that completes the RTMFP handshake but takes no flows: each flow it is sent is
 * refused with a flow exception report, code 0. rtmfp-cpp's tcconn answers that way when it is
 * introduced as a peer and our side opens a NetConnection to it (it has no handler for new flows).
 */
async function refusingEndpoint(): Promise<{ endpoint: RtmfpEndpoint; sessions: EndpointSession[] }> {
  const endpoint = await RtmfpEndpoint.bind('127.0.0.1', 0, {});
  cleanup.push(() => endpoint.close());
  const sessions: EndpointSession[] = [];
  endpoint.accept({
    onSession: (session) => {
      sessions.push(session);
      session.attach({ incomingFlow: (flow) => flow.reject(0), closed: () => {} });
    },
  });
  return { endpoint, sessions };
}

describe('the peer refuses the NetConnection control flow', () => {
  it('connect fails at once with the reason, not at the connect timeout', async () => {
    const { endpoint, sessions } = await refusingEndpoint();
    const started = Date.now();
    const error = await rtmfp()
      .connect(`rtmfp://127.0.0.1:${endpoint.address.port}/app`, { timeouts: { connect: 8000 } })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect(String((error as Error).message) + String((error as Error & { cause?: Error }).cause?.message)).toMatch(/refused the NetConnection's control flow \(flow exception 0\)/);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(sessions).toHaveLength(1);
  });
});
