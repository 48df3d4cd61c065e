import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { startFakeBroker } from '../../test/support/fake-broker.ts';
import { runCli } from '../cli/testing.ts';
import type { ShipgateConfig } from '../config/define.ts';
import { loadConfig, validateConfig } from '../config/load.ts';
import { runGate } from './run.ts';

/**
 * The contracts layer on a platform shipgate did not design (examples/own-platform,
 * "Kestrel"), configured only through shipgate's config: its consumers' pacts (V4 from
 * fulfilment-desk, V3 from restock-planner) verified against its own depot, states
 * through the depot's Pact state-change URL, its token from the environment as a header.
 *
 * How the per-run URLs reach the config: the config names environment variables
 * (`{ env: 'KESTREL_DEPOT_URL' }`, and process.env for the target's URLs), set here from
 * the running platform, as a CI job would export them from the platform's ready line.
 */
const CONFIG = join(process.cwd(), 'examples', 'own-platform', 'shipgate.config.ts');
const TOKEN = 'depot-token-5e3c1b7a9d';
const dirs: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};
afterEach(() => vi.unstubAllEnvs());
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function kestrel(defects: 'depot-field-rename'[] = []) {
  const { startPlatform } = await import('../../examples/own-platform/platform.ts');
  const platform = await startPlatform({ defects, depotToken: TOKEN, timeScale: 3600 });
  const env = {
    KESTREL_CURRENT_URL: platform.urls.current,
    KESTREL_NEXT_URL: platform.urls.next,
    KESTREL_DEPOT_URL: platform.urls.depot,
    KESTREL_DEPOT_TOKEN: platform.depotToken,
  };
  return { platform, env };
}

async function gate(env: Record<string, string>, change?: (config: ShipgateConfig) => ShipgateConfig) {
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  const loaded = await loadConfig({ file: CONFIG });
  // The example's config runs the canary too (own-platform-canary.e2e.test.ts); here: contracts.
  const contractsOnly = (config: ShipgateConfig): ShipgateConfig => ({
    ...(change ? change(config) : config),
    layers: ['contracts'],
  });
  const config = validateConfig(contractsOnly(loaded.config), CONFIG).resolved;
  const runDir = tempDir('sg-kestrel-');
  const result = await runGate({ config, runDir, progress: () => {} });
  return { result, runDir, section: result.report.layers.contracts! };
}

/** Every file of a run folder, for the "no secret anywhere" check. */
function everyFile(dir: string): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'))
    .join('\n');
}

describe('contracts of a team’s own platform (Kestrel), from its config', () => {
  it('verifies both consumers’ pacts (V4 and V3) against the depot through its state-change URL; the token stays secret', async () => {
    const { platform, env } = await kestrel();
    try {
      const { result, section, runDir } = await gate(env);
      expect(section.failures).toEqual([]);
      expect(section.status).toBe('pass');
      expect(result.exitCode).toBe(0);
      const verified = section.checks.filter((c) => c.id.startsWith('contracts/verify/kestrel-depot/'));
      expect(verified.map((c) => [c.title, c.status]).sort()).toEqual([
        ['kestrel-depot: a hold for a sold-out article (provider verification)', 'pass'],
        ['kestrel-depot: a hold for units in stock (provider verification)', 'pass'],
        ['kestrel-depot: the release of a hold (provider verification)', 'pass'],
        ['kestrel-depot: the stock level of a stocked article (provider verification)', 'pass'],
        [
          'kestrel-depot: the stock level of an article the depot does not carry (provider verification)',
          'pass',
        ],
      ]);
      // No consumer specs of the sandbox ran: the target is not the sandbox.
      expect(section.checks.some((c) => c.id.startsWith('contracts/consumer/'))).toBe(false);
      expect(section.pacts?.map((p) => `${p.consumer}:${p.interactions}`).sort()).toEqual([
        'fulfilment-desk:3',
        'restock-planner:2',
      ]);
      // The sold-out answer (409 with the short list) needs its state: it was set up.
      expect(JSON.stringify(section.checks)).not.toMatch(/provider state .* HTTP/);
      expect(everyFile(runDir)).not.toContain(TOKEN);
    } finally {
      await platform.stop();
    }
  }, 120_000);

  it('fails a depot build that renamed holdId, naming the interaction and the field', async () => {
    const { platform, env } = await kestrel(['depot-field-rename']);
    try {
      const { result, section, runDir } = await gate(env);
      expect(result.exitCode).toBe(1);
      expect(result.stoppedAt).toBe('contracts');
      expect(section.status).toBe('fail');
      expect(section.failures).toEqual([
        expect.objectContaining({
          provider: 'kestrel-depot',
          consumer: 'fulfilment-desk',
          interaction: 'a hold for units in stock',
          field: 'response.body.holdId',
          expected: 'present',
        }),
      ]);
      expect(section.summary).toMatch(
        /^Broken contract with kestrel-depot in "a hold for units in stock": .*holdId/,
      );
      // The V3 pact still holds against this build.
      const v3 = section.checks.filter((c) => c.title.includes('stock level'));
      expect(v3.map((c) => c.status)).toEqual(['pass', 'pass']);
      expect(readFileSync(join(runDir, 'junit.xml'), 'utf8')).toContain('holdId');
      expect(everyFile(runDir)).not.toContain(TOKEN);
    } finally {
      await platform.stop();
    }
  }, 120_000);

  it('with a broker: verifies the broker’s pacts, publishes the result for the candidate version, asks can-i-deploy for kestrel-depot', async () => {
    const { platform, env } = await kestrel();
    const broker = await startFakeBroker({ token: 'broker-secret-77' });
    try {
      const pactDir = join(process.cwd(), 'examples', 'own-platform', 'pacts');
      for (const name of readdirSync(pactDir).filter((n) => n.endsWith('.json')))
        broker.addPact(JSON.parse(readFileSync(join(pactDir, name), 'utf8')));
      const { section, runDir } = await gate(
        { ...env, KESTREL_BROKER_TOKEN: 'broker-secret-77' },
        (config) => ({
          ...config,
          release: { ...config.release, candidateVersion: '2.7.0' },
          contracts: {
            ...config.contracts,
            broker: {
              url: broker.url,
              tokenEnv: 'KESTREL_BROKER_TOKEN',
              providerBranch: 'main',
              canIDeploy: [{ pacticipant: 'kestrel-depot', environment: 'production' }],
            },
          },
        }),
      );
      expect(section.failures).toEqual([]);
      expect(section.status).toBe('pass');
      expect(
        broker.calls.some(
          (c) => c.method === 'POST' && c.url === '/pacts/provider/kestrel-depot/for-verification',
        ),
      ).toBe(true);
      const published = broker.calls.filter((c) => c.url.endsWith('/verification-results'));
      expect(published.map((c) => c.url).sort()).toEqual([
        '/pacts/kestrel-depot/fulfilment-desk/verification-results',
        '/pacts/kestrel-depot/restock-planner/verification-results',
      ]);
      expect(published[0]?.body).toMatchObject({ success: true, providerApplicationVersion: '2.7.0' });
      const asked = broker.calls.find((c) => c.url.startsWith('/can-i-deploy'));
      expect(new URL(asked!.url, broker.url).searchParams.toString()).toBe(
        'pacticipant=kestrel-depot&version=2.7.0&environment=production',
      );
      expect(
        section.checks.find((c) => c.id === 'contracts/can-i-deploy/kestrel-depot/production')?.status,
      ).toBe('pass');
      const files = everyFile(runDir);
      expect(files).not.toContain(TOKEN);
      expect(files).not.toContain('broker-secret-77');
    } finally {
      await broker.close();
      await platform.stop();
    }
  }, 120_000);

  it('`shipgate gate --config examples/own-platform/shipgate.config.ts --layers contracts` against the running platform', async () => {
    const { platform, env } = await kestrel();
    try {
      const out = tempDir('sg-kestrel-cli-');
      const cli = await execa(
        'node',
        [
          join(process.cwd(), 'bin', 'shipgate.js'),
          'gate',
          '--config',
          CONFIG,
          '--layers',
          'contracts',
          '--run-dir',
          out,
        ],
        { env: { ...env, NO_COLOR: '1' }, reject: false },
      );
      expect(cli.stderr + cli.stdout).not.toContain(TOKEN);
      expect(cli.exitCode, cli.stderr).toBe(0);
      const report = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8'));
      expect(report.layers.contracts.summary).toBe('Contracts hold: 5 of 5 provider verifications passed.');
      expect(everyFile(out)).not.toContain(TOKEN);
    } finally {
      await platform.stop();
    }
  }, 300_000);

  it('stops with a usage error naming the variable and the config key when a secret is not in the environment', async () => {
    // In-process (runCli): the check and its message, not the launcher (the test above).
    const missing = await runCli(
      ['gate', '--config', CONFIG, '--layers', 'contracts', '--run-dir', tempDir('sg-kestrel-env-')],
      {
        env: {
          KESTREL_CURRENT_URL: 'http://127.0.0.1:9',
          KESTREL_NEXT_URL: 'http://127.0.0.1:9',
          KESTREL_DEPOT_URL: 'http://127.0.0.1:9',
          KESTREL_DEPOT_TOKEN: '',
          NO_COLOR: '1',
        },
      },
    );
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(
      /SG_ENV_MISSING: environment variable KESTREL_DEPOT_TOKEN is not set; .*contracts\.providers\.kestrel-depot\.headers\.X-Depot-Token/,
    );
  }, 120_000);
});

describe('`shipgate contracts verify --config` on the same config', () => {
  it('verifies Kestrel’s pacts against its depot and writes the run folder', async () => {
    const { runContractsCommand } = await import('../cli/actions/contracts.ts');
    const { platform, env } = await kestrel();
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
      const out = tempDir('sg-kestrel-verify-');
      const result = await runContractsCommand('verify', { config: CONFIG, out });
      expect(result.section.summary).toBe('Contracts hold: 5 of 5 provider verifications passed.');
      expect(result.exitCode).toBe(0);
      expect(everyFile(out)).not.toContain(TOKEN);
    } finally {
      write.mockRestore();
      await platform.stop();
    }
  }, 120_000);
});
