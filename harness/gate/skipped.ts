import type { Report } from '../../core/report/model.ts';
import type { GateLayer } from '../config/layers.ts';

/**
 * A layer the gate did not run, as a report section: status `skipped` with the reason,
 * so the reviewer sees every layer and why one has no evidence (never read as a pass).
 */
export function skippedSection(layer: GateLayer, summary: string): NonNullable<Report['layers'][GateLayer]> {
  const base = { status: 'skipped' as const, summary, checks: [] };
  switch (layer) {
    case 'contracts':
      return { ...base, failures: [] };
    case 'replay':
      return {
        ...base,
        accounting: { read: 0, sent: 0, failed: 0, quarantined: 0, lost: 0, lostOrderIds: [] },
        diffGroups: [],
      };
    case 'scenarios':
      return { ...base, runs: [] };
    case 'canary':
      return { ...base, steps: [], series: [] };
  }
}
