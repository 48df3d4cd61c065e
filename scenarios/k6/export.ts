import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { Order } from '../../contracts/domain/order.ts';
import type { Expectation, Scenario } from '../catalogue/scenario.ts';
import { cloneId } from '../replay/orders.ts';
import { k6Load } from './stages.ts';

/**
 * Exports a scenario as a typed k6 script (k6 runs TypeScript natively), its request
 * data and a k6-operator TestRun manifest, for load beyond one machine. The script's
 * thresholds mirror the scenario's expectations where k6 can see them (HTTP intake);
 * the rest (on-time rate, lost orders) shipgate judges from the platform's metrics.
 *
 * The platform's request shape comes from its adapter, and the requests are computed
 * here, one per k6 iteration, into `requests.json` — not re-built in the script. The
 * adapter's request template (a JSONata body, or a TypeScript module's function) then
 * has one implementation, the one replay and scenarios use, so k6 sends byte for byte
 * what they send; k6 needs no JSONata in its runtime (its JS engine is not Node) and the
 * script stays small and type-checked. The price is a data file of bodies rather than
 * orders — a few MB for a peak day, shared by every VU through a SharedArray.
 */
export interface K6Request {
  /** The order id (or clone id) the request carries: a tag in the summary, never sent by k6 on its own. */
  id: string;
  method: string;
  /** Path and query, appended to the target's base URL. */
  path: string;
  headers: Record<string, string>;
  /** The body as sent; null for none. */
  body: string | null;
}

/** How an order becomes the platform's request, and which answers mean "accepted". */
export interface K6RequestShape {
  request(order: Order): K6Request | Promise<K6Request>;
  acceptedStatuses: readonly number[];
  /** Named in the script's header: `sandbox (built-in)`, `kestrel (declarative)`. */
  name: string;
}

/** The sandbox's order API (contracts/platform/api.ts): POST /v1/orders, the order as JSON, 202. */
export const SANDBOX_K6_SHAPE: K6RequestShape = {
  name: 'sandbox (built-in)',
  acceptedStatuses: [202],
  request: (order) => ({
    id: order.id,
    method: 'POST',
    path: '/v1/orders',
    headers: { 'content-type': 'application/json', 'idempotency-key': order.id },
    body: JSON.stringify(order),
  }),
};

/** Iterations past the expected count that still get a request of their own (k6's ramps round). */
const SPARE = 1.05;
export interface K6Threshold {
  metric: string;
  threshold: string;
  abortOnFail: boolean;
  mirrors: Expectation['id'];
}

/** k6 exits with 99 when a threshold fails (k6's documented exit code). */
export const K6_THRESHOLDS_FAILED_EXIT = 99;
/** Orders one k6 runner pod can send per second before it needs company. */
const PER_RUNNER_PER_SECOND = 400;

export function k6Thresholds(expectations: Expectation[]): K6Threshold[] {
  return expectations.flatMap((e): K6Threshold[] => {
    const abortOnFail = e.abortOnFail ?? true;
    switch (e.id) {
      case 'error_rate':
        return [
          {
            metric: 'http_req_failed{name:intake}',
            threshold: `rate<=${e.value}`,
            abortOnFail,
            mirrors: e.id,
          },
        ];
      case 'shipped_rate':
        return [
          { metric: 'checks{check:accepted}', threshold: `rate>=${e.value}`, abortOnFail, mirrors: e.id },
        ];
      // Intake latency bounds processing latency from below: an intake slower than the
      // processing SLO already breaks it.
      case 'processing_p95_seconds':
        return [
          {
            metric: 'http_req_duration{name:intake}',
            threshold: `p(95)<=${e.value * 1000}`,
            abortOnFail,
            mirrors: e.id,
          },
        ];
      case 'processing_p99_seconds':
        return [
          {
            metric: 'http_req_duration{name:intake}',
            threshold: `p(99)<=${e.value * 1000}`,
            abortOnFail,
            mirrors: e.id,
          },
        ];
      default:
        return [];
    }
  });
}

export function k6Script(
  scenario: Scenario,
  options: { target: string; shape: Pick<K6RequestShape, 'acceptedStatuses' | 'name'> },
): string {
  const load = k6Load(scenario.load, scenario.speed);
  const thresholds: Record<string, { threshold: string; abortOnFail: boolean }[]> = {};
  for (const t of k6Thresholds(scenario.expectations)) {
    thresholds[t.metric] = [
      ...(thresholds[t.metric] ?? []),
      { threshold: t.threshold, abortOnFail: t.abortOnFail },
    ];
  }
  const vus = Math.max(10, Math.ceil((load.peakPerMinute / 60) * 2));
  const executor =
    load.executor === 'constant-arrival-rate'
      ? {
          executor: load.executor,
          rate: load.startRate,
          timeUnit: load.timeUnit,
          duration: load.stages[0]!.duration,
        }
      : { executor: load.executor, startRate: load.startRate, timeUnit: load.timeUnit, stages: load.stages };
  const notMirrored = scenario.expectations
    .filter((e) => !k6Thresholds([e]).length)
    .map((e) => `${e.id} ${e.op} ${e.value}`);
  return `// shipgate scenario "${scenario.name}": ${scenario.description}
// Generated by \`shipgate scenario export ${scenario.name} --k6\`. Run: k6 run script.ts
// Requests in the platform's shape (adapter: ${options.shape.name}), one per iteration, built by shipgate.
// Judged by shipgate from the platform's metrics, not visible to k6: ${notMirrored.join('; ') || 'none'}.
import http from 'k6/http';
import exec from 'k6/execution';
import { check } from 'k6';
import { SharedArray } from 'k6/data';
import { Counter } from 'k6/metrics';
import type { Options } from 'k6/options';

interface PlatformRequest {
  id: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | null;
}

const requests: PlatformRequest[] = new SharedArray(
  'requests',
  () => JSON.parse(open('./requests.json')) as PlatformRequest[],
);
const target: string = (__ENV.SHIPGATE_TARGET || ${JSON.stringify(options.target)}).replace(/[/]+$/, '');
const accepted: number[] = ${JSON.stringify(options.shape.acceptedStatuses)};
// Iterations past the data: nothing is sent (a re-sent id would be a duplicate, not an order).
const exhausted = new Counter('requests_exhausted');

export const options: Options = {
  scenarios: {
    orders: ${indent(JSON.stringify({ ...executor, preAllocatedVUs: vus, maxVUs: vus * 5 }, null, 2), 4)},
  },
  thresholds: ${indent(JSON.stringify(thresholds, null, 2), 2)},
};

export default function (): void {
  const request = requests[exec.scenario.iterationInTest];
  if (!request) {
    exhausted.add(1);
    return;
  }
  const response = http.request(request.method, \`\${target}\${request.path}\`, request.body, {
    headers: request.headers,
    tags: { name: 'intake' },
  });
  check(response, { accepted: (r) => accepted.includes(r.status) });
}

export function handleSummary(data: Record<string, unknown>): Record<string, string> {
  return { 'summary.json': JSON.stringify(data, null, 2) };
}
`;
}

export function k6TestRun(scenario: Scenario, options: { configMap?: string; target: string }): string {
  const load = k6Load(scenario.load, scenario.speed);
  const name = `shipgate-${scenario.name}`;
  return stringify({
    apiVersion: 'k6.io/v1alpha1',
    kind: 'TestRun',
    metadata: { name },
    spec: {
      parallelism: Math.max(1, Math.ceil(load.peakPerMinute / 60 / PER_RUNNER_PER_SECOND)),
      script: { configMap: { name: options.configMap ?? name, file: 'script.ts' } },
      runner: { env: [{ name: 'SHIPGATE_TARGET', value: options.target }] },
    },
  });
}

/**
 * One request per expected k6 iteration (and a few spare): the orders in turn, then
 * clones with the replayer's derived ids (`<id>:x2`, as `replay --multiply`), so a
 * scaled-down order set still fills the full-volume run with distinct orders.
 */
export async function k6Requests(
  scenario: Scenario,
  orders: readonly Order[],
  shape: Pick<K6RequestShape, 'request'>,
): Promise<K6Request[]> {
  if (orders.length === 0) return [];
  const count = Math.ceil(k6Load(scenario.load, scenario.speed).expectedOrders * SPARE) + 10;
  const out: K6Request[] = [];
  for (let i = 0; i < count; i++) {
    const order = orders[i % orders.length]!;
    const round = Math.floor(i / orders.length);
    const id = cloneId(order.id, round);
    out.push(await shape.request(round === 0 ? order : { ...order, id }));
  }
  return out;
}

/** Writes script.ts, requests.json and testrun.yaml into `dir`; returns their paths and the request count. */
export async function exportK6(
  scenario: Scenario,
  orders: Order[],
  dir: string,
  options: { target: string; shape: K6RequestShape },
) {
  const requests = await k6Requests(scenario, orders, options.shape);
  mkdirSync(dir, { recursive: true });
  const files = {
    script: join(dir, 'script.ts'),
    requests: join(dir, 'requests.json'),
    testRun: join(dir, 'testrun.yaml'),
  };
  writeFileSync(files.script, k6Script(scenario, options));
  writeFileSync(files.requests, JSON.stringify(requests));
  writeFileSync(files.testRun, k6TestRun(scenario, options));
  return { files, requests: requests.length };
}

function indent(text: string, spaces: number): string {
  return text.replace(/\n/g, `\n${' '.repeat(spaces)}`);
}
