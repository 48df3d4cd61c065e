import { ExitCode } from '../exit-codes.ts';
import type { Check, CheckStatus, LayerName, Report, Verdict } from './model.ts';
import { LAYERS } from './model.ts';

/**
 * How statuses combine, the same everywhere (a layer from its checks, the report from
 * its layers): any fail fails; otherwise any inconclusive is inconclusive (missing
 * evidence is never a pass); otherwise pass. All skipped (or nothing) is skipped —
 * the report turns that into inconclusive, because nothing checked is no evidence.
 */
export function combineStatuses(statuses: readonly CheckStatus[]): CheckStatus {
  if (statuses.includes('fail')) return 'fail';
  if (statuses.includes('inconclusive')) return 'inconclusive';
  if (statuses.includes('pass')) return 'pass';
  return 'skipped';
}

export function layerStatus(checks: readonly Pick<Check, 'status'>[]): CheckStatus {
  return combineStatuses(checks.map((c) => c.status));
}

export function overallVerdict(report: Pick<Report, 'layers'>): Verdict {
  const status = combineStatuses(presentLayers(report).map(([, section]) => section.status));
  return status === 'skipped' ? 'inconclusive' : status;
}

/** Exit codes as in the design: 0 pass, 1 gate failed, 3 inconclusive. */
export function exitCodeFor(verdict: Verdict): ExitCode {
  return verdict === 'pass'
    ? ExitCode.Pass
    : verdict === 'fail'
      ? ExitCode.GateFailed
      : ExitCode.Inconclusive;
}

/** The layers a report holds, in gate order (contracts → replay → scenarios → canary). */
export function presentLayers(report: Pick<Report, 'layers'>) {
  const out: [LayerName, NonNullable<Report['layers'][LayerName]>][] = [];
  for (const name of LAYERS) {
    const section = report.layers[name];
    if (section) out.push([name, section]);
  }
  return out;
}

/** The first failing (else inconclusive) check in gate order: what decided the verdict. */
export function decidingCheck(report: Pick<Report, 'layers'>): Check | undefined {
  const checks = presentLayers(report).flatMap(([, s]) => s.checks);
  return checks.find((c) => c.status === 'fail') ?? checks.find((c) => c.status === 'inconclusive');
}
