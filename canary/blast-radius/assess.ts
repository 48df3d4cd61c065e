import type { OrderState } from '../../contracts/platform/api.ts';
import type { BlastRadius, BlastRadiusRow } from '../../core/report/model.ts';
import {
  type CompensationPolicy,
  compensate,
  DEFAULT_COMPENSATION_POLICY,
  latenessOf,
  tierOf,
} from './policy.ts';

/**
 * The blast radius of a canary, pure: the orders it served in, the affected ones out,
 * each with its lateness and the compensation the policy recommends, grouped by region
 * and carrier. Order ids and logistics fields only — the platform's order listing has
 * no customer data, and nothing here asks for any.
 */
export interface BlastRadiusGroup {
  region: string;
  carrier: string;
  served: number;
  affected: number;
  maxDelayHours: number;
  compensationTotal: number;
}

export interface BlastRadiusAssessment {
  policy: CompensationPolicy;
  served: number;
  rows: BlastRadiusRow[];
  groups: BlastRadiusGroup[];
  compensationTotal: number;
}

export function assessBlastRadius(
  orders: readonly OrderState[],
  policy: CompensationPolicy = DEFAULT_COMPENSATION_POLICY,
): BlastRadiusAssessment {
  const rows: BlastRadiusRow[] = [];
  const groups = new Map<string, BlastRadiusGroup>();
  for (const order of orders) {
    const region = order.region;
    const carrier = order.carrier ?? 'none';
    const key = `${region}\u0000${carrier}`;
    const group = groups.get(key) ?? {
      region,
      carrier,
      served: 0,
      affected: 0,
      maxDelayHours: 0,
      compensationTotal: 0,
    };
    groups.set(key, group);
    group.served++;
    const lateness = latenessOf(order);
    if (!lateness) continue;
    const compensation = compensate(order, lateness, policy);
    const delayHours = Math.round(lateness.delayHours * 10) / 10;
    group.affected++;
    group.maxDelayHours = Math.max(group.maxDelayHours, delayHours);
    group.compensationTotal = Math.round((group.compensationTotal + compensation.amount) * 100) / 100;
    rows.push({
      orderId: order.orderId,
      region,
      carrier,
      serviceLevel: order.serviceLevel,
      promisedBy: order.promisedBy,
      delayHours,
      basis: lateness.basis,
      tier: tierOf(order, policy),
      compensation,
    });
  }
  rows.sort(
    (a, b) =>
      a.region.localeCompare(b.region) ||
      a.carrier.localeCompare(b.carrier) ||
      b.delayHours - a.delayHours ||
      a.orderId.localeCompare(b.orderId),
  );
  const sortedGroups = [...groups.values()].sort(
    (a, b) =>
      b.affected - a.affected || a.region.localeCompare(b.region) || a.carrier.localeCompare(b.carrier),
  );
  const compensationTotal =
    Math.round(rows.reduce((s, r) => s + (r.compensation.amount ?? 0), 0) * 100) / 100;
  return { policy, served: orders.length, rows, groups: sortedGroups, compensationTotal };
}

const CSV_COLUMNS = [
  'order_id',
  'region',
  'carrier',
  'service_level',
  'promised_by',
  'basis',
  'delay_hours',
  'tier',
  'compensation_action',
  'compensation_amount',
  'currency',
  'reason',
] as const;

/** RFC 4180: quote every field that needs it; a leading =,+,-,@ is defused for spreadsheets. */
function cell(value: string | number | undefined): string {
  let text = value === undefined ? '' : String(value);
  if (/^[=+\-@]/.test(text) && typeof value === 'string') text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function blastRadiusCsv(assessment: BlastRadiusAssessment): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of assessment.rows) {
    lines.push(
      [
        r.orderId,
        r.region,
        r.carrier,
        r.serviceLevel,
        r.promisedBy,
        r.basis,
        r.delayHours,
        r.tier,
        r.compensation.action,
        r.compensation.amount,
        r.compensation.currency,
        r.compensation.reason,
      ]
        .map(cell)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

/** The report model's section; rows truncated to the worst `maxRows` (the CSV has all). */
export function blastRadiusSection(
  assessment: BlastRadiusAssessment,
  csvFile: string,
  maxRows = 200,
): BlastRadius {
  const worst = [...assessment.rows].sort((a, b) => b.delayHours - a.delayHours).slice(0, maxRows);
  return {
    policy: assessment.policy.name,
    ordersServedByCanary: assessment.served,
    affected: assessment.rows.length,
    rows: worst,
    csvFile,
  };
}
