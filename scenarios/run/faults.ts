import type { Fault } from '../../contracts/carriers/admin/api.ts';
import { createSandboxAdminClient } from '../../contracts/carriers/admin/client.ts';
import { shipgateError } from '../../core/errors.ts';
import type { FaultTarget, Scenario, ScenarioFault } from '../catalogue/scenario.ts';
import { windowStartMs } from './orders.ts';

/**
 * A scenario's faults on the target's virtual clock: hour offsets from the load
 * window's start become `from`/`until` timestamps, so the services' admin APIs switch
 * each fault on and off themselves at the right virtual moment — no timer of ours has
 * to fire on time. Pure conversion here; `applyFaults` does the HTTP.
 */
const HOUR_MS = 3_600_000;

export interface PlacedFault {
  target: FaultTarget;
  fault: Fault;
  /** Virtual epoch ms; undefined = open-ended. */
  fromMs?: number;
  untilMs?: number;
}

export function placeFaults(faults: readonly ScenarioFault[], windowStartMs: number): PlacedFault[] {
  return faults.map((f, index) => {
    const { target, fromHour, untilHour, ...rest } = f;
    const fromMs = fromHour === undefined ? undefined : windowStartMs + fromHour * HOUR_MS;
    const untilMs = untilHour === undefined ? undefined : windowStartMs + untilHour * HOUR_MS;
    const fault: Fault = {
      id: rest.id ?? `scenario-${index + 1}`,
      ...rest,
      ...(fromMs === undefined ? {} : { from: new Date(fromMs).toISOString() }),
      ...(untilMs === undefined ? {} : { until: new Date(untilMs).toISOString() }),
    };
    return {
      target,
      fault,
      ...(fromMs === undefined ? {} : { fromMs }),
      ...(untilMs === undefined ? {} : { untilMs }),
    };
  });
}

/** "parcelly: outage (503) 10:00–14:00" — virtual times of day, UTC. */
export function describeFault(placed: PlacedFault): string {
  const f = placed.fault;
  const what =
    f.kind === 'latency'
      ? `latency ×${f.multiplier ?? 1}${f.addMs ? ` +${f.addMs} ms` : ''}`
      : f.kind === 'timeout'
        ? `timeouts (${Math.round((f.rate ?? 1) * 100)}% hang ${f.hangMs ?? 30_000} ms)`
        : f.kind === 'error'
          ? `errors (${Math.round((f.rate ?? 1) * 100)}% ${f.status ?? 503})`
          : `outage (${f.mode === 'reset' ? 'connection reset' : (f.status ?? 503)})`;
  const scope = [
    f.regions ? `regions ${f.regions.join(',')}` : '',
    f.operations ? `operations ${f.operations.join(',')}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const time = (ms?: number) => (ms === undefined ? '' : new Date(ms).toISOString().slice(11, 16));
  const window =
    placed.fromMs === undefined && placed.untilMs === undefined
      ? 'all run'
      : `${time(placed.fromMs) || 'start'}–${time(placed.untilMs) || 'end'}`;
  return `${placed.target}: ${what}${scope ? ` [${scope}]` : ''} ${window}`;
}

/** Where each fault target's admin API lives, and the token. */
export interface AdminTarget {
  urls: Partial<Record<FaultTarget, string>>;
  token: string;
}

/**
 * Faults go through shipgate's fault admin API (contracts/carriers/admin), which the
 * sandbox's inventory and carriers serve; a platform of one's own usually has no such
 * API. A scenario whose faults the target cannot take is a usage error before anything
 * starts (exit 2, `SG_SCENARIO_FAULTS_UNSUPPORTED`), naming the scenario, its faults and
 * the services without an admin URL — rather than a run without its faults: the
 * carrier-outage scenario minus the outage is a normal day, and its pass would say the
 * platform fails over when nothing was tested.
 */
export function assertFaultsApplicable(
  scenario: Pick<Scenario, 'name' | 'faults' | 'load'>,
  admin: AdminTarget | undefined,
  targetName: string,
): void {
  const missing = [...new Set(scenario.faults.map((f) => f.target))].filter((t) => !admin?.urls[t]);
  if (missing.length === 0) return;
  const start = windowStartMs(scenario.load);
  throw shipgateError('SG_SCENARIO_FAULTS_UNSUPPORTED', {
    scenario: scenario.name,
    faults: placeFaults(scenario.faults, start).map(describeFault).join('; '),
    target: targetName,
    missing: missing.join(', '),
  });
}

/** Sets each target's faults (replacing what it had); returns the targets touched, for clearing. */
export async function applyFaults(
  placed: readonly PlacedFault[],
  admin: AdminTarget,
): Promise<FaultTarget[]> {
  const byTarget = new Map<FaultTarget, Fault[]>();
  for (const p of placed) byTarget.set(p.target, [...(byTarget.get(p.target) ?? []), p.fault]);
  for (const target of byTarget.keys()) {
    if (!admin.urls[target]) throw new Error(`no admin URL for fault target "${target}"`);
  }
  const touched: FaultTarget[] = [];
  for (const [target, faults] of byTarget) {
    await createSandboxAdminClient({ baseUrl: admin.urls[target]!, token: admin.token }).setFaults(faults);
    touched.push(target);
  }
  return touched;
}

export async function clearFaults(targets: readonly FaultTarget[], admin: AdminTarget): Promise<void> {
  await Promise.all(
    targets.map((t) =>
      createSandboxAdminClient({ baseUrl: admin.urls[t]!, token: admin.token }).clearFaults(),
    ),
  );
}
