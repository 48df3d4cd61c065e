import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../testing.ts';

/**
 * The CLI surface of `gate`, `init` and `demo`, run in-process: the cheap paths (usage
 * and config errors end with exit 2 before anything starts; init writes and refuses to
 * overwrite). The gate's runs themselves, through the real launcher, are in
 * harness/gate/gate*.e2e.test.ts and harness/gate/resume.test.ts.
 */
const dir = mkdtempSync(join(tmpdir(), 'sg-gate-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('shipgate init', () => {
  it('writes a commented shipgate.config.ts, refuses to overwrite it without --force', async () => {
    const cwd = mkdtempSync(join(dir, 'init-'));
    const first = await runCli(['init'], { cwd });
    expect(first.exitCode).toBe(0);
    expect(readFileSync(join(cwd, 'shipgate.config.ts'), 'utf8')).toMatch(/export default defineConfig\(/);
    const again = await runCli(['init'], { cwd });
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toMatch(/already exists; use --force/);
    expect((await runCli(['init', '--force'], { cwd })).exitCode).toBe(0);
  });
});

describe('shipgate gate and demo: usage and config errors (exit 2)', () => {
  it('names the file and key of an invalid config, before starting anything', async () => {
    const cwd = mkdtempSync(join(dir, 'bad-'));
    writeFileSync(join(cwd, 'shipgate.config.json'), JSON.stringify({ canary: { alpha: 2 } }));
    const result = await runCli(['gate'], { cwd });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/SG_CONFIG_INVALID: .*shipgate\.config\.json: canary\.alpha: /);
  });

  it('refuses a missing --config file, an unknown layer and an unknown defect', async () => {
    const missing = await runCli(['gate', '--config', join(dir, 'nope.ts')]);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(/SG_CONFIG_NOT_FOUND/);
    const layer = await runCli(['gate', '--layers', 'contracts,load']);
    expect(layer.exitCode).toBe(2);
    expect(layer.stderr).toMatch(/unknown layer "load"/);
    const defect = await runCli(['demo', '--defect', 'slow-disk']);
    expect(defect.exitCode).toBe(2);
    expect(defect.stderr).toMatch(/SG_UNKNOWN_DEFECT: unknown defect "slow-disk"/);
  });
});
