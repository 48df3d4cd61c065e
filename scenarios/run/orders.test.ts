import { describe, expect, it } from 'vitest';
import { SCENARIOS } from '../catalogue/catalogue.ts';
import { expectedOrders, segments } from '../load/profile.ts';
import { scenarioOrders, segmentCounts, windowStartMs } from './orders.ts';

describe('scenario orders follow the load profile', () => {
  it('each segment holds its expected count (largest remainder), in arrival order, inside the window', () => {
    for (const scenario of SCENARIOS) {
      const orders = scenarioOrders({ load: scenario.load, seed: 't', scale: 0.1 });
      expect(orders.length).toBe(Math.round(expectedOrders(scenario.load) * 0.1));
      const start = windowStartMs(scenario.load);
      const parts = segments(scenario.load);
      const counts = segmentCounts(scenario.load, 0.1);
      const times = orders.map((o) => Date.parse(o.createdAt));
      expect([...times].sort((a, b) => a - b)).toEqual(times);
      parts.forEach((s, i) => {
        const from = start + s.fromHour * 3_600_000;
        const to = from + s.hours * 3_600_000;
        expect(times.filter((t) => t >= from && t < to).length, `${scenario.name} segment ${i}`).toBe(
          counts[i],
        );
        expect(Math.abs(counts[i]! - s.ordersPerHour * s.hours * 0.1)).toBeLessThan(1);
      });
    }
  });

  it('the Black Friday burst carries ×50 the rate of the hours around it', () => {
    const bf = SCENARIOS.find((s) => s.name === 'black-friday')!;
    const orders = scenarioOrders({ load: bf.load });
    const hourOf = (o: { createdAt: string }) => new Date(o.createdAt).getUTCHours();
    const inBurst = orders.filter((o) => hourOf(o) === 10).length;
    const before = orders.filter((o) => hourOf(o) === 9).length;
    expect(inBurst / before).toBeGreaterThan(40);
  });

  it('is deterministic from the seed, and the seed changes the orders', () => {
    const load = SCENARIOS[0]!.load;
    expect(scenarioOrders({ load, seed: 'a' })).toEqual(scenarioOrders({ load, seed: 'a' }));
    expect(scenarioOrders({ load, seed: 'a' })[0]!.id).not.toBe(scenarioOrders({ load, seed: 'b' })[0]!.id);
    expect(() => scenarioOrders({ load, scale: 0 })).toThrow(/scale/);
  });
});
