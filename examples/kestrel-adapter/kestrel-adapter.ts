// A platform adapter as a TypeScript module: Kestrel's order API (examples/own-platform),
// for anything a declarative template cannot say. Point the config at it:
//
//   target: { kind: 'urls', stable: …, canary: …, platform: { module: './kestrel-adapter.ts' } }
//
// In your own repository the import is the same: `shipgate/platform`.
import { createHash } from 'node:crypto';
import { definePlatform, type OrderReport, type PlatformAnswer } from 'shipgate/platform';

const SPEEDS = { express: 'next-day', standard: 'two-day', economy: 'saver' } as const;
/** shipgate's delivery regions onto Kestrel's zone + area letters (region SE is the coast's CQ). */
const AREAS: Record<string, string> = {
  C: 'MC',
  N: 'HN',
  NE: 'HE',
  NW: 'HW',
  E: 'CE',
  SE: 'CQ',
  S: 'CS',
  SW: 'VS',
  W: 'VW',
};

/** A SKU onto one of Kestrel's stocked articles KS-0001..KS-0100, stable for a SKU. */
export function articleOf(sku: string): string {
  const n = createHash('sha256').update(sku).digest().readUInt32BE(0) % 100;
  return `KS-${String(n + 1).padStart(4, '0')}`;
}

/** Kestrel's parcel status as shipgate's report. */
export function reportOf(orderId: string, body: Record<string, unknown>): OrderReport {
  const state = String(body.state);
  const punctuality = body.punctuality;
  const report: OrderReport = {
    orderId,
    status: state,
    settled: typeof body.carrier === 'string',
    final: state === 'delivered',
    outcome: 'shipped',
    platformId: String(body.ticket),
    carrier: String(body.carrier),
    promisedBy: String(body.promisedOn),
    delivered: state === 'delivered',
    ...(punctuality === 'on-time' || punctuality === 'late' ? { onTime: punctuality === 'on-time' } : {}),
    fields: {
      carrier: String(body.carrier),
      promisedBy: String(body.promisedOn),
      zone: String(body.zone),
      area: String(body.area),
    },
  };
  return report;
}

/** Kestrel's error code and, for 502, which upstream failed: codes only, never the body. */
function errorOf(answer: PlatformAnswer): { error: string; upstream: string } {
  const body = (typeof answer.body === 'object' && answer.body !== null ? answer.body : {}) as Record<
    string,
    unknown
  >;
  return { error: String(body.error ?? ''), upstream: String(body.upstream ?? '') };
}

export default definePlatform({
  name: 'kestrel-module',
  // Kestrel recognises a resend by the reference in the path; both builds share one
  // order book, so each target gets references of its own.
  idempotency: { kind: 'path' },
  key: (order, target) => `${target}-${order.id.replace(/[^A-Za-z0-9_-]/g, '_')}`,
  submit: (order, { key }) => {
    const units = order.items.reduce((sum, item) => sum + item.qty, 0);
    return {
      method: 'PUT',
      path: `/fulfilment/requests/${encodeURIComponent(key)}`,
      body: {
        speed: SPEEDS[order.serviceLevel],
        recipient: {
          fullName: order.customer.name,
          email: order.customer.email,
          street: order.customer.address.line1,
          town: order.customer.address.city,
          postcode: `${AREAS[order.destination.region]}-${order.destination.postcode.slice(3, 6)}`,
        },
        lines: order.items.map((item) => ({
          article: articleOf(item.sku),
          units: item.qty,
          unitGrams: Math.max(1, Math.round(item.weightKg * 1000)),
          unitPriceCents: Math.round((order.value * 100) / units),
        })),
      },
    };
  },
  readSubmit: (answer) => {
    if (answer.status === 201 || answer.status === 200) {
      const body = answer.body as { ticket: string };
      return {
        kind: 'accepted',
        platformId: body.ticket,
        duplicate: answer.headers['idempotent-replay'] === 'true',
      };
    }
    const { error, upstream } = errorOf(answer);
    const reason = `HTTP ${answer.status} ${error}`.trim();
    // Shed (brownout) and a provider that did not answer are worth a retry under the same
    // reference (a refusal or failure leaves it free); a depot that answers in a shape
    // the desk cannot read will not read better the second time.
    if (answer.status === 503 || (answer.status === 502 && upstream === 'unreachable'))
      return { kind: 'retryable', reason };
    return { kind: 'refused', reason };
  },
  outcome: {
    kind: 'poll',
    concurrency: 8,
    request: (ref) =>
      ref.platformId === undefined
        ? undefined
        : { method: 'GET', path: `/fulfilment/tickets/${encodeURIComponent(ref.platformId)}/status` },
    read: (answer, ref) => {
      if (answer.status === 404) return { kind: 'missing' };
      if (answer.status !== 200) return { kind: 'unknown', reason: `HTTP ${answer.status}` };
      return { kind: 'found', report: reportOf(ref.id, answer.body as Record<string, unknown>) };
    },
  },
  decisions: { fields: ['carrier', 'promisedBy'], groupBy: ['zone', 'area'] },
});
