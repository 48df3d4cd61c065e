import { readFileSync } from 'node:fs';
import type { BrokerConfig } from './config.ts';

/**
 * The Pact Broker's HTTP API, the parts shipgate needs: publish pacts, record a
 * deployment, ask can-i-deploy. Plain fetch rather than @pact-foundation/pact-cli: that
 * package wraps the Ruby standalone broker client, a platform binary fetched at install
 * time, which CI images behind a proxy often cannot download; these four calls are
 * small, documented and stable (https://docs.pact.io/pact_broker/api).
 * Provider verification results are published by Pact's native verifier itself
 * (contracts/verify), with provider version, branch, pending and WIP pacts.
 */

export class BrokerError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'BrokerError';
  }
}

export interface BrokerClientOptions extends BrokerConfig {
  timeoutMs?: number;
}

export interface PublishRequest {
  pacticipant: string;
  version: string;
  branch?: string;
  tags?: string[];
  buildUrl?: string;
  pactFiles: string[];
}

export interface CanIDeployRequest {
  pacticipant: string;
  version: string;
  toEnvironment: string;
}

export interface CanIDeployAnswer {
  deployable: boolean | null;
  reason: string;
  /** Each consumer/provider pairing the broker considered, with its verification. */
  matrix: {
    consumer: string;
    consumerVersion?: string;
    provider: string;
    providerVersion?: string;
    success: boolean | null;
  }[];
}

export function createBrokerClient(options: BrokerClientOptions) {
  const base = options.baseUrl.replace(/\/+$/, '');
  const request = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const headers: Record<string, string> = { accept: 'application/hal+json, application/json' };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(`${base}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(options.timeoutMs ?? 15_000),
      });
    } catch (error) {
      throw new BrokerError(`${method} ${path}: no answer from the broker (${(error as Error).message})`);
    }
    const text = await response.text();
    const parsed = text ? safeJson(text) : undefined;
    if (!response.ok) {
      const detail =
        typeof parsed === 'object' && parsed ? JSON.stringify(parsed).slice(0, 300) : text.slice(0, 300);
      throw new BrokerError(`${method} ${path}: HTTP ${response.status} ${detail}`, response.status);
    }
    return parsed;
  };

  return {
    /** POST /contracts/publish: every pact file, with the consumer version and branch. */
    async publishPacts(publish: PublishRequest): Promise<{ notices: string[] }> {
      const contracts = publish.pactFiles.map((file) => {
        const content = readFileSync(file, 'utf8');
        const pact = JSON.parse(content) as { consumer: { name: string }; provider: { name: string } };
        return {
          consumerName: pact.consumer.name,
          providerName: pact.provider.name,
          specification: 'pact',
          contentType: 'application/json',
          content: Buffer.from(content).toString('base64'),
        };
      });
      const answer = (await request('POST', '/contracts/publish', {
        pacticipantName: publish.pacticipant,
        pacticipantVersionNumber: publish.version,
        ...(publish.branch ? { branch: publish.branch } : {}),
        ...(publish.tags?.length ? { tags: publish.tags } : {}),
        ...(publish.buildUrl ? { buildUrl: publish.buildUrl } : {}),
        contracts,
      })) as { notices?: { text: string }[] } | undefined;
      return { notices: (answer?.notices ?? []).map((n) => n.text) };
    },

    /** Records that a pacticipant version is now deployed to an environment (replacing the one there). */
    async recordDeployment(pacticipant: string, version: string, environment: string): Promise<void> {
      const uuid = await environmentUuid(environment);
      const path = `/pacticipants/${enc(pacticipant)}/versions/${enc(version)}/deployed-versions/environment/${enc(uuid)}`;
      await request('POST', path, {});
    },

    /** Records that a pacticipant version is released to an environment (several may be supported at once). */
    async recordRelease(pacticipant: string, version: string, environment: string): Promise<void> {
      const uuid = await environmentUuid(environment);
      const path = `/pacticipants/${enc(pacticipant)}/versions/${enc(version)}/released-versions/environment/${enc(uuid)}`;
      await request('POST', path, {});
    },

    /** GET /can-i-deploy: may this version go to that environment, given every verified pact? */
    async canIDeploy(ask: CanIDeployRequest): Promise<CanIDeployAnswer> {
      const query = new URLSearchParams({
        pacticipant: ask.pacticipant,
        version: ask.version,
        environment: ask.toEnvironment,
      });
      const answer = (await request('GET', `/can-i-deploy?${query}`)) as {
        summary?: { deployable?: boolean | null; reason?: string };
        matrix?: {
          consumer?: { name?: string; version?: { number?: string } };
          provider?: { name?: string; version?: { number?: string } };
          verificationResult?: { success?: boolean } | null;
        }[];
      };
      return {
        deployable: answer.summary?.deployable ?? null,
        reason: answer.summary?.reason ?? 'the broker gave no reason',
        matrix: (answer.matrix ?? []).map((row) => ({
          consumer: row.consumer?.name ?? '?',
          ...(row.consumer?.version?.number ? { consumerVersion: row.consumer.version.number } : {}),
          provider: row.provider?.name ?? '?',
          ...(row.provider?.version?.number ? { providerVersion: row.provider.version.number } : {}),
          success: row.verificationResult?.success ?? null,
        })),
      };
    },
  };

  async function environmentUuid(name: string): Promise<string> {
    const answer = (await request('GET', `/environments?name=${enc(name)}`)) as {
      _embedded?: { environments?: { uuid: string; name: string }[] };
    };
    const found = answer._embedded?.environments?.find((e) => e.name === name);
    if (!found)
      throw new BrokerError(
        `environment "${name}" is not known to the broker (create it with the broker's UI or API first)`,
      );
    return found.uuid;
  }
}

export type BrokerClient = ReturnType<typeof createBrokerClient>;

function enc(value: string): string {
  return encodeURIComponent(value);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
