import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningPlatform, startPlatform } from '../platform.ts';
import { putRequest, sampleRequest } from '../sample-order.ts';
import { HANDLING_BUCKETS_MS } from './metrics.ts';

let platform: RunningPlatform;

beforeAll(async () => {
  platform = await startPlatform({ timeScale: 400_000, handlingMs: [0, 2] });
});
afterAll(() => platform?.stop());

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The text exposition format, one sample a line (HELP/TYPE comments skipped). */
function parseExposition(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not an exposition line: ${line}`);
      const labels = Object.fromEntries(
        [...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]),
      );
      return { name: match[1]!, labels, value: Number(match[3]) };
    });
}

async function scrape(url: string): Promise<Sample[]> {
  const response = await fetch(url);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseExposition(await response.text());
}

const sum = (samples: Sample[], name: string, labels: Record<string, string>) =>
  samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((total, s) => total + s.value, 0);

describe('desk metrics', () => {
  it('count requests by result, time them in ms buckets, and tell the build by release_track', async () => {
    const current = platform.urls.current;
    expect((await putRequest(current, 'm-0001', sampleRequest('MA-001'))).status).toBe(201);
    expect((await putRequest(current, 'm-0001', sampleRequest('MA-001'))).status).toBe(200);
    expect((await putRequest(current, 'm-0002', { speed: 'x' })).status).toBe(422);

    const samples = await scrape(`${current}/metrics`);
    const track = { release_track: 'current' };
    expect(sum(samples, 'kestrel_fulfilment_requests_total', { ...track, result: 'created' })).toBe(1);
    expect(sum(samples, 'kestrel_fulfilment_requests_total', { ...track, result: 'replayed' })).toBe(1);
    expect(sum(samples, 'kestrel_fulfilment_requests_total', { ...track, result: 'invalid' })).toBe(1);
    expect(sum(samples, 'kestrel_fulfilment_requests_total', { ...track, result: 'failed' })).toBe(0);
    const buckets = samples
      .filter((s) => s.name === 'kestrel_fulfilment_handling_ms_bucket')
      .map((s) => s.labels.le);
    expect(buckets).toEqual([...HANDLING_BUCKETS_MS.map(String), '+Inf']);
    expect(sum(samples, 'kestrel_fulfilment_handling_ms_count', track)).toBe(3);
    // Its own conventions, none of the sandbox's.
    for (const s of samples) {
      expect(s.name.startsWith('kestrel_'), s.name).toBe(true);
      expect(s.labels.release_track).toBe('current');
      expect(s.labels.version).toBeUndefined();
    }
    const next = await scrape(`${platform.urls.next}/metrics`);
    expect(next.every((s) => s.labels.release_track === 'next')).toBe(true);
  });

  it('counts each delivered parcel once, on time or late, in the build that took it', async () => {
    for (let i = 0; i < 20; i++) {
      expect((await putRequest(platform.urls.next, `d-${1000 + i}`, sampleRequest('VA-020'))).status).toBe(
        201,
      );
    }
    // A next-day Gullwing parcel arrives within 3 simulated days: under a second here.
    let delivered = 0;
    let samples: Sample[] = [];
    for (let i = 0; i < 60 && delivered < 20; i++) {
      await new Promise((r) => setTimeout(r, 100));
      samples = await scrape(`${platform.urls.next}/metrics`);
      delivered = sum(samples, 'kestrel_parcels_delivered_total', {});
    }
    expect(delivered).toBe(20);
    const late = sum(samples, 'kestrel_parcels_delivered_total', { punctuality: 'late' });
    expect(late + sum(samples, 'kestrel_parcels_delivered_total', { punctuality: 'on_time' })).toBe(20);
    // Scraping again does not count them twice; the current build counted none of them.
    expect(sum(await scrape(`${platform.urls.next}/metrics`), 'kestrel_parcels_delivered_total', {})).toBe(
      20,
    );
    const current = await scrape(`${platform.urls.current}/metrics`);
    expect(sum(current, 'kestrel_parcels_delivered_total', {})).toBeLessThanOrEqual(1);
  });
});
