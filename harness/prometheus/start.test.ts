import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { isProcessAlive } from '../../sandbox/launch/processes.ts';
import { startPrometheus } from './start.ts';

describe('startPrometheus', () => {
  it('starts on loopback with the given rules, answers queries, and stops by pid, removing its folder', async () => {
    const rulesDir = await mkdtemp(join(tmpdir(), 'shipgate-rules-'));
    const rules = join(rulesDir, 'rules.yml');
    await writeFile(
      rules,
      stringify({ groups: [{ name: 'g', rules: [{ record: 'shipgate:one', expr: 'vector(1)' }] }] }),
    );
    const prom = await startPrometheus({
      targets: ['127.0.0.1:9'],
      scrapeIntervalMs: 1000,
      rulesFiles: [rules],
    });
    try {
      expect(prom.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(isProcessAlive(prom.pid)).toBe(true);
      const res = await fetch(`${prom.url}/api/v1/rules`);
      const body = (await res.json()) as { data: { groups: { rules: { name: string }[] }[] } };
      expect(body.data.groups[0]!.rules[0]!.name).toBe('shipgate:one');
    } finally {
      await prom.stop();
      await rm(rulesDir, { recursive: true, force: true });
    }
    expect(isProcessAlive(prom.pid)).toBe(false);
    await expect(access(prom.dir)).rejects.toThrow();
    await prom.stop(); // idempotent
  });
});
