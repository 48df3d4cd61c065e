/**
 * The canary build's defect catalogue. Each defect is realistic and aimed at a
 * different layer of shipgate, so the demo and the end-to-end tests can show that
 * each layer catches what the one before cannot. Behaviour lives in the pipeline;
 * this file is the catalogue as data.
 */
export const DEFECTS = [
  {
    name: 'none',
    summary: 'a clean build: the canary behaves exactly like stable',
    breaks: 'nothing',
    caughtBy: 'nothing (the gate should promote)',
  },
  {
    name: 'latency-under-load',
    summary: 'a lock taken on every order makes processing slower, and much slower as orders queue up',
    breaks: 'order-processing latency, then dispatch cutoffs and on-time delivery',
    caughtBy: 'scenarios (peak-day latency SLO) and the canary gate (orders over the latency SLO)',
  },
  {
    name: 'wrong-carrier',
    summary:
      'rate shopping for region NW ignores the delivery promise and buys the cheapest, slowest service',
    breaks: 'carrier choice in NW: predicted ETA past promise, late deliveries',
    caughtBy: 'replay diff (carrier changed in region NW) and the canary gate (ETA past promise)',
  },
  {
    name: 'unit-mismatch',
    summary: 'the steppe carrier client sends the parcel weight in kilograms where the API expects grams',
    breaks: 'the steppe integration: rejected shipments and wrong prices',
    caughtBy: 'contracts (the steppe consumer spec or provider verification)',
  },
  {
    name: 'dropped-orders',
    summary: 'about 3% of accepted orders are silently dropped from the processing queue',
    breaks: 'orders: accepted, never shipped, no error anywhere',
    caughtBy: 'replay accounting (lost orders)',
  },
] as const;

export type DefectName = (typeof DEFECTS)[number]['name'];
export const DEFECT_NAMES = DEFECTS.map((d) => d.name) as DefectName[];

export function isDefectName(name: string): name is DefectName {
  return (DEFECT_NAMES as string[]).includes(name);
}

/** Tunables of the defects' behaviour, kept here so tests and docs can quote them. */
export const DEFECT_PARAMS = {
  latencyUnderLoad: {
    /** Median extra time inside the lock with nothing else queued, real ms. */
    medianMs: 400,
    /** Log-normal spread of that extra time. */
    sigma: 0.6,
    /** Each order already in flight adds this share of the median (the lock queue). */
    perInFlight: 0.25,
    capMs: 15_000,
  },
  wrongCarrier: { region: 'NW' },
  droppedOrders: { share: 0.03 },
} as const;
