import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import type { TrafficRecord } from '../record.ts';
import { loadTrafficMap, parseTrafficMap } from './map-file.ts';
import { readExport } from './read-export.ts';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'shipgate-import-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function readAll(reader: AsyncIterable<TrafficRecord>) {
  const records: TrafficRecord[] = [];
  for await (const record of reader) records.push(record);
  return records;
}
const summary = (records: TrafficRecord[]) =>
  records.map((r) => (r.kind === 'order' ? `${r.line}:${r.order.id}` : `${r.line}:${r.code}:${r.field}`));

describe('readExport: a messy CSV export through a map file', () => {
  it('maps quoted commas, grams and kilograms, lookups and dates; quarantines bad rows naming line and field', async () => {
    const reader = readExport(fixture('shop-export.csv'), loadTrafficMap(fixture('shop-map.yaml')));
    const records = await readAll(reader);
    expect(summary(records)).toEqual([
      '2:A-1001',
      '3:A-1002',
      '4:invalid-field:createdAt', // 31/13/2026 25:00: refused, not rolled over into 2027
      '5:csv-row:(line)', // a row cut short: 4 of 16 columns
      '6:invalid-field:value', // Total "n/a"
      '7:duplicate-id:id',
      '8:blank-line:(line)',
      '9:invalid-field:serviceLevel', // "Overnight" is in no lookup
      '10:A-1008',
    ]);
    const orders = records.flatMap((r) => (r.kind === 'order' ? [r.order] : []));
    expect(orders[0]).toEqual({
      id: 'A-1001',
      createdAt: '2026-11-27T09:14:00.000Z',
      promisedBy: '2026-11-28T09:14:00.000Z',
      customer: {
        name: 'Ada Lovelace',
        phone: '+447700900001',
        email: 'ada@example.test',
        address: { line1: '12 High St, Flat 3', city: 'London', postcode: '212345', country: 'GB' },
      },
      destination: { region: 'N', postcode: '212345' },
      serviceLevel: 'express',
      items: [{ sku: 'TV-55', qty: 1, weightKg: 17.5 }],
      value: 499,
      currency: 'GBP',
      notes: 'ring twice, then "knock"',
    });
    expect(orders[1]!.items[0]).toEqual({ sku: 'HDMI-2M', qty: 2, weightKg: 0.2 });
    expect(orders[2]!.items[0]).toEqual({ sku: 'BOOK-9', qty: 4, weightKg: 0.35 });
    expect(orders[2]!.destination.region).toBe('S');
    expect(reader.stats.records).toBe(9);
    const quarantined = JSON.stringify(records.filter((r) => r.kind === 'quarantined'));
    expect(quarantined).toContain('fields.createdAt in');
    expect(quarantined).toContain('not a valid date in the picture');
    // Reasons and excerpts never carry the row's values.
    for (const marker of ['Cy Young', 'cy@example', 'Ed Stone', 'n/a', 'Flo Hart'])
      expect(quarantined).not.toContain(marker);
  });

  it('refuses an export whose header lacks a column the map reads (exit-2 input error naming both files)', async () => {
    const csv = join(dir, 'no-zip.csv');
    writeFileSync(csv, 'Order Ref,Placed\nA-1,27/11/2026 09:14\n');
    const reader = readExport(csv, loadTrafficMap(fixture('shop-map.yaml')));
    await expect(readAll(reader)).rejects.toThrow(
      /no-zip\.csv:1: \(header\): no column "Service" \(read by fields\.promisedBy, fields\.serviceLevel\), "Customer" \(read by fields\.customer\.name\).* in .*shop-map\.yaml; the columns are "Order Ref", "Placed"/,
    );
  });

  it('reads a .tsv export with tab-separated fields by default', async () => {
    const lines = readFileSync(fixture('shop-export.csv'), 'utf8').split('\n').slice(0, 3);
    const tsv = join(dir, 'export.tsv');
    // The two rows without quoted fields, tab-separated.
    writeFileSync(tsv, `${[lines[0], lines[2]].map((l) => l!.replaceAll(',', '\t')).join('\n')}\n`);
    const records = await readAll(readExport(tsv, loadTrafficMap(fixture('shop-map.yaml'))));
    expect(summary(records)).toEqual(['2:A-1002']);
  });

  it('reads a JSON document (records under a path) and JSON Lines with the same map', async () => {
    const map = {
      records: 'data.orders',
      fields: {
        id: 'ref',
        createdAt: 'placedAt',
        promisedBy: '$fromMillis($toMillis(placedAt) + 2 * 86400000)',
        'customer.name': 'buyer.name',
        'customer.phone': 'buyer.phone',
        'customer.email': 'buyer.email',
        'customer.address.line1': 'ship.street',
        'customer.address.city': 'ship.city',
        'customer.address.postcode': 'ship.zip',
        'customer.address.country': '"GB"',
        'destination.postcode': 'ship.zip',
        'destination.region': '$regionOf(ship.zip)',
        serviceLevel: '"standard"',
        items: 'lines.{"sku": code, "qty": n, "weightKg": grams / 1000}',
        value: 'total',
        currency: '"EUR"',
        'customer.vip': 'vip',
      },
    };
    const order = (ref: string, zip: number | string) => ({
      ref,
      placedAt: '2026-11-27T09:00:00Z',
      buyer: { name: 'Ann Other', phone: '+447700900111', email: 'ann@example.test' },
      ship: { street: '1 Road', city: 'Town', zip },
      lines: [
        { code: 'TV-55', n: 1, grams: 17500 },
        { code: 'CABLE-1', n: 2, grams: 120 },
      ],
      total: 510.5,
      vip: 'yes',
    });
    const doc = join(dir, 'export.json');
    writeFileSync(
      doc,
      JSON.stringify({ data: { orders: [order('J-1', 912345), order('J-2', 'x')] } }, null, 2),
    );
    const mapFile = join(dir, 'map.yaml');
    writeFileSync(mapFile, stringify(map));
    const fromDoc = await readAll(readExport(doc, loadTrafficMap(mapFile)));
    expect(summary(fromDoc)).toEqual(['1:J-1', '2:invalid-field:customer.address.postcode']);
    const first = fromDoc[0]!.kind === 'order' ? fromDoc[0]!.order : undefined;
    expect(first).toMatchObject({
      destination: { region: 'NW', postcode: '912345' },
      items: [
        { sku: 'TV-55', qty: 1, weightKg: 17.5 },
        { sku: 'CABLE-1', qty: 2, weightKg: 0.12 },
      ],
      customer: { vip: true },
      promisedBy: '2026-11-29T09:00:00.000Z',
    });

    const lines = join(dir, 'export.jsonl');
    writeFileSync(lines, `${JSON.stringify(order('L-1', '112345'))}\n{"ref":\n`);
    const { records: _ignored, ...jsonlMap } = map;
    const fromLines = await readAll(readExport(lines, parseTrafficMap(jsonlMap, 'inline.yaml')));
    expect(summary(fromLines)).toEqual(['1:L-1', '2:malformed-json:(line)']);
  });
});
