import { GOR_SEPARATOR } from './gor.ts';
import type { RawRecord } from './record.ts';

/** A GoReplay file from payloads: `[type, id, timestamp-ns, message]`. */
export function gorFile(payloads: [string, string, bigint, string][]): string {
  return payloads
    .map(([type, id, ns, message]) => `${type} ${id} ${ns} 0\n${message}${GOR_SEPARATOR}`)
    .join('');
}

/** A HAR 1.2 document holding these entries. */
export function harFile(entries: unknown[]): string {
  return JSON.stringify({ log: { version: '1.2', creator: { name: 'test', version: '1' }, entries } });
}

export async function collect(records: AsyncIterable<RawRecord>): Promise<RawRecord[]> {
  const out: RawRecord[] = [];
  for await (const record of records) out.push(record);
  return out;
}

export async function* chunks(text: string, size = 7): AsyncGenerator<Uint8Array> {
  const bytes = Buffer.from(text, 'utf8');
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}
