import { setTimeout as sleep } from 'node:timers/promises';
import type { PactV3, PactV4 } from '@pact-foundation/pact';

/**
 * Pact's mock server (pact_ffi before 0.5.6, i.e. @pact-foundation/pact-core 19 under
 * pact-js 16) hands a matched request to a separate task for its bookkeeping and answers
 * the client at the same time. Under CPU load the client can have its answer, and the test
 * its end, before the mock has counted the request: executeTest then reads "expected but
 * not received" for a request the mock did answer (pact-foundation/pact-core-mock-server#13).
 * The fix (pact-core 20.1, pact-js 17) needs Node 22; until the project moves, a consumer
 * test ends its executeTest callback with this wait. It returns once the mock has recorded
 * every expected request, or after `withinMs`: a request that was really never sent is
 * still reported by executeTest, only that much later.
 */
export async function requestsRecorded(
  pact: PactV3 | PactV4,
  mock: { port: number },
  withinMs = 2_000,
): Promise<boolean> {
  // The consumer-pact handle pact-js keeps privately; the mock server's state is read by port.
  const core = (pact as unknown as { pact: { mockServerMatchedSuccessfully(port: number): boolean } }).pact;
  const deadline = Date.now() + withinMs;
  for (;;) {
    if (core.mockServerMatchedSuccessfully(mock.port)) return true;
    if (Date.now() >= deadline) return false;
    await sleep(5);
  }
}
