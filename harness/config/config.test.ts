import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judgeMargins } from '../gate/layers/canary.ts';
import { loadConfig, validateConfig } from './load.ts';
import { resolveConfig } from './resolve.ts';
import { STARTER_CONFIG, writeStarterConfig } from './starter.ts';

/**
 * The config as a user meets it: files in their own directory, `shipgate/config`
 * resolved from their node_modules (here a symlink to this repository, as an install
 * would give), errors naming the file and the dotted key.
 */
const repo = resolve(import.meta.dirname, '../..');
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'sg-config-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(repo, join(dir, 'node_modules', 'shipgate'), 'dir');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function project(name: string, files: Record<string, string>): string {
  const root = join(dir, name);
  mkdirSync(root);
  symlinkSync(join(dir, 'node_modules'), join(root, 'node_modules'), 'dir');
  for (const [file, text] of Object.entries(files)) writeFileSync(join(root, file), text);
  return root;
}

describe('loadConfig', () => {
  it('uses the defaults (embedded sandbox, every layer) when there is no config file', async () => {
    const loaded = await loadConfig({ cwd: project('empty', {}) });
    expect(loaded.file).toBeUndefined();
    expect(loaded.resolved.target.kind).toBe('sandbox');
    expect(loaded.resolved.layers).toEqual(['contracts', 'replay', 'scenarios', 'canary']);
    expect(loaded.resolved.continueOnFailure).toBe(false);
  });

  it('loads a shipgate.config.ts importing defineConfig from shipgate/config', async () => {
    const cwd = project('ts', {
      'shipgate.config.ts': `import { defineConfig } from 'shipgate/config';
export default defineConfig({ release: { name: 'platform 2.4.0' }, layers: ['canary', 'contracts'], canary: { interval: '30s', steps: [5, 100] } });
`,
    });
    const loaded = await loadConfig({ cwd });
    expect(loaded.file).toBe(join(cwd, 'shipgate.config.ts'));
    expect(loaded.resolved.release.name).toBe('platform 2.4.0');
    // The gate's order, whatever order the user wrote.
    expect(loaded.resolved.layers).toEqual(['contracts', 'canary']);
    expect(loaded.resolved.canary.intervalMs).toBe(30_000);
    expect(loaded.resolved.canary.steps).toEqual([5, 100]);
  });

  it("loads the repository's own shipgate.config.ts (the package's self-reference)", async () => {
    const loaded = await loadConfig({ cwd: repo });
    expect(loaded.file).toBe(join(repo, 'shipgate.config.ts'));
    expect(loaded.resolved.target.kind).toBe('sandbox');
    expect(loaded.resolved.scenarios.scale).toBeLessThan(1);
  });

  it('loads JSON and YAML configs', async () => {
    const cwd = project('yaml', {
      'shipgate.config.yaml': 'replay:\n  orders: 50\n  speed: 1440\ncontinueOnFailure: true\n',
    });
    const loaded = await loadConfig({ cwd });
    expect(loaded.resolved.replay).toMatchObject({ orders: 50, speed: 1440 });
    expect(loaded.resolved.continueOnFailure).toBe(true);
    const json = project('json', { 'cfg.json': '{"scenarios":{"run":["normal-day"]}}' });
    expect((await loadConfig({ cwd: json, file: 'cfg.json' })).resolved.scenarios.run).toEqual([
      'normal-day',
    ]);
  });

  it('refuses YAML with a tag it cannot resolve, naming the file and line, without a Node warning', async () => {
    const cwd = project('yaml-tag', {
      'shipgate.config.yaml': 'replay:\n  orders: !!js/function "function(){}"\n',
    });
    const warnings: Error[] = [];
    const onWarning = (w: Error) => warnings.push(w);
    process.on('warning', onWarning);
    try {
      await expect(loadConfig({ cwd })).rejects.toMatchObject({
        code: 'SG_CONFIG_INVALID',
        message: expect.stringMatching(/shipgate\.config\.yaml: .*Unresolved tag.*at line 2/s),
      });
      await new Promise((r) => setImmediate(r));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.map((w) => w.message)).toEqual([]);
  });

  it('names the file and the dotted key of a bad value', async () => {
    const cwd = project('bad', {
      'shipgate.config.ts': `export default { canary: { inconclusive: { policy: 'promote' } } };\n`,
    });
    await expect(loadConfig({ cwd })).rejects.toMatchObject({
      code: 'SG_CONFIG_INVALID',
      exitCode: 2,
      message: expect.stringMatching(/shipgate\.config\.ts: canary\.inconclusive\.policy: /),
    });
  });

  it("checks scenario names and users' own scenarios before anything runs", () => {
    expect(() => validateConfig({ scenarios: { run: ['peak-day', 'peek-day'] } }, 'c.ts')).toThrow(
      /c\.ts: scenarios\.run\[1\]: no scenario named "peek-day"/,
    );
    expect(() =>
      validateConfig(
        {
          scenarios: {
            extra: [
              {
                name: 'mine',
                description: 'd',
                load: {},
                faults: [],
                expectations: [],
                settleDays: 1,
                speed: 60,
              },
            ],
          },
        },
        'c.ts',
      ),
    ).toThrow(/c\.ts: scenarios\.extra/);
  });

  it("takes a Pushgateway for shipgate's own metrics, refusing a URL that is not http(s)", () => {
    const ok = validateConfig(
      { pushgateway: { url: 'http://pushgateway:9091', tokenEnv: 'PG_TOKEN' } },
      'c.ts',
    );
    expect(ok.resolved.pushgateway).toEqual({ url: 'http://pushgateway:9091', tokenEnv: 'PG_TOKEN' });
    expect(validateConfig({}, 'c.ts').resolved.pushgateway).toBeUndefined();
    expect(() => validateConfig({ pushgateway: { url: 'pushgateway:9091' } }, 'c.ts')).toThrow(
      /c\.ts: pushgateway\.url/,
    );
  });

  it('takes an http actuator described as requests, naming a bad method or a missing action', () => {
    const request = { method: 'POST', url: 'https://router.example.com/w', body: '{"w": {{weight}}}' };
    const ok = validateConfig(
      {
        canary: {
          actuator: {
            kind: 'http',
            requests: { setWeight: request, promote: request, rollback: request },
            answer: { weight: 'w' },
          },
        },
      },
      'c.ts',
    );
    expect(ok.resolved.canary.actuator).toMatchObject({
      kind: 'http',
      requests: { setWeight: request },
      answer: { weight: 'w' },
    });
    expect(() =>
      validateConfig(
        {
          canary: {
            actuator: {
              kind: 'http',
              requests: { setWeight: { ...request, method: 'FETCH' }, promote: request, rollback: request },
            },
          },
        },
        'c.ts',
      ),
    ).toThrow(/canary\.actuator\.requests\.setWeight\.method/);
    expect(() =>
      validateConfig(
        { canary: { actuator: { kind: 'http', requests: { setWeight: request, promote: request } } } },
        'c.ts',
      ),
    ).toThrow(/canary\.actuator\.requests/);
  });

  it('takes replay.mode raw with a recording and headers from the environment; refuses it without one', () => {
    const { resolved } = validateConfig(
      {
        replay: {
          mode: 'raw',
          traffic: 'rec/kestrel.har',
          headers: { Authorization: { env: 'API_TOKEN', prefix: 'Bearer ' }, 'X-Tenant': 'eu' },
          endpoints: ['/users/{user}'],
        },
      },
      'c.ts',
    );
    expect(resolved.replay).toMatchObject({ mode: 'raw', speed: 1, endpoints: ['/users/{user}'] });
    expect(validateConfig({}, 'c.ts').resolved.replay).toMatchObject({
      mode: 'orders',
      speed: Number.POSITIVE_INFINITY,
    });
    expect(() => validateConfig({ replay: { mode: 'raw', traffic: 'day.jsonl' } }, 'c.ts')).toThrow(
      /c\.ts: replay\.traffic: replay\.mode "raw" needs a recording/,
    );
    expect(() =>
      validateConfig(
        { replay: { mode: 'raw', traffic: 'a.gor', headers: { 'X-Api-Key': 'k-123' } } },
        'c.ts',
      ),
    ).toThrow(/replay\.headers\.X-Api-Key: a credential is never written in the config/);
  });

  it("takes the judge's default margins per metric kind, over its own defaults, naming a bad one", () => {
    const ok = validateConfig(
      { canary: { margins: { events: { absolute: 0.002 }, latency: { relative: 0.1 } } } },
      'c.ts',
    );
    const k = ok.resolved.canary;
    expect(k.margins).toEqual({ events: { absolute: 0.002 }, latency: { relative: 0.1 } });
    expect(judgeMargins(k.margins)).toEqual({ events: { absolute: 0.002 }, latency: { relative: 0.1 } });
    expect(judgeMargins(resolveConfig({}).canary.margins)).toEqual({
      events: {},
      latency: { relative: 0.05 },
    });
    expect(() => validateConfig({ canary: { margins: { latency: { absolute: 0.1 } } } }, 'c.ts')).toThrow(
      /c\.ts: canary\.margins\.latency/,
    );
    expect(() => validateConfig({ canary: { margins: { events: { relative: -1 } } } }, 'c.ts')).toThrow(
      /c\.ts: canary\.margins\.events\.relative/,
    );
  });

  it('rejects unknown keys, naming them', () => {
    expect(() => validateConfig({ replay: { speeed: 2 } }, 'x.json')).toThrow(
      /x\.json: replay: unknown field\(s\) speeed/,
    );
  });

  it('rejects a missing explicit file, a module without a default export, and urls without canary', async () => {
    const cwd = project('missing', { 'nodefault.ts': 'export const x = 1;\n' });
    await expect(loadConfig({ cwd, file: 'nope.ts' })).rejects.toMatchObject({ code: 'SG_CONFIG_NOT_FOUND' });
    await expect(loadConfig({ cwd, file: 'nodefault.ts' })).rejects.toThrow(
      /\(module\): has no default export/,
    );
    expect(() => validateConfig({ target: { kind: 'urls', stable: 'http://a' } }, 'c.ts')).toThrow(
      /c\.ts: target\.canary: is required/,
    );
    expect(() => validateConfig({ canary: { steps: [50, 10] } }, 'c.ts')).toThrow(
      /c\.ts: canary\.steps\[1\]: weights must increase/,
    );
  });

  it('a canary-only gate on a platform you run needs no order URLs, only what the canary layer uses', () => {
    const canaryOnly = {
      layers: ['canary'],
      target: { kind: 'urls' },
      canary: {
        source: { kind: 'prometheus', url: 'http://127.0.0.1:9090' },
        actuator: { kind: 'webhook', url: 'http://127.0.0.1:8080/hook' },
      },
    } as const;
    const { resolved } = validateConfig(canaryOnly, 'c.ts');
    expect(resolved.layers).toEqual(['canary']);
    expect(resolved.target).toMatchObject({ kind: 'urls', stable: '', canary: '' });
    expect(() => validateConfig({ ...canaryOnly, layers: ['replay', 'canary'] }, 'c.ts')).toThrow(
      /c\.ts: target\.stable: is required when the target is a platform you run \(target\.kind "urls"\) and the replay layer runs/,
    );
  });
});

describe('target.platform', () => {
  const urls = { kind: 'urls', stable: 'http://127.0.0.1:1', canary: 'http://127.0.0.1:2' } as const;

  it('resolves an adapter module relative to the config file', async () => {
    const cwd = project('platform-module', {
      'shipgate.config.json': JSON.stringify({
        target: { ...urls, platform: { module: './adapters/mine.ts' } },
      }),
    });
    const { resolved } = await loadConfig({ cwd });
    expect(resolved.target).toMatchObject({ platform: { module: join(cwd, 'adapters', 'mine.ts') } });
  });

  it('checks a declarative adapter by the schema, naming the key', () => {
    expect(() =>
      validateConfig({ target: { ...urls, platform: { name: 'x', idempotency: { in: 'cookie' } } } }, 'c.ts'),
    ).toThrow(/^c\.ts: target\.platform/);
  });

  it('refuses a platform adapter on the embedded sandbox', () => {
    expect(() =>
      validateConfig({ target: { kind: 'sandbox', platform: { module: './mine.ts' } } }, 'c.ts'),
    ).toThrow('c.ts: target.platform: the embedded sandbox speaks its own API');
    expect(() => validateConfig({ target: { platform: { builtin: 'sandbox' } } }, 'c.ts')).not.toThrow();
  });
});

describe('shipgate init', () => {
  it('writes a starter config that loads back, validates, and resolves to the defaults', async () => {
    const cwd = project('init', {});
    const file = writeStarterConfig({ dir: cwd });
    expect(() => writeStarterConfig({ dir: cwd })).toThrow(/already exists; use --force/);
    writeStarterConfig({ dir: cwd, force: true });
    const loaded = await loadConfig({ cwd });
    expect(loaded.file).toBe(file);
    const defaults = resolveConfig({});
    // The starter spells out the defaults; only the release name is an example.
    expect({ ...loaded.resolved, release: defaults.release }).toEqual(defaults);
    expect(STARTER_CONFIG.split('\n').filter((l) => l.includes('//')).length).toBeGreaterThan(20);
  });
});
