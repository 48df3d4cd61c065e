import { CATALOGUE, type MetricDecl } from '../../canary/metrics/catalogue.ts';
import { seededRandom } from '../../core/prng.ts';
import type {
  BlastRadiusRow,
  CanaryLayer,
  CanaryStep,
  Check,
  ContractsLayer,
  MetricSeries,
  ReplayLayer,
  Report,
  ScenariosLayer,
} from '../../core/report/model.ts';
import { SCHEMA_VERSION } from '../../core/report/model.ts';

/**
 * Realistic reports for tests (renderers, writers, CLI, and other layers' tests that
 * need a whole report around their section). Deterministic: same call, same report.
 *
 * - failedCanaryReport(): a full gate run (contracts, replay, scenarios pass) whose
 *   canary with the processing-latency defect is rolled back at 25% weight, with
 *   per-metric series, steps, the decision and a blast radius.
 * - brokenIntegrationReport(): contracts fail (grams vs kg) and the replay diff fails
 *   (carrier changed in region NW, 2 orders lost); carries hostile text to prove
 *   renderers escape it.
 * - passingGateReport(): every layer passes and the canary is promoted.
 */

const T0 = Date.parse('2026-11-27T09:00:00Z');
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();

/** Seeded noise in [−0.5, 0.5), so fixture data is stable across runs. */
function noise(seed: number) {
  const random = seededRandom(seed);
  return () => random() - 0.5;
}

const base = (command: string, startMs: number, endMs: number) => ({
  $schema: 'https://shipgate.dev/schemas/report-1.0.json',
  schemaVersion: SCHEMA_VERSION,
  runId: `20261127T090000Z-${command.replace(/\W/g, '')}`,
  command,
  tool: { name: 'shipgate' as const, version: '0.1.0' },
  release: {
    name: 'logistics-platform 2.4.0',
    candidateVersion: '2.4.0-rc.3',
    baselineVersion: '2.3.7',
    commit: '9f3c2ab',
    target: 'embedded sandbox',
  },
  timings: { startedAt: iso(startMs), finishedAt: iso(endMs), durationMs: endMs - startMs },
});

function passingContracts(): ContractsLayer {
  const interactions = [
    ['parcelly', 'rate quote'],
    ['parcelly', 'create shipment'],
    ['labelfast', 'create shipment'],
    ['steppe', 'tracking'],
    ['inventory', 'reserve stock'],
  ] as const;
  return {
    status: 'pass',
    summary: 'All 5 carrier and inventory interactions match their contracts.',
    timings: { startedAt: iso(T0 - 20 * MIN), durationMs: 8_400 },
    checks: interactions.map(([provider, interaction]) => ({
      id: `contracts/${provider}/${interaction.replaceAll(' ', '-')}`,
      layer: 'contracts',
      title: `${provider}: ${interaction}`,
      status: 'pass',
      message: `The ${provider} "${interaction}" interaction matches the contract.`,
      evidence: { test: 'pact-verification' },
    })),
    pacts: [
      {
        consumer: 'logistics-platform',
        provider: 'parcelly',
        interactions: 2,
        file: 'pacts/platform-parcelly.json',
      },
      { consumer: 'logistics-platform', provider: 'labelfast', interactions: 1 },
      { consumer: 'logistics-platform', provider: 'steppe', interactions: 1 },
      { consumer: 'logistics-platform', provider: 'inventory', interactions: 1 },
    ],
    failures: [],
  };
}

function passingReplay(): ReplayLayer {
  return {
    status: 'pass',
    summary: 'All 642 recorded orders were replayed; none were lost and no decision changed.',
    timings: {
      startedAt: iso(T0 - 15 * MIN),
      durationMs: 61_000,
      virtual: { startedAt: '2026-11-20T00:00:00.000Z', speed: 1440 },
    },
    checks: [
      {
        id: 'replay/accounting',
        layer: 'replay',
        title: 'Every order accounted for',
        status: 'pass',
        message: '642 lines read: 640 sent, 0 failed, 2 quarantined, 0 lost.',
        evidence: {
          test: 'accounting',
          observed: 0,
          threshold: { op: '==', value: 0, description: 'lost orders' },
        },
      },
      {
        id: 'replay/diff',
        layer: 'replay',
        title: 'Same decisions as the baseline',
        status: 'pass',
        message: 'No unexpected differences; 1 field (eta) varies on its own and was ignored.',
        evidence: {
          test: 'diff',
          observed: 0,
          threshold: { op: '<=', value: 0.01, description: 'share of orders with differences' },
        },
      },
    ],
    input: { file: 'traffic/2026-11-20.jsonl', format: 'jsonl', speed: 1440, multiply: 1 },
    target: 'http://127.0.0.1:41873',
    baselineTarget: 'http://127.0.0.1:41871',
    accounting: { read: 642, sent: 640, failed: 0, quarantined: 2, lost: 0, lostOrderIds: [] },
    compared: 640,
    diffGroups: [
      {
        field: 'eta',
        count: 37,
        share: 37 / 640,
        attributes: {},
        summary: 'eta differs in 6% of orders, also between two baseline runs (noise)',
        sampleOrderIds: ['ord-20261120-00017', 'ord-20261120-00230'],
        noisy: true,
      },
    ],
    throughput: { ordersPerSecond: 10.5, latencyP95Ms: 38 },
  };
}

function passingScenarios(): ScenariosLayer {
  return {
    status: 'pass',
    summary: 'The normal-day scenario met every SLO.',
    checks: [
      {
        id: 'scenarios/normal-day',
        layer: 'scenarios',
        title: 'Normal day (640 orders)',
        status: 'pass',
        message:
          'On-time rate 96.4% (target at least 95%), processing p95 0.42 s (target at most 1 s), no lost orders.',
        evidence: { test: 'slo' },
      },
    ],
    runs: [
      {
        name: 'normal-day',
        description: 'A realistic day of 640 orders with the diurnal curve and the cutoff rush.',
        version: 'canary',
        status: 'pass',
        timings: { startedAt: iso(T0 - 12 * MIN), durationMs: 95_000 },
        orders: { sent: 640, failed: 0, lost: 0 },
        faults: [],
        slos: [
          {
            id: 'on_time_rate',
            title: 'On-time delivery rate',
            unit: 'ratio',
            target: { op: '>=', value: 0.95 },
            observed: 0.964,
            status: 'pass',
            samples: 631,
          },
          {
            id: 'processing_p95',
            title: 'Processing latency p95',
            unit: 'seconds',
            target: { op: '<=', value: 1 },
            observed: 0.42,
            status: 'pass',
            samples: 640,
          },
          {
            id: 'lost_orders',
            title: 'Lost orders',
            unit: 'count',
            target: { op: '==', value: 0 },
            observed: 0,
            status: 'pass',
          },
        ],
      },
    ],
  };
}

/** Canary vs baseline levels per metric; `null` canary = no data yet (lagging metric). */
const LEVELS: Record<string, { baseline: number; canary: number | null; spread: number }> = {
  on_time_rate: { baseline: 0.962, canary: null, spread: 0.01 },
  processing_over_slo: { baseline: 0.02, canary: 0.24, spread: 0.01 },
  eta_past_promise: { baseline: 0.03, canary: 0.07, spread: 0.01 },
  cutoff_missed: { baseline: 0.008, canary: 0.05, spread: 0.004 },
  error_rate: { baseline: 0.003, canary: 0.004, spread: 0.002 },
  processing_p95: { baseline: 0.45, canary: 1.8, spread: 0.05 },
};

const threshold = (m: MetricDecl) =>
  m.slo ? { op: m.slo.op, value: m.slo.value, description: 'SLO' } : undefined;

function canarySeries(endMs: number, regressFrom: number): MetricSeries[] {
  return CATALOGUE.map((m, mi) => {
    const level = LEVELS[m.id] ?? { baseline: 0.01, canary: 0.01, spread: 0.001 };
    const rand = noise(mi + 1);
    const t: number[] = [];
    const canary: (number | null)[] = [];
    const baseline: (number | null)[] = [];
    for (let ms = T0 + 30_000; ms <= endMs; ms += 30_000) {
      t.push(ms);
      baseline.push(round(level.baseline + rand() * level.spread));
      // The defect is there from the start but the first minute has too few canary orders.
      if (level.canary === null || ms < T0 + 90_000) canary.push(null);
      else {
        const ramp = ms < regressFrom ? 0.5 : 1;
        const value = level.baseline + (level.canary - level.baseline) * ramp + rand() * level.spread * 2;
        canary.push(round(Math.max(0, value)));
      }
    }
    const slo = threshold(m);
    return {
      metric: m.id,
      title: m.title,
      unit: m.unit,
      direction: m.direction,
      indicator: m.indicator,
      ...(slo ? { slo } : {}),
      t,
      canary,
      baseline,
    };
  });
}

const round = (x: number) => Math.round(x * 10_000) / 10_000;

function canaryChecks(): Check[] {
  const alpha = 0.05;
  const eThreshold = {
    op: '>=' as const,
    value: 1 / alpha,
    description: 'roll back when the e-value reaches 1/alpha',
  };
  return [
    {
      id: 'canary/processing_over_slo',
      layer: 'canary',
      title: 'Orders slower than the processing SLO',
      status: 'fail',
      message:
        '24% of canary orders took longer than 1 s to process, against 2% on the stable build; the evidence crossed the rollback line at 25% traffic.',
      evidence: {
        metric: 'processing_over_slo',
        unit: 'ratio',
        canary: { value: 0.24, samples: 158, bad: 38, total: 158 },
        baseline: { value: 0.02, samples: 1204, bad: 24, total: 1204 },
        test: 'mixture-sprt',
        statistic: { name: 'e-value', value: 412.7 },
        threshold: eThreshold,
        alpha,
      },
    },
    {
      id: 'canary/processing_p95',
      layer: 'canary',
      title: 'Order processing latency p95',
      status: 'fail',
      message:
        'The canary processes 95% of orders within 1.8 s; the SLO is 1 s and the stable build needs 0.45 s.',
      evidence: {
        metric: 'processing_p95',
        unit: 'seconds',
        canary: { value: 1.8, samples: 158 },
        baseline: { value: 0.45, samples: 1204 },
        test: 'threshold',
        threshold: { op: '<=', value: 1, description: 'SLO' },
      },
    },
    {
      id: 'canary/eta_past_promise',
      layer: 'canary',
      title: 'Predicted ETA past promise',
      status: 'pass',
      message: 'Slightly more canary orders are predicted late (7% vs 3%), but not yet enough to be sure.',
      evidence: {
        metric: 'eta_past_promise',
        unit: 'ratio',
        canary: { value: 0.07, samples: 150, bad: 11, total: 150 },
        baseline: { value: 0.03, samples: 1190, bad: 36, total: 1190 },
        test: 'mixture-sprt',
        statistic: { name: 'e-value', value: 3.4 },
        threshold: eThreshold,
        alpha,
      },
    },
    {
      id: 'canary/cutoff_missed',
      layer: 'canary',
      title: 'Dispatch cutoff misses',
      status: 'pass',
      message: 'Cutoff misses are up on the canary (5% vs 0.8%) but below the rollback line.',
      evidence: {
        metric: 'cutoff_missed',
        unit: 'ratio',
        canary: { value: 0.05, samples: 150, bad: 7, total: 150 },
        baseline: { value: 0.008, samples: 1190, bad: 10, total: 1190 },
        test: 'mixture-sprt',
        statistic: { name: 'e-value', value: 11.2 },
        threshold: eThreshold,
        alpha,
      },
    },
    {
      id: 'canary/error_rate',
      layer: 'canary',
      title: 'Order processing errors',
      status: 'pass',
      message: 'Errors are as rare on the canary as on the stable build.',
      evidence: {
        metric: 'error_rate',
        unit: 'ratio',
        canary: { value: 0.0063, samples: 158, bad: 1, total: 158 },
        baseline: { value: 0.0033, samples: 1204, bad: 4, total: 1204 },
        test: 'mixture-sprt',
        statistic: { name: 'e-value', value: 0.9 },
        threshold: eThreshold,
        alpha,
      },
    },
    {
      id: 'canary/on_time_rate',
      layer: 'canary',
      title: 'On-time delivery rate',
      status: 'inconclusive',
      message:
        'No canary order has been delivered yet, so the on-time rate cannot be judged; the leading indicators decided.',
      evidence: {
        metric: 'on_time_rate',
        unit: 'ratio',
        canary: { value: null, samples: 0 },
        baseline: { value: 0.962, samples: 512, bad: 19, total: 512 },
        test: 'mixture-sprt',
        statistic: { name: 'e-value', value: null },
        threshold: eThreshold,
        alpha,
        details: { note: 'lagging indicator' },
      },
    },
  ];
}

function blastRows(): BlastRadiusRow[] {
  const regions = ['NW', 'N', 'C', 'NW', 'SE', 'NW', 'W', 'C', 'NW', 'E', 'S', 'NW'];
  const carriers = ['parcelly', 'labelfast', 'steppe'];
  return regions.map((region, i) => {
    const delayHours = [80, 12, 26, 96, 5, 74, 30, 8, 110, 15, 50, 77][i] ?? 0;
    const tier = i === 3 ? 'vip' : i === 8 ? 'high-value' : 'standard';
    const late = delayHours > 72;
    const compensation = !late
      ? { action: 'none', reason: 'delay under 3 days: no compensation, proactive notice only' }
      : tier === 'standard'
        ? {
            action: 'refund-shipping',
            amount: 4.9,
            currency: 'EUR',
            reason: 'delay over 3 days: shipping refunded',
          }
        : {
            action: 'refund-shipping-and-voucher',
            amount: 14.9,
            currency: 'EUR',
            reason: `delay over 3 days: shipping refunded plus a voucher (${tier} order)`,
          };
    return {
      orderId: `ord-20261127-${String(412 + i * 7).padStart(5, '0')}`,
      region,
      carrier: carriers[i % 3] ?? 'parcelly',
      serviceLevel: i % 4 === 0 ? 'express' : 'standard',
      promisedBy: iso(T0 + (2 + (i % 3)) * 24 * 60 * MIN),
      delayHours,
      basis: 'predicted' as const,
      tier,
      compensation,
    };
  });
}

function failedCanary(): CanaryLayer {
  const rollbackAt = T0 + 26 * MIN + 30_000;
  const steps: CanaryStep[] = [
    {
      index: 0,
      weight: 1,
      startedAt: iso(T0),
      endedAt: iso(T0 + 10 * MIN),
      outcome: 'continued',
      canaryOrders: 14,
      baselineOrders: 1290,
    },
    {
      index: 1,
      weight: 5,
      startedAt: iso(T0 + 10 * MIN),
      endedAt: iso(T0 + 20 * MIN),
      outcome: 'continued',
      canaryOrders: 61,
      baselineOrders: 1170,
    },
    {
      index: 2,
      weight: 25,
      startedAt: iso(T0 + 20 * MIN),
      endedAt: iso(rollbackAt),
      outcome: 'rolled-back',
      canaryOrders: 83,
      baselineOrders: 251,
    },
  ];
  const checks = canaryChecks();
  return {
    status: 'fail',
    summary: 'The canary was rolled back at 25% traffic: order processing got much slower.',
    timings: {
      startedAt: '2026-11-23T16:40:00.000Z',
      finishedAt: '2026-11-23T16:40:27.000Z',
      durationMs: 27_000,
      virtual: { startedAt: iso(T0), finishedAt: iso(rollbackAt), speed: 60 },
    },
    source: 'direct-scrape',
    judge: { name: 'mixture-sprt', alpha: 0.05 },
    clock: 'virtual',
    steps,
    series: canarySeries(rollbackAt, T0 + 20 * MIN),
    checks,
    decision: {
      action: 'rollback',
      at: iso(rollbackAt),
      stepIndex: 2,
      weight: 25,
      triggeredBy: 'canary/processing_over_slo',
      reason:
        'Orders slower than the processing SLO: 24% on the canary vs 2% on stable (e-value 412.7 ≥ 20).',
    },
    blastRadius: {
      policy: 'Shipping refunded past a 3-day delay; high-value and VIP orders also get a voucher.',
      ordersServedByCanary: 158,
      affected: 12,
      rows: blastRows(),
      csvFile: 'blast-radius.csv',
    },
  };
}

export function failedCanaryReport(): Report {
  return {
    ...base('gate', T0 - 20 * MIN, T0 + 27 * MIN),
    decision: {
      verdict: 'fail',
      reason:
        'The canary was rolled back at 25% traffic because 24% of its orders took longer than 1 s to process, against 2% on the stable build.',
      exitCode: 1,
      decidedBy: { layer: 'canary', checkId: 'canary/processing_over_slo' },
    },
    layers: {
      contracts: passingContracts(),
      replay: passingReplay(),
      scenarios: passingScenarios(),
      canary: failedCanary(),
    },
  };
}

export function brokenIntegrationReport(): Report {
  const contracts: ContractsLayer = {
    ...passingContracts(),
    status: 'fail',
    summary:
      'The parcelly "create shipment" interaction breaks its contract: parcel weight is sent in grams.',
    failures: [
      {
        provider: 'parcelly',
        consumer: 'logistics-platform',
        interaction: 'create shipment',
        providerState: 'carrier accepts parcels up to 30 kg',
        field: 'request.body.parcel.weight',
        expected: 'a number of kilograms, at most 30 (e.g. 2.4)',
        actual: '2400 — grams, <img src=x onerror=alert(1)>',
        message: 'The platform sends the parcel weight in grams where parcelly expects kilograms.',
      },
    ],
  };
  contracts.checks = contracts.checks.map((c) =>
    c.id === 'contracts/parcelly/create-shipment'
      ? {
          ...c,
          status: 'fail',
          message:
            'parcelly "create shipment": field parcel.weight expected kilograms (≤ 30), got 2400 (grams).',
          evidence: {
            test: 'pact-verification',
            details: { field: 'request.body.parcel.weight', expected: 'number ≤ 30 (kg)', actual: 2400 },
          },
        }
      : c,
  );
  const replay: ReplayLayer = {
    ...passingReplay(),
    status: 'fail',
    summary: '2 orders were lost and the carrier changed for 12% of orders, all in region NW.',
    accounting: {
      read: 642,
      sent: 640,
      failed: 0,
      quarantined: 2,
      lost: 2,
      lostOrderIds: ['ord-20261120-00311', 'ord-20261120-00598'],
    },
    diffGroups: [
      {
        field: 'carrier',
        from: 'parcelly',
        to: 'steppe',
        count: 77,
        share: 0.12,
        attributes: { region: 'NW' },
        summary: 'carrier changed parcelly→steppe in 12% of orders, all in region NW',
        sampleOrderIds: ['ord-20261120-00044', 'ord-20261120-00101', 'ord-20261120-00187'],
      },
      ...(passingReplay().diffGroups ?? []),
    ],
    checks: [
      {
        id: 'replay/accounting',
        layer: 'replay',
        title: 'Every order accounted for',
        status: 'fail',
        message:
          '2 orders were accepted by the platform and never processed: ord-20261120-00311, ord-20261120-00598.',
        evidence: {
          test: 'accounting',
          observed: 2,
          threshold: { op: '==', value: 0, description: 'lost orders' },
          details: { lostOrderIds: ['ord-20261120-00311', 'ord-20261120-00598'] },
        },
      },
      {
        id: 'replay/diff',
        layer: 'replay',
        title: 'Same decisions as the baseline',
        status: 'fail',
        message:
          'The candidate picks a different carrier for 12% of orders (parcelly→steppe), all in region NW.',
        evidence: {
          test: 'diff',
          observed: 0.12,
          threshold: { op: '<=', value: 0.01, description: 'share of orders with differences' },
        },
      },
    ],
  };
  return {
    ...base('gate', T0 - 20 * MIN, T0 - 10 * MIN),
    decision: {
      verdict: 'fail',
      reason:
        'The release breaks the parcelly integration: it sends parcel weights in grams where kilograms are expected.',
      exitCode: 1,
      decidedBy: { layer: 'contracts', checkId: 'contracts/parcelly/create-shipment' },
    },
    layers: { contracts, replay },
  };
}

export function passingGateReport(): Report {
  const { blastRadius: _none, ...canary } = failedCanary();
  const end = T0 + 40 * MIN;
  const series = canarySeries(end, end).map((s) => ({
    ...s,
    canary: s.baseline.map((v, i) => (i < 2 || v === null ? null : v)),
  }));
  return {
    ...base('gate', T0 - 20 * MIN, end),
    decision: {
      verdict: 'pass',
      reason: 'Every layer passed and the canary was promoted to 100% of traffic.',
      exitCode: 0,
    },
    layers: {
      contracts: passingContracts(),
      replay: passingReplay(),
      scenarios: passingScenarios(),
      canary: {
        ...canary,
        status: 'pass',
        summary: 'The canary behaved like the stable build at every step and was promoted.',
        steps: [1, 5, 25, 50].map((weight, index) => ({
          index,
          weight,
          startedAt: iso(T0 + index * 10 * MIN),
          endedAt: iso(T0 + (index + 1) * 10 * MIN),
          outcome: index === 3 ? ('promoted' as const) : ('continued' as const),
        })),
        series,
        checks: canary.checks.map((c) => ({
          ...c,
          status: 'pass' as const,
          message: `${c.title}: no difference from the stable build.`,
        })),
        decision: {
          action: 'promote',
          at: iso(end),
          stepIndex: 3,
          weight: 50,
          reason: 'No metric showed the canary worse than stable.',
        },
      },
    },
  };
}
