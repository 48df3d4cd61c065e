import { Pool } from 'undici';

/**
 * The desk's client of Kestrel Depot. Its pacts (contract/) are written by running this
 * very client against Pact's mock depot. An answer without the fields the desk reads is
 * a protocol error, not a guess.
 */
export interface HoldLine {
  article: string;
  units: number;
}

export type HoldAnswer =
  | { kind: 'held'; holdId: string }
  | { kind: 'short'; short: { article: string; wanted: number; available: number }[] };

export class DepotProtocolError extends Error {}

export interface DepotClient {
  levelOf(article: string): Promise<{ article: string; available: number } | undefined>;
  hold(reference: string, lines: HoldLine[]): Promise<HoldAnswer>;
  release(holdId: string): Promise<void>;
  close(): Promise<void>;
}

export function depotClient(baseUrl: string, token: string, timeoutMs = 5_000): DepotClient {
  const pool = new Pool(baseUrl, { connections: 32, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  const headers = { 'x-depot-token': token, accept: 'application/json' };

  const call = async (method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown) => {
    const response = await pool.request({
      method,
      path,
      headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.body.text();
    return { status: response.statusCode, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
  };

  return {
    async levelOf(article) {
      const { status, json } = await call('GET', `/articles/${encodeURIComponent(article)}/level`);
      if (status === 404) return undefined;
      if (status !== 200 || typeof json.available !== 'number') {
        throw new DepotProtocolError(`stock level of ${article}: HTTP ${status}, available missing`);
      }
      return { article, available: json.available };
    },
    async hold(reference, lines) {
      const { status, json } = await call('POST', '/holds', { reference, lines });
      if (status === 201 && typeof json.holdId === 'string') return { kind: 'held', holdId: json.holdId };
      if (status === 409 && Array.isArray(json.short)) return { kind: 'short', short: json.short as never };
      throw new DepotProtocolError(`hold for ${reference}: HTTP ${status} without holdId`);
    },
    async release(holdId) {
      const { status } = await call('DELETE', `/holds/${encodeURIComponent(holdId)}`);
      if (status !== 204 && status !== 404) throw new DepotProtocolError(`release ${holdId}: HTTP ${status}`);
    },
    close: () => pool.close(),
  };
}
