/**
 * What the platform did with orders while a carrier was down: shipments per carrier
 * inside the outage window (by the virtual time processing ended), against the same
 * split outside it. Pure. The sentence says plainly whether the platform failed over.
 */
export interface FailoverInput {
  carrier: string;
  fromMs: number;
  untilMs: number;
  /** Each order's status, carrier, when it was accepted and when processing ended (virtual ISO times). */
  states: Iterable<{ status: string; carrier?: string; acceptedAt?: string; processedAt?: string }>;
}

export interface FailoverReport {
  carrier: string;
  window: { from: string; until: string };
  /** Orders accepted and processed inside the window. */
  processedDuring: number;
  shippedDuring: Record<string, number>;
  /** Orders inside the window that ended without a shipment (no_carrier, error, …). */
  notShippedDuring: number;
  /** Share of shipments the down carrier had outside the window (0..1), null without any. */
  carrierShareOutside: number | null;
  failedOver: boolean;
  sentence: string;
}

const SHIPPED = new Set(['shipped', 'delivered']);

export function failoverReport(input: FailoverInput): FailoverReport {
  const shippedDuring: Record<string, number> = {};
  const outside: Record<string, number> = {};
  let processedDuring = 0;
  let notShippedDuring = 0;
  for (const s of input.states) {
    if (!s.processedAt) continue;
    // Inside the outage when the whole of its processing was: the carrier is booked
    // somewhere between acceptance and the end of processing, and on a compressed clock
    // that span is minutes of virtual time. An order accepted just before the outage
    // began may have booked the down carrier while it was still up.
    const started = Date.parse(s.acceptedAt ?? s.processedAt);
    const inside = started >= input.fromMs && Date.parse(s.processedAt) < input.untilMs;
    const shipped = SHIPPED.has(s.status) && s.carrier !== undefined;
    if (inside) {
      processedDuring++;
      if (shipped) shippedDuring[s.carrier!] = (shippedDuring[s.carrier!] ?? 0) + 1;
      else notShippedDuring++;
    } else if (shipped) {
      outside[s.carrier!] = (outside[s.carrier!] ?? 0) + 1;
    }
  }
  const outsideTotal = Object.values(outside).reduce((a, b) => a + b, 0);
  const carrierShareOutside = outsideTotal ? (outside[input.carrier] ?? 0) / outsideTotal : null;
  const byDown = shippedDuring[input.carrier] ?? 0;
  const others = Object.entries(shippedDuring)
    .filter(([c]) => c !== input.carrier)
    .sort((a, b) => b[1] - a[1]);
  const otherTotal = others.reduce((sum, [, n]) => sum + n, 0);
  const time = (ms: number) => new Date(ms).toISOString().slice(11, 16);
  const window = `${time(input.fromMs)}–${time(input.untilMs)}`;
  const split = others.map(([c, n]) => `${c} ${n}`).join(', ');
  const failedOver = processedDuring > 0 && otherTotal > 0 && notShippedDuring === 0 && byDown === 0;
  let sentence: string;
  if (processedDuring === 0) {
    sentence = `No orders were processed during the ${input.carrier} outage (${window}), so failover was not observed.`;
  } else if (failedOver) {
    sentence = `During the ${input.carrier} outage (${window}) the platform failed over: all ${otherTotal} orders processed shipped with other carriers (${split})${carrierShareOutside !== null ? `; outside the outage ${input.carrier} carried ${Math.round(carrierShareOutside * 100)}% of shipments` : ''}.`;
  } else if (notShippedDuring > 0) {
    sentence = `During the ${input.carrier} outage (${window}) the platform did NOT fail over for ${notShippedDuring} of ${processedDuring} orders: they ended without a shipment${otherTotal ? `; ${otherTotal} others shipped with ${split}` : ''}.`;
  } else {
    sentence = `During the ${input.carrier} outage (${window}) ${byDown} orders still shipped with ${input.carrier} (the outage did not take effect as declared)${otherTotal ? ` and ${otherTotal} with other carriers (${split})` : ''}.`;
  }
  return {
    carrier: input.carrier,
    window: { from: new Date(input.fromMs).toISOString(), until: new Date(input.untilMs).toISOString() },
    processedDuring,
    shippedDuring,
    notShippedDuring,
    carrierShareOutside,
    failedOver,
    sentence,
  };
}
