import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing.ts';

/**
 * `shipgate canary judge --config`: a platform's own metric names, version label and
 * values come from the gate's config, not the built-in catalogue. The exporter speaks
 * Kestrel-like names (`shop_requests_total`, label `track="current|next"`); every scrape
 * adds 100 requests per build, 40 of the next build's failed.
 */
let url: string;
let dir: string;
const app = Fastify({ logger: false });
let scrapes = 0;
beforeAll(async () => {
  app.get('/metrics', async (_request, reply) => {
    scrapes++;
    const n = scrapes * 100;
    reply.type('text/plain; version=0.0.4');
    return [
      '# TYPE shop_requests_total counter',
      `shop_requests_total{track="current",result="ok"} ${n}`,
      `shop_requests_total{track="current",result="failed"} 0`,
      `shop_requests_total{track="next",result="ok"} ${n * 0.6}`,
      `shop_requests_total{track="next",result="failed"} ${n * 0.4}`,
      '',
    ].join('\n');
  });
  url = await app.listen({ host: '127.0.0.1', port: 0 });
  dir = mkdtempSync(join(tmpdir(), 'sg-judge-config-'));
});
afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

const config = (source: object) => {
  const file = join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(
    file,
    JSON.stringify({
      release: { name: 'judge with a config' },
      layers: ['canary'],
      target: { kind: 'urls' },
      canary: {
        source,
        versions: { label: 'track', canary: 'next', baseline: 'current' },
        minCanarySamples: 50,
        metrics: [
          {
            id: 'failed_share',
            title: 'Failed requests',
            kind: 'events',
            bad: { series: 'shop_requests_total', matchers: { result: 'failed' } },
            total: { series: 'shop_requests_total' },
            indicator: 'leading',
            direction: 'higher-is-worse',
            slo: { op: '<=', value: 0.01 },
          },
        ],
      },
    }),
  );
  return file;
};

describe('shipgate canary judge --config', () => {
  it("judges the config's metrics in the platform's names and label: exit 1, the failing share named", async () => {
    const out = join(dir, 'run');
    const file = config({ kind: 'direct-scrape', endpoints: [`${url}/metrics`] });
    const result = await runCli(['canary', 'judge', '--config', file, '--window', '200ms', '--run-dir', out]);
    expect(result.exitCode, result.stderr).toBe(1);
    const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
    const checks = report.layers.canary.checks as { id: string; status: string }[];
    expect(checks.map((c) => [c.id, c.status])).toEqual([['canary/failed_share', 'fail']]);
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toContain('shop_requests_total');
    expect(md).not.toContain('logistics_');
  });

  it('takes --scrape over the config’s source, and refuses a config with no source, naming the key', async () => {
    const none = config({ kind: 'direct-scrape' });
    const refused = await runCli(['canary', 'judge', '--config', none, '--window', '10ms']);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(/SG_CONFIG_INVALID: .*canary\.source.*no metric source/);
    const out = join(dir, 'run-scrape');
    const result = await runCli([
      ...['canary', 'judge', '--config', none, '--scrape', `${url}/metrics`],
      ...['--window', '200ms', '--run-dir', out],
    ]);
    expect(result.exitCode, result.stderr).toBe(1);
  });
});
