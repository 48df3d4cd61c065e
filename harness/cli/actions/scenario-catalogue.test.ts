import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { K6Request } from '../../../scenarios/k6/export.ts';
import { exportScenario } from './scenario-catalogue.ts';

afterEach(() => vi.restoreAllMocks());

describe('scenario export --config', () => {
  it('shapes the requests with the config’s target.platform and sends to its canary URL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sg-export-config-'));
    const config = join(dir, 'shipgate.config.json');
    writeFileSync(
      config,
      JSON.stringify({
        target: {
          kind: 'urls',
          stable: 'http://127.0.0.1:7001',
          canary: 'http://127.0.0.1:7002',
          platform: {
            name: 'shop-api',
            idempotency: { in: 'header', header: 'X-Request-Key' },
            submit: {
              method: 'POST',
              path: '/api/shipments/{{key}}',
              body: '{ "ref": id, "parcels": $count(items) }',
            },
            outcome: { answer: { status: '"created"', settled: 'true' } },
            decisions: { groupBy: [] },
          },
        },
      }),
    );
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    await exportScenario('normal-day', { k6: join(dir, 'k6'), config, scale: 0.05, json: true });
    const requests = JSON.parse(readFileSync(join(dir, 'k6', 'requests.json'), 'utf8')) as K6Request[];
    const [first] = requests;
    expect(first).toEqual({
      id: first!.id,
      method: 'POST',
      path: `/api/shipments/${first!.id}`,
      headers: { 'content-type': 'application/json', 'X-Request-Key': first!.id },
      body: JSON.stringify({ ref: first!.id, parcels: JSON.parse(first!.body!).parcels }),
    });
    const script = readFileSync(join(dir, 'k6', 'script.ts'), 'utf8');
    expect(script).toContain('adapter: shop-api');
    expect(script).toContain('"http://127.0.0.1:7002"');
  });
});
