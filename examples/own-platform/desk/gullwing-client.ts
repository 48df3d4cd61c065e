import { Pool } from 'undici';
import type { Speed } from './zones.ts';

/** The carrier adapter: books a consignment with Gullwing and returns its transit days. */
export interface Consignment {
  consignmentNo: string;
  transitDays: number;
}

export interface GullwingClient {
  book(shipperReference: string, postcode: string, weightGrams: number, speed: Speed): Promise<Consignment>;
  close(): Promise<void>;
}

/** Our speeds in Gullwing's tiers. */
const TIERS: Record<Speed, string> = { 'next-day': 'priority', 'two-day': 'standard', saver: 'deferred' };
/** Gullwing takes at most 30 kg per consignment; heavier orders go as one 30 kg booking. */
const MAX_GRAMS = 30_000;

export function gullwingClient(baseUrl: string, apiKey: string, timeoutMs = 5_000): GullwingClient {
  const pool = new Pool(baseUrl, { connections: 32, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  return {
    async book(shipperReference, postcode, weightGrams, speed) {
      const response = await pool.request({
        method: 'POST',
        path: '/v2/consignments',
        headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          shipperReference,
          destination: { postcode },
          weightGrams: Math.min(Math.max(1, weightGrams), MAX_GRAMS),
          tier: TIERS[speed],
        }),
      });
      const json = (await response.body.json()) as Partial<Consignment>;
      if (response.statusCode !== 201 || typeof json.consignmentNo !== 'string' || !json.transitDays) {
        throw new Error(`Gullwing booking ${shipperReference}: HTTP ${response.statusCode}`);
      }
      return { consignmentNo: json.consignmentNo, transitDays: json.transitDays };
    },
    close: () => pool.close(),
  };
}
