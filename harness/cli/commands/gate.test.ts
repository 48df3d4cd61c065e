import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * The CLI surface of `gate`, `init` and `demo` through the real launcher: the cheap
 * paths (usage and config errors end with exit 2 before anything starts; init writes
 * and refuses to overwrite). The gate's runs themselves are in harness/gate/gate.e2e.test.ts.
 */
const bin = join(process.cwd(), 'bin', 'shipgate.js');
const dir = mkdtempSync(join(tmpdir(), 'sg-gate-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('shipgate init', () => {
  it('writes a commented shipgate.config.ts, refuses to overwrite it without --force', async () => {
    const cwd = mkdtempSync(join(dir, 'init-'));
    const first = await execa('node', [bin, 'init'], { cwd, reject: false });
    expect(first.exitCode).toBe(0);
    expect(readFileSync(join(cwd, 'shipgate.config.ts'), 'utf8')).toMatch(/export default defineConfig\(/);
    const again = await execa('node', [bin, 'init'], { cwd, reject: false });
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toMatch(/already exists; use --force/);
    expect((await execa('node', [bin, 'init', '--force'], { cwd, reject: false })).exitCode).toBe(0);
  });
});

describe('shipgate gate and demo: usage and config errors (exit 2)', () => {
  it('names the file and key of an invalid config, before starting anything', async () => {
    const cwd = mkdtempSync(join(dir, 'bad-'));
    writeFileSync(join(cwd, 'shipgate.config.json'), JSON.stringify({ canary: { alpha: 2 } }));
    const result = await execa('node', [bin, 'gate'], { cwd, reject: false });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/SG_CONFIG_INVALID: .*shipgate\.config\.json: canary\.alpha: /);
  });

  it('refuses a missing --config file, an unknown layer and an unknown defect', async () => {
    const missing = await execa('node', [bin, 'gate', '--config', join(dir, 'nope.ts')], { reject: false });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(/SG_CONFIG_NOT_FOUND/);
    const layer = await execa('node', [bin, 'gate', '--layers', 'contracts,load'], { reject: false });
    expect(layer.exitCode).toBe(2);
    expect(layer.stderr).toMatch(/unknown layer "load"/);
    const defect = await execa('node', [bin, 'demo', '--defect', 'slow-disk'], { reject: false });
    expect(defect.exitCode).toBe(2);
    expect(defect.stderr).toMatch(/SG_UNKNOWN_DEFECT: unknown defect "slow-disk"/);
  });
});
