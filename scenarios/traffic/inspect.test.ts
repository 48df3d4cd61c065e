import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CSV_COLUMNS, csvLine, orderToRow } from './csv-layout.ts';
import { inspectTraffic, renderProfile, sparkline } from './inspect.ts';
import { readTraffic } from './read.ts';
import { sampleOrder } from './test-orders.ts';

const dir = mkdtempSync(join(tmpdir(), 'shipgate-inspect-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const at = (id: string, hour: number, region: 'N' | 'NW' = 'N') =>
  sampleOrder(id, {
    createdAt: `2026-11-23T${String(hour).padStart(2, '0')}:30:00.000Z`,
    destination: { region, postcode: region === 'N' ? '212345' : '912345' },
    serviceLevel: hour < 12 ? 'express' : 'standard',
  });
const orders = [at('o-1', 9), at('o-2', 9), at('o-3', 15, 'NW'), at('o-4', 23)];

describe('traffic inspect', () => {
  it('profiles a CSV file: counts, what would be quarantined, span, hourly shares, regions, service levels', async () => {
    const path = join(dir, 'day.csv');
    writeFileSync(
      path,
      csvLine(CSV_COLUMNS) +
        orders.map((o) => csvLine(orderToRow(o))).join('') +
        'o-9,short\n\n' +
        csvLine(orderToRow(orders[0]!)),
    );
    const profile = await inspectTraffic(readTraffic(path));
    expect(profile).toMatchObject({
      records: 7,
      valid: 4,
      quarantined: 3,
      quarantinedByCode: { 'csv-row': 1, 'blank-line': 1, 'duplicate-id': 1 },
      span: { first: '2026-11-23T09:30:00.000Z', last: '2026-11-23T23:30:00.000Z', hours: 14 },
      regions: { N: 3, NW: 1 },
      serviceLevels: { express: 2, standard: 2 },
    });
    expect(profile.hourlyPercent[9]).toBe(50);
    expect(profile.hourlyPercent[15]).toBe(25);
    expect(profile.hourlyPercent.reduce((a, b) => a + b, 0)).toBeCloseTo(100, 5);
    expect(profile.firstQuarantined.map((q) => [q.line, q.code])).toEqual([
      [6, 'csv-row'],
      [7, 'blank-line'],
      [8, 'duplicate-id'],
    ]);
    const text = renderProfile(profile);
    expect(text).toContain('records 7  valid 4  would be quarantined 3 (42.9%)');
    expect(text).toContain('09h 50.0');
    expect(text).not.toContain('Alice');
  });

  it('profiles a HAR recording the same way (order submissions only)', async () => {
    const entry = (order: unknown) => ({
      request: {
        method: 'POST',
        url: 'https://shop.example.com/v1/orders',
        postData: { mimeType: 'application/json', text: JSON.stringify(order) },
      },
      response: { status: 202 },
    });
    const path = join(dir, 'rec.har');
    writeFileSync(
      path,
      JSON.stringify({
        log: {
          version: '1.2',
          entries: [...orders.map(entry), { request: { method: 'GET', url: 'https://shop.example.com/' } }],
        },
      }),
    );
    const profile = await inspectTraffic(readTraffic(path));
    expect(profile).toMatchObject({ format: 'har', records: 4, valid: 4, quarantined: 0 });
    expect(profile.reader.ignoredEntries).toBe(1);
  });

  it('draws an empty file as no span and a flat line, not a division by zero', async () => {
    const path = join(dir, 'empty.jsonl');
    writeFileSync(path, '');
    const profile = await inspectTraffic(readTraffic(path));
    expect(profile).toMatchObject({ records: 0, valid: 0, span: null });
    expect(profile.hourlyPercent.every((v) => v === 0)).toBe(true);
    expect(sparkline([0, 1, 2, 4])).toBe(' ▃▅█');
  });
});
