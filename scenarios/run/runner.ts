import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Order } from '../../contracts/domain/order.ts';
import type { Scenario } from '../catalogue/scenario.ts';
import { expectedOrders } from '../load/profile.ts';
import { sandboxPlatform } from '../platform/sandbox.ts';
import { PlatformClient } from '../replay/platform-client.ts';
import { replay } from '../replay/replayer.ts';
import type { ReplayProgress } from '../replay/types.ts';
import type { TrafficRecord } from '../traffic/record.ts';
import { type FailoverReport, failoverReport } from './failover.ts';
import {
  applyFaults,
  assertFaultsApplicable,
  clearFaults,
  describeFault,
  type PlacedFault,
  placeFaults,
} from './faults.ts';
import { judgeAll, overall, type SloStatus, type SloVerdict } from './judge.ts';
import { observeOutcomes } from './observe.ts';
import { SCENARIO_DATE, scenarioOrders, windowStartMs } from './orders.ts';
import { awaitDeliveries } from './settle.ts';
import type { ScenarioTarget, TargetSpec } from './target.ts';

/**
 * Runs one load-and-fault scenario against any platform, through its adapter: orders
 * generated on the scenario's load profile, faults placed on the target's virtual clock
 * through the fault admin APIs, load driven by the replayer (open model,
 * time-compressed), deliveries tracked for `settleDays` virtual days (bounded in real
 * time), SLOs observed from each order's report as the adapter reads it plus the replay
 * ledger (lost orders), each expectation judged.
 *
 * `scale` F ∈ (0, 1] shrinks the volume by F and the virtual duration's real time by F
 * (speed ÷ F), so the real order rate — what loads the platform — stays the scenario's.
 */
export interface RunScenarioOptions {
  scenario: Scenario;
  /** A running target, or a way to start one at the run's pace (stopped after the run). */
  target: TargetSpec;
  version?: 'stable' | 'canary';
  /** Virtual seconds per real second, before scaling; default the scenario's, or the target clock's. */
  speedOverride?: number;
  scale?: number;
  seed?: string;
  /** Where the replayer's results file goes; default a temp dir. */
  workDir?: string;
  resultsFileName?: string;
  /** Real-time bound on waiting for deliveries after the load; default 60 s. */
  settleTimeoutMs?: number;
  /** Most orders in flight; default 256. */
  concurrency?: number;
  pollIntervalMs?: number;
  signal?: AbortSignal;
  onEvent?: (event: { type: string; [key: string]: unknown }) => void;
  /** Running totals while the load is driven (shipgate's own metrics read them); counts only. */
  onProgress?: (progress: ScenarioProgress) => void;
  /** Orders already generated (compare runs both builds on the very same orders). */
  orders?: Order[];
}

export interface ScenarioProgress {
  scenario: string;
  /** Share of the load window's virtual time driven so far, 0..1. */
  ratio: number;
  sent: number;
  failed: number;
  lost: number;
}

export interface ScenarioResult {
  scenario: string;
  description: string;
  version: string;
  target: string;
  status: SloStatus;
  scale: number;
  speed: number;
  orders: { planned: number; sent: number; failed: number; lost: number; lostIds: string[] };
  faults: string[];
  slos: SloVerdict[];
  failover: FailoverReport[];
  observations: string[];
  timings: {
    startedAt: string;
    finishedAt: string;
    durationMs: number;
    loadMs: number;
    settleMs: number;
    virtual: { startedAt: string; finishedAt: string; speed: number };
  };
  driver: { scheduleLagP99Ms: number; throughput: number; intakeP95Ms: number };
  settle: { delivered: number; awaiting: number; virtualDays: number; timedOut: boolean };
}

const HOUR_MS = 3_600_000;
/** Real time a started target gets to come up before the scenario's clock reaches the window. */
const START_LEAD_MS = 3_000;
const DAY_MS = 24 * HOUR_MS;

export async function runScenario(options: RunScenarioOptions): Promise<ScenarioResult> {
  const { scenario } = options;
  const version = options.version ?? 'stable';
  const scale = options.scale ?? 1;
  if (!(scale > 0 && scale <= 1)) throw new RangeError(`scale must be in (0, 1], got ${scale}`);
  const emit = options.onEvent ?? (() => undefined);
  const startedAt = new Date();
  const orders =
    options.orders ?? scenarioOrders({ load: scenario.load, seed: options.seed ?? scenario.name, scale });
  const windowStart = windowStartMs(scenario.load, SCENARIO_DATE);

  let speed = (options.speedOverride ?? scenario.speed) / scale;
  // A target that cannot take the scenario's faults is told before anything starts.
  if (typeof options.target !== 'function')
    assertFaultsApplicable(scenario, options.target.admin, targetName(options.target));
  const owned =
    typeof options.target === 'function'
      ? await options.target({ speed, version, virtualStartMs: windowStart, leadMs: START_LEAD_MS })
      : undefined;
  const target: ScenarioTarget = owned ?? (options.target as ScenarioTarget);
  // How this platform is spoken: its adapter, the sandbox's built-in one by default.
  const platform = target.platform ?? sandboxPlatform;
  const client = new PlatformClient(new URL(target.url), {
    connections: 4,
    timeoutMs: 5_000,
    maxAttempts: 2,
    adapter: platform,
    label: version,
  });
  let touched: Awaited<ReturnType<typeof applyFaults>> = [];
  try {
    if (owned) assertFaultsApplicable(scenario, owned.admin, targetName(owned));
    let clock = await client.clock(options.signal);
    // A target with its own clock sets the pace unless told otherwise: orders must land
    // at the virtual times its clock shows.
    if (clock && !owned && options.speedOverride === undefined) speed = clock.speed;
    const targetSpeed = clock?.speed ?? 1;
    emit({ type: 'scenario.started', scenario: scenario.name, version, orders: orders.length, speed, scale });

    const first = orders.length ? Date.parse(orders[0]!.createdAt) : windowStart;
    if (owned && clock) {
      // The sandbox's clock reaches the first order's time a moment after setup: wait
      // for it (bounded), so orders keep their times of day relative to the cutoff.
      const wait = Math.min(
        (first - Date.parse(clock.now)) / targetSpeed - (Date.now() - clock.readAtMs),
        10_000,
      );
      if (wait > 0) await sleep(wait, undefined, { signal: options.signal });
      clock = (await client.clock(options.signal)) ?? clock;
    }
    // The replayer maps the first order's time onto the target's "now" at its first
    // send; the window's start is that much earlier. Hours of the scenario pass at
    // `speed`, the target's clock at its own speed.
    const targetNow = clock
      ? Date.parse(clock.now) + (Date.now() - clock.readAtMs) * targetSpeed
      : Date.now();
    const targetStart = targetNow - ((first - windowStart) * targetSpeed) / speed;
    const placed = placeFaults(scenario.faults, targetStart).map((p) =>
      rescale(p, targetStart, targetSpeed / speed),
    );
    if (placed.length && target.admin) {
      touched = await applyFaults(placed, target.admin);
      emit({ type: 'scenario.faults', faults: placed.map(describeFault) });
    }

    const loadStarted = performance.now();
    const result = await replay({
      records: records(orders),
      target: target.url,
      platform,
      allowHosts: target.allowHosts ?? [],
      resultsFile: join(
        options.workDir ?? mkdtempSync(join(tmpdir(), 'sg-scenario-')),
        options.resultsFileName ?? 'results.jsonl',
      ),
      speed,
      concurrency: options.concurrency ?? 256,
      settleTimeoutMs: Math.max(10_000, options.settleTimeoutMs ?? 60_000),
      pollIntervalMs: options.pollIntervalMs ?? 100,
      label: version,
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onProgress
        ? { onProgress: loadProgress(options.onProgress, scenario, first - windowStart, speed) }
        : {}),
    });
    const loadMs = performance.now() - loadStarted;
    emit({
      type: 'scenario.load.done',
      sent: result.orders.accepted,
      failed: result.orders.failed,
      lost: result.orders.lost,
    });

    const settleStarted = performance.now();
    const settle = await awaitDeliveries(client, result, orders, {
      virtualMs: scenario.settleDays * DAY_MS,
      speed: targetSpeed,
      timeoutMs: options.settleTimeoutMs ?? 60_000,
      pollIntervalMs: Math.max(options.pollIntervalMs ?? 250, 100),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const settleMs = performance.now() - settleStarted;
    emit({ type: 'scenario.settled', ...settle.summary });

    const slos = judgeAll(
      scenario.expectations,
      observeOutcomes({
        reports: settle.states.values(),
        attempted: result.orders.accepted + result.orders.failed,
        accepted: result.orders.accepted,
        lost: result.orders.lost,
        failed: result.orders.failed,
        failedHttp: result.failures.map((f) => f.http),
        answerLatency: result.latencyMs,
      }),
    );
    const failover = placed
      .filter(
        (p) =>
          p.fault.kind === 'outage' &&
          p.target !== 'inventory' &&
          p.fromMs !== undefined &&
          p.untilMs !== undefined,
      )
      .map((p) =>
        failoverReport({
          carrier: p.target,
          fromMs: p.fromMs!,
          untilMs: p.untilMs!,
          states: [...settle.states.values()].map((r) => ({
            status: r.status,
            ...(r.carrier !== undefined ? { carrier: r.carrier } : {}),
            ...(typeof r.fields.acceptedAt === 'string' ? { acceptedAt: r.fields.acceptedAt } : {}),
            ...(typeof r.fields.processedAt === 'string' ? { processedAt: r.fields.processedAt } : {}),
          })),
        }),
      );

    const finishedAt = new Date();
    const observations = [
      ...(scale < 1
        ? [
            `Scaled down to ${scale}: ${orders.length} orders at ${Math.round(speed)}× time compression, ${fmt(realRate(orders.length, scenario, speed))} orders per real second on average (the full scenario: ${fmt(realRate(expectedOrders(scenario.load), scenario, scenario.speed))}).`,
          ]
        : []),
      ...(Math.abs(targetStart - windowStart) > 15 * 60_000 && owned && clock
        ? [
            `The load window started at ${new Date(targetStart).toISOString().slice(11, 16)} virtual time instead of ${new Date(windowStart).toISOString().slice(11, 16)} (the target took longer to start than planned); order times shift with it.`,
          ]
        : []),
      // A platform without a clock its adapter can read runs on its own time: the run
      // cannot place orders on its clock, nor count settle days by it.
      ...(clock
        ? []
        : [
            `${platform.name} has no clock its adapter reads: orders went out at ${Math.round(speed)}× the scenario's pace in real time, and deliveries were tracked for up to ${fmt(Math.round((options.settleTimeoutMs ?? 60_000) / 1000))} s real time.`,
          ]),
      ...failover.map((f) => f.sentence),
      ...(settle.summary.awaiting > 0
        ? [
            `${settle.summary.awaiting} shipped orders were not yet delivered when tracking stopped (${settle.summary.timedOut ? 'real-time bound reached' : `${scenario.settleDays} virtual days passed`}); the on-time rate covers the ${settle.summary.delivered} delivered.`,
          ]
        : []),
      `Driver: ${Math.round(result.schedule.throughput)} orders/s, schedule lateness p99 ${fmt(result.schedule.lagMs.p99)} ms, intake p95 ${fmt(result.latencyMs.p95)} ms.`,
    ];
    return {
      scenario: scenario.name,
      description: scenario.description,
      version,
      target: targetName(target),
      status: overall(slos.map((s) => s.status)),
      scale,
      speed,
      orders: {
        planned: orders.length,
        sent: result.orders.accepted,
        failed: result.orders.failed,
        lost: result.orders.lost,
        lostIds: result.lost.slice(0, 50).map((l) => l.id),
      },
      faults: placed.map(describeFault),
      slos,
      failover,
      observations,
      timings: {
        startedAt: startedAt.toISOString(),
        finishedAt: finishedAt.toISOString(),
        durationMs: finishedAt.getTime() - startedAt.getTime(),
        loadMs: Math.round(loadMs),
        settleMs: Math.round(settleMs),
        virtual: {
          startedAt: new Date(targetStart).toISOString(),
          finishedAt: new Date(
            clock ? Date.parse(clock.now) + (Date.now() - clock.readAtMs) * targetSpeed : Date.now(),
          ).toISOString(),
          speed: targetSpeed,
        },
      },
      driver: {
        scheduleLagP99Ms: result.schedule.lagMs.p99,
        throughput: result.schedule.throughput,
        intakeP95Ms: result.latencyMs.p95,
      },
      settle: settle.summary,
    };
  } finally {
    if (touched.length && target.admin) await clearFaults(touched, target.admin).catch(() => undefined);
    await client.close();
    await owned?.stop();
  }
}

/** The replayer's running totals as scenario progress: virtual time is the window's share reached at `speed`. */
function loadProgress(
  report: (progress: ScenarioProgress) => void,
  scenario: Scenario,
  offsetMs: number,
  speed: number,
): (p: ReplayProgress) => void {
  const windowMs = scenario.load.window.hours * HOUR_MS;
  return (p) =>
    report({
      scenario: scenario.name,
      ratio: Math.min(1, Math.max(0, (offsetMs + p.elapsedMs * speed) / windowMs)),
      sent: p.orders.accepted,
      failed: p.orders.failed,
      lost: p.orders.lost,
    });
}

/** placeFaults works in virtual hours of the target's clock; rescale when it runs at another pace. */
function rescale(p: PlacedFault, start: number, factor: number): PlacedFault {
  if (factor === 1) return p;
  const move = (ms?: number) => (ms === undefined ? undefined : start + (ms - start) * factor);
  const fromMs = move(p.fromMs);
  const untilMs = move(p.untilMs);
  return {
    ...p,
    fault: {
      ...p.fault,
      ...(fromMs === undefined ? {} : { from: new Date(fromMs).toISOString() }),
      ...(untilMs === undefined ? {} : { until: new Date(untilMs).toISOString() }),
    },
    ...(fromMs === undefined ? {} : { fromMs }),
    ...(untilMs === undefined ? {} : { untilMs }),
  };
}

async function* records(orders: Order[]): AsyncGenerator<TrafficRecord> {
  let line = 0;
  for (const order of orders) yield { kind: 'order', line: ++line, order };
}

function targetName(target: ScenarioTarget): string {
  return target.description ?? new URL(target.url).origin;
}

/** Orders per real second over the load window at `speed`. */
function realRate(orders: number, scenario: Scenario, speed: number): number {
  return orders / ((scenario.load.window.hours * HOUR_MS) / speed / 1000);
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(n < 1 ? 2 : 1);
}
