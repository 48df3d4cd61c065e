import { DEFAULT_EXPECTATIONS, type Expectation, type Scenario } from './scenario.ts';

/** Defaults with some SLOs replaced. */
function expect(...overrides: Expectation[]): Expectation[] {
  return [...DEFAULT_EXPECTATIONS.filter((e) => !overrides.some((o) => o.id === e.id)), ...overrides];
}

const WORKING_DAY = { startHour: 8, hours: 10 };

/**
 * The built-in scenario catalogue. Volumes follow the design: 600+ orders on a normal
 * day, a peak day ×10, Black Friday bursts ×50 for two hours.
 */
export const SCENARIOS: Scenario[] = [
  {
    name: 'normal-day',
    description: 'an ordinary day: 600 orders on the diurnal curve',
    load: { ordersPerDay: 600, window: { startHour: 0, hours: 24 } },
    faults: [],
    expectations: expect(),
    settleDays: 4,
    speed: 1440,
  },
  {
    name: 'peak-day',
    description: 'a peak day: ten times the normal volume on the same curve',
    load: { ordersPerDay: 600, multiplier: 10, window: WORKING_DAY },
    faults: [],
    expectations: expect(),
    settleDays: 4,
    speed: 720,
  },
  {
    name: 'black-friday',
    description: 'Black Friday: a ×50 burst for two hours late in the morning',
    load: {
      ordersPerDay: 600,
      bursts: [{ startHour: 10, hours: 2, multiplier: 50 }],
      window: { startHour: 9, hours: 4 },
    },
    faults: [],
    expectations: expect({ id: 'processing_p99_seconds', op: '<=', value: 5 }),
    settleDays: 4,
    speed: 240,
  },
  {
    name: 'carrier-outage',
    description:
      'parcelly is down for four hours of a working day; orders must fail over to the other carriers',
    load: { ordersPerDay: 600, window: WORKING_DAY },
    faults: [{ target: 'parcelly', kind: 'outage', status: 503, fromHour: 2, untilHour: 6 }],
    expectations: expect({ id: 'shipped_rate', op: '>=', value: 0.97 }),
    settleDays: 4,
    speed: 1440,
  },
  {
    name: 'slow-carrier',
    description: "steppe's API answers twenty times slower than usual all day",
    load: { ordersPerDay: 600, window: WORKING_DAY },
    faults: [{ target: 'steppe', kind: 'latency', multiplier: 20, addMs: 150 }],
    expectations: expect(),
    settleDays: 4,
    speed: 1440,
  },
  {
    name: 'inventory-timeouts',
    description: 'one inventory call in five hangs for 3 s during the morning peak',
    load: { ordersPerDay: 600, window: WORKING_DAY },
    faults: [{ target: 'inventory', kind: 'timeout', rate: 0.2, hangMs: 3000, fromHour: 2, untilHour: 5 }],
    expectations: expect({ id: 'processing_p99_seconds', op: '<=', value: 4 }),
    settleDays: 4,
    speed: 1440,
  },
  {
    name: 'cutoff-rush',
    description: 'everyone orders in the two hours before the 16:00 warehouse cutoff (×6)',
    load: {
      ordersPerDay: 600,
      cutoffRush: { cutoffHour: 16, hours: 2, multiplier: 6 },
      window: { startHour: 12, hours: 6 },
    },
    faults: [],
    expectations: expect({ id: 'cutoff_missed_rate', op: '<=', value: 0.02 }),
    settleDays: 4,
    speed: 720,
  },
];

export function scenarioByName(name: string, extra: Scenario[] = []): Scenario | undefined {
  return [...extra, ...SCENARIOS].find((s) => s.name === name);
}
