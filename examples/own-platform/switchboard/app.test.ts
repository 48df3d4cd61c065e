import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningPlatform, startPlatform } from '../platform.ts';
import { putRequest, sampleRequest } from '../sample-order.ts';

let platform: RunningPlatform;

beforeAll(async () => {
  platform = await startPlatform({ handlingMs: [0, 1], opsKey: 'ops-secret', seed: 11 });
});
afterAll(() => platform?.stop());

async function ops(method: string, body?: unknown, key: string | null = 'ops-secret') {
  const response = await fetch(`${platform.urls.entry}/ops/split`, {
    method,
    headers: {
      ...(key === null ? {} : { 'x-ops-key': key }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe('switchboard ops API', () => {
  it('refuses without the key (401) and with a wrong one (403), and changes nothing', async () => {
    expect((await ops('PATCH', { nextPercent: 50 }, null)).status).toBe(401);
    expect((await ops('PATCH', { nextPercent: 50 }, 'guess')).status).toBe(403);
    expect((await ops('GET', undefined, null)).status).toBe(401);
    expect((await ops('GET')).json).toMatchObject({ nextPercent: 0, currentPercent: 100, changes: 0 });
  });

  it('refuses a percentage outside 0..100 or a body without one (400)', async () => {
    expect((await ops('PATCH', { nextPercent: 101 })).status).toBe(400);
    expect((await ops('PATCH', { weight: 10 })).status).toBe(400);
    expect((await ops('PATCH', { nextPercent: 12.5 })).status).toBe(400);
    expect((await ops('PATCH', { nextPercent: '25' })).status).toBe(400);
    expect((await ops('PATCH', { nextPercent: 25, force: true })).status).toBe(400);
  });

  it('splits fulfilment traffic roughly by the percentage it was given', async () => {
    const set = await ops('PATCH', { nextPercent: 30 });
    expect(set.status).toBe(200);
    expect(set.json).toMatchObject({ nextPercent: 30, currentPercent: 70 });
    const tracks: (string | null)[] = [];
    for (let batch = 0; batch < 6; batch++) {
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          putRequest(platform.urls.entry, `sw-${batch}-${i}`, sampleRequest('MA-001')),
        ),
      );
      expect(answers.every((a) => a.status === 201)).toBe(true);
      tracks.push(...answers.map((a) => a.track));
    }
    const next = tracks.filter((t) => t === 'next').length;
    // 120 draws at 30%: sd is 5; 20..52 is over three sd either side.
    expect(next).toBeGreaterThanOrEqual(20);
    expect(next).toBeLessThanOrEqual(52);
    expect(tracks.filter((t) => t === 'current').length).toBe(120 - next);

    const metrics = await (await fetch(`${platform.urls.entry}/metrics`)).text();
    expect(metrics).toContain('kestrel_switchboard_next_percent 30');
    expect(metrics).toContain(`kestrel_switchboard_forwarded_total{release_track="next"} ${next}`);

    await ops('PATCH', { nextPercent: 0 });
    const after = await Promise.all(
      Array.from({ length: 20 }, (_, i) => putRequest(platform.urls.entry, `sw-z-${i}`, sampleRequest())),
    );
    expect(after.every((a) => a.track === 'current')).toBe(true);
    expect((await ops('GET')).json).toMatchObject({ nextPercent: 0, changes: 2 });
  });

  it('reads the simulated time', async () => {
    const clock = (await (await fetch(`${platform.urls.entry}/sim-time`)).json()) as Record<string, unknown>;
    expect(clock.timeScale).toBe(3600);
    expect(Date.parse(String(clock.now))).toBeGreaterThan(0);
  });
});
