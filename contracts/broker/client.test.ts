import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeBroker } from '../../test/support/fake-broker.ts';
import { BrokerError, createBrokerClient } from './client.ts';
import { brokerFromEnv, describeBroker } from './config.ts';

const TOKEN = 'secret-broker-token';
let closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers) await close();
  closers = [];
});

async function broker(options: Parameters<typeof startFakeBroker>[0] = {}) {
  const fake = await startFakeBroker({ token: TOKEN, ...options });
  closers.push(fake.close);
  return fake;
}

describe('Pact Broker client', () => {
  it('publishes pact files with the consumer version and branch, authenticated by the token', async () => {
    const fake = await broker();
    const dir = mkdtempSync(join(tmpdir(), 'shipgate-broker-'));
    try {
      const file = join(dir, 'shipgate-platform-steppe.json');
      writeFileSync(
        file,
        JSON.stringify({
          consumer: { name: 'shipgate-platform' },
          provider: { name: 'steppe' },
          interactions: [],
        }),
      );
      const client = createBrokerClient({ baseUrl: fake.url, token: TOKEN });
      const published = await client.publishPacts({
        pacticipant: 'shipgate-platform',
        version: '1.2.0',
        branch: 'main',
        pactFiles: [file],
      });
      expect(published.notices).toEqual(['pact shipgate-platform → steppe published']);
      const call = fake.calls[0];
      expect(call).toMatchObject({
        method: 'POST',
        url: '/contracts/publish',
        authorization: `Bearer ${TOKEN}`,
      });
      const body = call?.body as {
        pacticipantVersionNumber: string;
        branch: string;
        contracts: { providerName: string; content: string }[];
      };
      expect(body.pacticipantVersionNumber).toBe('1.2.0');
      expect(body.branch).toBe('main');
      expect(JSON.parse(Buffer.from(body.contracts[0]!.content, 'base64').toString()).provider.name).toBe(
        'steppe',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('records a deployment through the environment uuid, and asks can-i-deploy', async () => {
    const fake = await broker({ deployable: false });
    const client = createBrokerClient({ baseUrl: fake.url, token: TOKEN });
    await client.recordDeployment('shipgate-platform', '1.2.0', 'production');
    expect(fake.calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'GET /environments?name=production',
      'POST /pacticipants/shipgate-platform/versions/1.2.0/deployed-versions/environment/env-0',
    ]);
    const answer = await client.canIDeploy({
      pacticipant: 'shipgate-platform',
      version: '1.2.0',
      toEnvironment: 'production',
    });
    expect(answer.deployable).toBe(false);
    expect(answer.matrix).toEqual([
      {
        consumer: 'shipgate-platform',
        consumerVersion: '1.2.0',
        provider: 'steppe',
        providerVersion: '7.0.1',
        success: false,
      },
    ]);
    expect(fake.calls.at(-1)?.url).toBe(
      '/can-i-deploy?pacticipant=shipgate-platform&version=1.2.0&environment=production',
    );
  });

  it('reports a refused call with its status, never with the token', async () => {
    const fake = await broker();
    const client = createBrokerClient({ baseUrl: fake.url, token: 'wrong-token' });
    const error = await client
      .canIDeploy({ pacticipant: 'p', version: '1', toEnvironment: 'production' })
      .catch((e) => e);
    expect(error).toBeInstanceOf(BrokerError);
    expect(error.status).toBe(401);
    expect(error.message).not.toContain('wrong-token');
    await expect(client.recordDeployment('p', '1', 'staging')).rejects.toThrow(/HTTP 401/);
  });

  it('reads the broker from the environment and describes it without the token', () => {
    expect(brokerFromEnv({})).toBeUndefined();
    const config = brokerFromEnv({
      PACT_BROKER_BASE_URL: 'https://user:pw@broker.example/',
      PACT_BROKER_TOKEN: TOKEN,
    });
    expect(config).toEqual({ baseUrl: 'https://user:pw@broker.example', token: TOKEN });
    const described = describeBroker(config!);
    expect(described).toBe('https://broker.example (token set)');
    expect(described).not.toContain(TOKEN);
  });
});
