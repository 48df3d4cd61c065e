import { describe, expect, it } from 'vitest';
import type { OrderState } from '../../contracts/platform/api.ts';
import { failoverReport } from './failover.ts';

const FROM = Date.parse('2026-11-27T10:00:00Z');
const UNTIL = Date.parse('2026-11-27T14:00:00Z');
let n = 0;
function state(at: string, status: OrderState['status'], carrier?: OrderState['carrier']): OrderState {
  n++;
  return {
    orderId: `o-${n}`,
    version: 'stable',
    status,
    region: 'C',
    serviceLevel: 'standard',
    value: 1,
    vip: false,
    promisedBy: '2026-11-30T20:00:00Z',
    acceptedAt: at,
    processedAt: at,
    ...(carrier ? { carrier } : {}),
  };
}

describe('failover report', () => {
  it('says the platform failed over when every order in the window shipped elsewhere', () => {
    const r = failoverReport({
      carrier: 'parcelly',
      fromMs: FROM,
      untilMs: UNTIL,
      states: [
        state('2026-11-27T09:00:00Z', 'delivered', 'parcelly'),
        state('2026-11-27T09:30:00Z', 'shipped', 'steppe'),
        state('2026-11-27T11:00:00Z', 'shipped', 'steppe'),
        state('2026-11-27T12:00:00Z', 'delivered', 'labelfast'),
      ],
    });
    expect(r.failedOver).toBe(true);
    expect(r.shippedDuring).toEqual({ steppe: 1, labelfast: 1 });
    expect(r.carrierShareOutside).toBe(0.5);
    expect(r.sentence).toContain('the platform failed over');
  });

  it('says plainly when it did not', () => {
    const r = failoverReport({
      carrier: 'parcelly',
      fromMs: FROM,
      untilMs: UNTIL,
      states: [state('2026-11-27T11:00:00Z', 'rejected'), state('2026-11-27T11:10:00Z', 'shipped', 'steppe')],
    });
    expect(r.failedOver).toBe(false);
    expect(r.notShippedDuring).toBe(1);
    expect(r.sentence).toContain('did NOT fail over for 1 of 2 orders');
    const none = failoverReport({ carrier: 'parcelly', fromMs: FROM, untilMs: UNTIL, states: [] });
    expect(none.sentence).toContain('failover was not observed');
    const ignored = failoverReport({
      carrier: 'parcelly',
      fromMs: FROM,
      untilMs: UNTIL,
      states: [state('2026-11-27T11:00:00Z', 'shipped', 'parcelly')],
    });
    expect(ignored.failedOver).toBe(false);
    expect(ignored.sentence).toContain('still shipped with parcelly');
  });

  it('an order accepted before the outage and processed just after it began is not counted inside', () => {
    // On a compressed clock processing spans virtual minutes: this one booked parcelly
    // while it was still up.
    const straddling = {
      ...state('2026-11-27T10:00:40Z', 'shipped', 'parcelly'),
      acceptedAt: '2026-11-27T09:59:10Z',
    };
    const r = failoverReport({
      carrier: 'parcelly',
      fromMs: FROM,
      untilMs: UNTIL,
      states: [straddling, state('2026-11-27T11:00:00Z', 'shipped', 'steppe')],
    });
    expect(r.processedDuring).toBe(1);
    expect(r.shippedDuring).toEqual({ steppe: 1 });
    expect(r.failedOver).toBe(true);
  });
});
