import { CarrierError } from '../carriers/client.ts';

/**
 * Checks on what the platform's client made of a response. A consumer spec fails when
 * the client cannot use an answer the contract allows, not only when the request differs.
 */
export function expectThat(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`client result: ${message}`);
}

/** The client must turn the carrier's refusal into a non-retryable CarrierError with that status. */
export async function expectCarrierRefusal(call: Promise<unknown>, status: number): Promise<void> {
  try {
    await call;
  } catch (error) {
    expectThat(error instanceof CarrierError, `expected a CarrierError, got ${(error as Error).message}`);
    expectThat(error.status === status, `expected HTTP ${status} in the CarrierError, got ${error.status}`);
    expectThat(!error.retryable, 'a refused parcel must not be retried');
    return;
  }
  throw new Error(
    `client result: expected the carrier to refuse with HTTP ${status}, but the call succeeded`,
  );
}
