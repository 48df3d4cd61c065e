import fc from 'fast-check';
import Type from 'typebox';
import { describeIssues, validator } from '../../core/schema/validate.ts';
import { CarrierError } from '../carriers/client.ts';
import { createCarrierClient } from '../carriers/index.ts';
import { Reservation } from '../domain/inventory.ts';
import { CARRIERS, type CarrierName, RateQuote, Shipment, Tracking } from '../domain/shipping.ts';
import { SKU_CATALOGUE } from '../inventory/catalogue.ts';
import { InventoryError } from '../inventory/client.ts';
import { createInventoryClient } from '../inventory/http-client.ts';
import type { ProviderTarget } from '../verify/verify.ts';
import { parcel, reservation } from './arbitraries.ts';

/** Runs per provider: small in CI, more with SHIPGATE_GENERATIVE_RUNS. */
export const DEFAULT_RUNS = 50;

export function runsFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const runs = Number(env.SHIPGATE_GENERATIVE_RUNS);
  return Number.isInteger(runs) && runs > 0 ? runs : DEFAULT_RUNS;
}

export interface GenerativeResult {
  provider: string;
  runs: number;
  /** Calls answered with a contract-valid success. */
  succeeded: number;
  /** Calls refused with a documented error (4xx with the provider's error body). */
  refused: number;
  passed: boolean;
  seed: number;
  /** The shrunk input that broke the property, as JSON. */
  counterexample?: string;
  error?: string;
}

const checkQuotes = validator(Type.Array(RateQuote));
const checkShipment = validator(Shipment);
const checkTracking = validator(Tracking);
const checkReservation = validator(Reservation);

/**
 * Generated parcels and reservations through the platform's REAL clients against running
 * providers. Every answer must be contract-valid (the clients check the wire schema of
 * every success body; their domain results are checked again here) or a documented
 * refusal: a 4xx, not retryable, whose body is the provider's documented error shape
 * (the client could read its message). A 5xx, a transport failure, an undocumented
 * error body or a body that breaks the wire schema fails the property, and fast-check
 * shrinks the input to the smallest that does.
 */
export async function runGenerativeChecks(options: {
  targets: ProviderTarget[];
  runs?: number;
  seed?: number;
}): Promise<GenerativeResult[]> {
  const runs = options.runs ?? runsFromEnv();
  const seed = options.seed ?? Date.now() % 2_147_483_647;
  const out: GenerativeResult[] = [];
  for (const target of options.targets) {
    const counts = { succeeded: 0, refused: 0 };
    const property: fc.IAsyncProperty<[unknown]> | undefined = (CARRIERS as readonly string[]).includes(
      target.provider,
    )
      ? (carrierProperty(target, counts) as fc.IAsyncProperty<[unknown]>)
      : target.provider === 'inventory'
        ? (inventoryProperty(target, counts) as fc.IAsyncProperty<[unknown]>)
        : undefined;
    if (!property) continue;
    const details = await fc.check(property, {
      numRuns: runs,
      seed,
      endOnFailure: false,
      interruptAfterTimeLimit: 60_000,
    });
    const failed = details.failed;
    out.push({
      provider: target.provider,
      runs: details.numRuns,
      ...counts,
      passed: !failed && !details.interrupted,
      seed,
      ...(failed && details.counterexample
        ? { counterexample: JSON.stringify(details.counterexample[0]).slice(0, 2000) }
        : {}),
      ...(failed
        ? { error: String((details.errorInstance as Error | undefined)?.message ?? details.errorInstance) }
        : {}),
      ...(details.interrupted ? { error: 'interrupted after the time limit' } : {}),
    });
  }
  return out;
}

type Counts = { succeeded: number; refused: number };

function carrierProperty(target: ProviderTarget, counts: Counts) {
  const client = createCarrierClient(target.provider as CarrierName, {
    baseUrl: target.baseUrl,
    apiKey: target.apiKey ?? '',
  });
  return fc.asyncProperty(parcel, async (input) => {
    const quotes = await documented(client.quote(input), counts);
    if (!quotes) return;
    mustMatch('quotes', checkQuotes(quotes));
    if (quotes.length === 0) return;
    const shipment = await documented(client.createShipment(input, quotes[0]!), counts);
    if (!shipment) return;
    mustMatch('shipment', checkShipment(shipment));
    const tracking = await documented(client.track(shipment), counts);
    if (tracking) mustMatch('tracking', checkTracking(tracking));
  });
}

function inventoryProperty(target: ProviderTarget, counts: Counts) {
  const client = createInventoryClient({ baseUrl: target.baseUrl, apiKey: target.apiKey });
  return fc.asyncProperty(reservation(SKU_CATALOGUE.map((item) => item.sku)), async (request) => {
    const held = await documented(client.reserve(request), counts);
    if (!held) return;
    mustMatch('reservation', checkReservation(held));
    const released = await documented(client.release(held.reservationId), counts);
    if (released) mustMatch('released reservation', checkReservation(released));
  });
}

/** The call's value, or undefined for a documented refusal; anything else throws. */
async function documented<T>(call: Promise<T>, counts: Counts): Promise<T | undefined> {
  try {
    const value = await call;
    counts.succeeded++;
    return value;
  } catch (error) {
    const status = (error as { status?: number }).status;
    const known = error instanceof CarrierError || error instanceof InventoryError;
    const readable =
      error instanceof CarrierError
        ? !/: HTTP \d+$/.test(error.message)
        : error instanceof InventoryError && error.details.code !== undefined;
    const retryable = error instanceof CarrierError ? error.retryable : status === undefined || status >= 500;
    if (
      known &&
      status !== undefined &&
      status >= 400 &&
      status < 500 &&
      !retryable &&
      readable &&
      !/does not match/.test((error as Error).message)
    ) {
      counts.refused++;
      return undefined;
    }
    throw error;
  }
}

function mustMatch(
  what: string,
  result: { ok: true } | { ok: false; issues: { path: string; message: string }[] },
): void {
  if (!result.ok)
    throw new Error(`${what} breaks the platform's domain schema: ${describeIssues(result.issues)}`);
}
