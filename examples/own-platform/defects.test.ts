import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFECTS } from './defects.ts';
import { type RunningPlatform, startPlatform } from './platform.ts';
import { putRequest, sampleRequest } from './sample-order.ts';

/**
 * Each defect changes what the next build (or the depot) does, observably through the
 * platform's own API; the current build stays as it was. The builds are called directly
 * so the switchboard's split does not blur the comparison.
 */
let platform: RunningPlatform;

beforeAll(async () => {
  platform = await startPlatform({
    defects: ['slow-highlands', 'coast-carrier-swap', 'brownout'],
    handlingMs: [0, 1],
    seed: 5,
  });
});
afterAll(() => platform?.stop());

async function carrierOf(baseUrl: string, ref: string, postcode: string) {
  const created = await putRequest(baseUrl, ref, sampleRequest(postcode));
  expect(created.status).toBe(201);
  const status = await fetch(`${baseUrl}/fulfilment/tickets/${created.json.ticket}/status`);
  const read = (await status.json()) as { carrier: string; area: string };
  expect(read.area).toBe(postcode.slice(0, 2));
  return read.carrier;
}

/** The fastest of three requests: a stall of a loaded machine does not look like a defect. */
async function timed(baseUrl: string, ref: string, postcode: string) {
  let fastest = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    const answer = await putRequest(baseUrl, `${ref}-${i}`, sampleRequest(postcode));
    expect(answer.status).toBe(201);
    fastest = Math.min(fastest, performance.now() - started);
  }
  return fastest;
}

describe('defects', () => {
  it('names each defect with where it lives', () => {
    expect(Object.keys(DEFECTS).sort()).toEqual([
      'brownout',
      'coast-carrier-swap',
      'depot-field-rename',
      'slow-highlands',
    ]);
  });

  it('slow-highlands: the next build takes 400 ms longer for highland postcodes only', async () => {
    const { current, next } = platform.urls;
    expect(await timed(next, 'slow-1', 'HA-100')).toBeGreaterThanOrEqual(400);
    expect(await timed(next, 'slow-2', 'VA-100')).toBeLessThan(400);
    expect(await timed(current, 'slow-3', 'HA-100')).toBeLessThan(400);
  });

  it('coast-carrier-swap: the next build gives area CQ to homefleet, other coast areas stay with gullwing', async () => {
    const { current, next } = platform.urls;
    expect(await carrierOf(current, 'swap-1', 'CQ-118')).toBe('gullwing');
    expect(await carrierOf(next, 'swap-2', 'CQ-118')).toBe('homefleet');
    expect(await carrierOf(next, 'swap-3', 'CX-118')).toBe('gullwing');
  });

  it('brownout: about 5% of the next build’s fulfilment requests are answered 503', async () => {
    const statuses = async (baseUrl: string, prefix: string, count: number) => {
      const seen: number[] = [];
      for (let batch = 0; batch < count / 20; batch++) {
        const answers = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            putRequest(baseUrl, `${prefix}-${batch}-${i}`, sampleRequest('MA-001')),
          ),
        );
        seen.push(...answers.map((a) => a.status));
      }
      return seen;
    };
    const next = await statuses(platform.urls.next, 'brown-n', 200);
    const shed = next.filter((s) => s === 503).length;
    // 200 draws at 5%: mean 10, sd 3.1.
    expect(shed).toBeGreaterThanOrEqual(2);
    expect(shed).toBeLessThanOrEqual(22);
    expect(next.filter((s) => s !== 503).every((s) => s === 201)).toBe(true);
    expect((await statuses(platform.urls.current, 'brown-c', 60)).every((s) => s === 201)).toBe(true);
  });
});

describe('depot-field-rename', () => {
  it('breaks every creation at the desk (502 naming the depot protocol), in both builds', async () => {
    const broken = await startPlatform({ defects: ['depot-field-rename'], handlingMs: [0, 1] });
    try {
      for (const url of [broken.urls.current, broken.urls.next]) {
        const answer = await putRequest(url, 'rename-1', sampleRequest());
        expect(answer.status).toBe(502);
        expect(answer.json).toEqual({ error: 'upstream-failed', upstream: 'depot-protocol' });
      }
    } finally {
      await broken.stop();
    }
  });
});
