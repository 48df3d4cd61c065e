import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import type { OrderState } from '../../contracts/platform/api.ts';
import { assessBlastRadius, blastRadiusCsv, blastRadiusSection } from './assess.ts';
import { listOrders } from './collect.ts';
import { compensate, DEFAULT_COMPENSATION_POLICY, latenessOf, tierOf } from './policy.ts';

const H = 3_600_000;
const promised = Date.parse('2026-11-25T20:00:00Z');
const order = (id: string, over: Partial<OrderState> = {}): OrderState => ({
  orderId: id,
  version: 'canary',
  status: 'shipped',
  region: 'NW',
  serviceLevel: 'standard',
  value: 100,
  vip: false,
  promisedBy: new Date(promised).toISOString(),
  acceptedAt: '2026-11-23T10:00:00Z',
  carrier: 'parcelly',
  price: 7.5,
  ...over,
});
const late = (hours: number, basis: 'predicted' | 'actual' = 'predicted') =>
  basis === 'actual'
    ? { deliveredAt: new Date(promised + hours * H).toISOString(), status: 'delivered' as const }
    : { predictedDeliveryAt: new Date(promised + hours * H).toISOString() };

describe('compensation policy', () => {
  it('on time or no ETA yet is not affected', () => {
    expect(latenessOf(order('a', late(-2)))).toBeUndefined();
    expect(latenessOf(order('a', late(0)))).toBeUndefined();
    expect(latenessOf(order('a'))).toBeUndefined();
  });

  it('actual delivery wins over the prediction', () => {
    expect(latenessOf(order('a', { ...late(100), ...late(5, 'actual') }))).toEqual({
      basis: 'actual',
      delayHours: 5,
    });
  });

  it('refunds shipping past 3 days, not at exactly 3 days', () => {
    const at72 = compensate(order('a'), { basis: 'predicted', delayHours: 72 });
    const at73 = compensate(order('a'), { basis: 'predicted', delayHours: 73 });
    expect(at72.action).toBe('contact');
    expect(at72.amount).toBe(0);
    expect(at73).toMatchObject({ action: 'refund-shipping', amount: 7.5, currency: 'EUR' });
  });

  it('gives high-value and VIP orders more, VIP the most', () => {
    const d = { basis: 'actual' as const, delayHours: 96 };
    const standard = compensate(order('s', { value: 2000 - 1001 }), d);
    const high = compensate(order('h', { value: 2000 }), d);
    const vip = compensate(order('v', { value: 2000, vip: true }), d);
    expect(standard.amount).toBe(7.5);
    expect(high.amount).toBe(7.5 + 100 + 10);
    expect(vip.amount).toBe(7.5 + 200 + 10);
    expect(tierOf({ value: 2000, vip: true }, DEFAULT_COMPENSATION_POLICY)).toBe('vip');
    // Short delays on valuable orders get a small voucher, standard ones a contact.
    expect(compensate(order('h', { value: 5000 }), { basis: 'predicted', delayHours: 3 })).toMatchObject({
      action: 'contact-with-voucher',
      amount: 10,
    });
  });

  it('is monotone: a longer delay never gets less', () => {
    for (const vip of [false, true])
      for (const value of [10, 999, 1000, 50_000]) {
        let prev = -1;
        for (let h = 1; h < 200; h += 7) {
          const amount = compensate(order('m', { vip, value }), { basis: 'predicted', delayHours: h }).amount;
          expect(amount).toBeGreaterThanOrEqual(prev);
          prev = amount;
        }
      }
  });
});

describe('blast radius assessment and CSV', () => {
  const orders = [
    order('o-1', late(80)),
    order('o-2', { ...late(10, 'actual'), carrier: 'steppe', region: 'C' }),
    order('o-3', late(-5)),
    order('o-4', { ...late(100), vip: true, value: 300 }),
    order('o-5', { status: 'rejected', carrier: undefined }),
  ];

  it('lists only affected orders, grouped by region and carrier', () => {
    const a = assessBlastRadius(orders);
    expect(a.served).toBe(5);
    expect(a.rows.map((r) => r.orderId)).toEqual(['o-2', 'o-4', 'o-1']);
    expect(a.groups[0]).toEqual({
      region: 'NW',
      carrier: 'parcelly',
      served: 3,
      affected: 2,
      maxDelayHours: 100,
      compensationTotal: 7.5 + 7.5 + 30 + 10,
    });
    expect(a.compensationTotal).toBe(55);
    const section = blastRadiusSection(a, 'blast-radius.csv');
    expect(section).toMatchObject({ ordersServedByCanary: 5, affected: 3, csvFile: 'blast-radius.csv' });
  });

  it('exports order ids and logistics fields only, CSV-quoted', () => {
    const csv = blastRadiusCsv(assessBlastRadius(orders));
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe(
      'order_id,region,carrier,service_level,promised_by,basis,delay_hours,tier,compensation_action,compensation_amount,currency,reason',
    );
    expect(lines).toHaveLength(4);
    expect(lines[1]).toMatch(
      /^o-2,C,steppe,standard,2026-11-25T20:00:00.000Z,actual,10,standard,contact,0,EUR,/,
    );
    expect(lines[2]).toMatch(
      /^o-4,NW,parcelly,standard,.*,predicted,100,vip,refund-shipping-and-voucher,47.5,EUR,delay over 3 days on a VIP order/,
    );
    const policy = {
      ...DEFAULT_COMPENSATION_POLICY,
      rules: [{ minDelayHours: 0, action: 'contact', reason: 'late, "sorry", call =them' }],
    };
    const quoted = blastRadiusCsv(assessBlastRadius([order('o-9', late(1))], policy))
      .trim()
      .split('\r\n')[1]!;
    expect(quoted.endsWith(',"late, ""sorry"", call =them"')).toBe(true);
  });

  it('pages through the platform order listing', async () => {
    const all = Array.from({ length: 25 }, (_, i) => order(`o-${String(i).padStart(3, '0')}`));
    const app = Fastify();
    app.get('/v1/orders', async (req) => {
      const q = req.query as { limit: string; after?: string };
      const start = q.after ? all.findIndex((o) => o.orderId === q.after) + 1 : 0;
      const page = all.slice(start, start + Number(q.limit));
      return { orders: page, next: page.length === Number(q.limit) ? page.at(-1)!.orderId : undefined };
    });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const listed = await listOrders(url, { pageSize: 10 });
      expect(listed.map((o) => o.orderId)).toEqual(all.map((o) => o.orderId));
    } finally {
      await app.close();
    }
    await expect(listOrders(url, { timeoutMs: 500 })).rejects.toThrow(
      /canary platform order listing .* is unavailable/,
    );
  });
});
