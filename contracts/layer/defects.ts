import type { ClientOptions } from '../pact/types.ts';

/**
 * How each canary defect changes the platform's integration clients. Only the defects
 * that live in a client appear here; the others (latency, carrier choice, dropped orders)
 * leave the contracts intact and are other layers' to catch.
 */
const CLIENT_DEFECTS: Record<string, ClientOptions> = {
  'unit-mismatch': { weightUnitBug: true },
};

export function clientOptionsForDefect(defect: string | undefined): ClientOptions {
  return (defect && CLIENT_DEFECTS[defect]) || {};
}
