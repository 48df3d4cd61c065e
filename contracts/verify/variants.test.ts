import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningProviders, startSandboxProviders } from '../../harness/targets/sandbox-providers.ts';
import { runConsumerSpecs } from '../pact/run.ts';
import { verifyProvidersIsolated } from './isolated.ts';
import { type ResponseRewrite, startVariantProvider } from './variant-provider.ts';
import { type ProviderTarget, verifyProvider } from './verify.ts';

/**
 * The contract's negative tests: variants of the real sandbox carriers (a rewriting proxy
 * in front of each) that rename a field, change a status value or drop a required field
 * must fail verification, naming the field; one that adds an optional field must pass.
 */

let pactDir: string;
let sandbox: RunningProviders;
const target = (name: string) => sandbox.targets.find((t) => t.provider === name) as ProviderTarget;

beforeAll(async () => {
  pactDir = mkdtempSync(join(tmpdir(), 'shipgate-variants-'));
  const consumer = await runConsumerSpecs({ pactDir });
  expect(consumer.results.filter((r) => r.status === 'fail')).toEqual([]);
  sandbox = await startSandboxProviders();
}, 60_000);

afterAll(async () => {
  await sandbox?.stop();
  rmSync(pactDir, { recursive: true, force: true });
});

async function verifyVariant(provider: string, rewrite: ResponseRewrite) {
  const real = target(provider);
  const variant = await startVariantProvider(real.baseUrl, rewrite);
  try {
    return await verifyProvider({ ...real, baseUrl: variant.url }, { pactDir, targets: [] });
  } finally {
    await variant.close();
  }
}

/**
 * A variant that must fail, verified as the gate does it: in a child process whose
 * output goes to a log (in-process, Pact's FAILED lines would land in the test output).
 */
async function verifyBrokenVariant(provider: string, rewrite: ResponseRewrite) {
  const real = target(provider);
  const variant = await startVariantProvider(real.baseUrl, rewrite);
  const log = join(pactDir, `verifier-${provider}.log`);
  try {
    const [result] = await verifyProvidersIsolated(
      { pactDir, targets: [{ ...real, baseUrl: variant.url }] },
      log,
    );
    return { ...result!, log: readFileSync(log, 'utf8') };
  } finally {
    await variant.close();
  }
}

const when = (
  method: string,
  pattern: RegExp,
  change: (body: Record<string, unknown>) => void,
): ResponseRewrite => {
  return (request, body) => {
    if (request.method === method && pattern.test(request.path) && body && typeof body === 'object')
      change(body as Record<string, unknown>);
    return body;
  };
};

describe('provider verification of response changes', () => {
  it('passes the real providers unchanged', async () => {
    for (const provider of ['parcelly', 'labelfast', 'steppe']) {
      const result = await verifyVariant(provider, (_r, body) => body);
      expect(result.problems).toEqual([]);
      expect(result.interactions.filter((i) => i.status === 'fail')).toEqual([]);
      expect(result.status).toBe('pass');
    }
  }, 60_000);

  it('catches a renamed response field (parcelly tracking_details → details)', async () => {
    const result = await verifyBrokenVariant(
      'parcelly',
      when('GET', /^\/v2\/trackers\//, (body) => {
        body.details = body.tracking_details;
        delete body.tracking_details;
      }),
    );
    expect(result.status).toBe('fail');
    const failed = result.interactions.filter((i) => i.status === 'fail');
    expect(failed.map((i) => i.description)).toEqual(['tracking a shipment in transit']);
    expect(failed[0]?.mismatches.map((m) => `${m.field} ${m.message}`).join('\n')).toMatch(
      /tracking_details/,
    );
    expect(result.log).toContain('tracking a shipment in transit');
    expect(result.log).toContain('FAILED');
  }, 30_000);

  it('catches a changed status enum value (labelfast IT → IN_TRANSIT)', async () => {
    const result = await verifyBrokenVariant(
      'labelfast',
      when('GET', /\/track$/, (body) => {
        if (body.status_code === 'IT') body.status_code = 'IN_TRANSIT';
      }),
    );
    expect(result.status).toBe('fail');
    const failed = result.interactions.find((i) => i.status === 'fail');
    expect(failed?.description).toBe('tracking a label in transit');
    const mismatch = failed?.mismatches.find((m) => m.field === 'response.body.status_code');
    expect(mismatch?.actual).toContain('IN_TRANSIT');
    expect(mismatch?.expected).toContain('IT');
  }, 30_000);

  it('catches a dropped required field (steppe entity.uuid)', async () => {
    const result = await verifyBrokenVariant(
      'steppe',
      when('POST', /^\/v2\/orders$/, (body) => {
        delete (body.entity as Record<string, unknown>).uuid;
      }),
    );
    expect(result.status).toBe('fail');
    const failed = result.interactions.find((i) => i.status === 'fail');
    expect(failed?.description).toBe('registering an order for a 2.5 kg parcel');
    expect(
      failed?.mismatches.some((m) => m.field.startsWith('response.body.entity') && /uuid/.test(m.message)),
    ).toBe(true);
  }, 30_000);

  it('accepts an added optional field (parcelly insurance, rates[].carrier_account_id)', async () => {
    const result = await verifyVariant(
      'parcelly',
      when('POST', /^\/v2\/shipments/, (body) => {
        body.insurance = '0.00';
        for (const rate of (body.rates as Record<string, unknown>[]) ?? []) rate.carrier_account_id = 'ca_1';
      }),
    );
    expect(result.interactions.filter((i) => i.status === 'fail')).toEqual([]);
    expect(result.status).toBe('pass');
  }, 30_000);
});
