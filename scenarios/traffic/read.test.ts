import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { isShipgateError } from '../../core/errors.ts';
import { CSV_COLUMNS, csvLine, orderToRow } from './csv-layout.ts';
import { openQuarantine } from './quarantine.ts';
import { readTraffic } from './read.ts';
import type { QuarantinedRecord, TrafficRecord } from './record.ts';
import { sampleOrder } from './test-orders.ts';

const dir = mkdtempSync(join(tmpdir(), 'shipgate-traffic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;

function file(content: string | Buffer, ext = 'jsonl'): string {
  const path = join(dir, `t${fileNo++}.${ext}`);
  writeFileSync(path, content);
  return path;
}

async function readAll(path: string, options = {}) {
  const reader = readTraffic(path, options);
  const records: TrafficRecord[] = [];
  for await (const record of reader) records.push(record);
  return { records, stats: reader.stats };
}

const line = (id: string, overrides = {}) => JSON.stringify(sampleOrder(id, overrides));
const q = (records: TrafficRecord[], n: number) => records.find((r) => r.line === n) as QuarantinedRecord;
const PII = ['Alice', 'Marker', '900123', 'gmail', 'Baker', 'Markerton'];

describe('readTraffic: JSON Lines', () => {
  it('quarantines each bad-line class with its line number, field and reason, and reads on', async () => {
    const noEmail = sampleOrder('o-4') as unknown as { customer: Record<string, unknown> };
    delete noEmail.customer.email;
    const badQty = sampleOrder('o-5', {
      items: [{ sku: 'TV-55', qty: 'two' as unknown as number, weightKg: 1 }],
    });
    const content = [
      line('o-1'),
      '{"id":"o-2","customer":{"name":"Alice Marker", oops}',
      '',
      JSON.stringify(noEmail),
      JSON.stringify(badQty),
      line('o-1'),
      line('o-7'),
      '{"id":"o-8","customer":{"name":"Alice Mar',
    ].join('\n');
    const { records, stats } = await readAll(file(content));
    expect(records.map((r) => r.line)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(records.filter((r) => r.kind === 'order').map((r) => r.kind === 'order' && r.order.id)).toEqual([
      'o-1',
      'o-7',
    ]);
    expect(q(records, 2)).toMatchObject({ code: 'malformed-json', field: '(line)' });
    expect(q(records, 3)).toMatchObject({ code: 'blank-line', field: '(line)' });
    expect(q(records, 4)).toMatchObject({
      code: 'invalid-field',
      field: 'customer.email',
      reason: 'customer.email is required',
    });
    expect(q(records, 5)).toMatchObject({ code: 'invalid-field', field: 'items.0.qty' });
    expect(q(records, 6)).toMatchObject({
      code: 'duplicate-id',
      field: 'id',
      reason: 'duplicate order id, first seen on line 1',
    });
    expect(q(records, 8)).toMatchObject({ code: 'truncated', field: '(line)' });
    expect(stats).toMatchObject({ records: 8, blankLines: 1 });
    const quarantined = JSON.stringify(records.filter((r) => r.kind === 'quarantined'));
    for (const marker of PII) expect(quarantined).not.toContain(marker);
    expect(q(records, 6).excerpt).toContain('"id":"o-1"');
  });

  it('strips a BOM and CRs, accepts the lines and notes it', async () => {
    const content = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from(`${line('o-1')}\r\n${line('o-2')}\r\n${line('o-3')}`),
    ]);
    const { records, stats } = await readAll(file(content));
    expect(records.map((r) => r.kind)).toEqual(['order', 'order', 'order']);
    expect(records[0]).toMatchObject({ normalised: ['bom', 'crlf'] });
    expect(records[1]).toMatchObject({ normalised: ['crlf'] });
    expect(records[2]).not.toHaveProperty('normalised');
    expect(stats).toMatchObject({ bomStripped: true, crlfLines: 2 });
  });

  it('quarantines over-long lines and invalid UTF-8 without buffering them', async () => {
    const long = `{"notes":"${'x'.repeat(5000)}"}`;
    const content = Buffer.concat([
      Buffer.from(`${long}\n`),
      Buffer.from([0x7b, 0xff, 0xfe, 0x7d, 0x0a]),
      Buffer.from(`${line('o-3')}\n`),
    ]);
    const { records } = await readAll(file(content), { maxLineBytes: 4096, highWaterMark: 1024 });
    expect(records.map((r) => (r.kind === 'quarantined' ? r.code : r.kind))).toEqual([
      'too-long',
      'encoding',
      'order',
    ]);
  });

  it('names the allowed values of an enum field, e.g. the regions', async () => {
    const { records } = await readAll(
      file(`${line('o-1', { destination: { region: 'XX', postcode: '100001' } })}\n`),
    );
    expect(q(records, 1)).toMatchObject({
      field: 'destination.region',
      reason: 'destination.region must be one of C, N, NE, E, SE, S, SW, W, NW',
    });
  });

  it('accepts a last line without newline when it is complete, and ignores a trailing newline', async () => {
    expect((await readAll(file(`${line('o-1')}\n${line('o-2')}`))).records).toHaveLength(2);
    expect((await readAll(file(`${line('o-1')}\n`))).records).toHaveLength(1);
  });

  it('refuses a missing file and an unknown extension with named errors', async () => {
    await expect(readAll(join(dir, 'nope.jsonl'))).rejects.toSatisfy(
      (error) =>
        isShipgateError(error) && error.code === 'SG_FILE_UNREADABLE' && error.message.includes('nope.jsonl'),
    );
    expect(() => readTraffic(join(dir, 'x.txt'))).toThrow(/--format/);
  });

  it('property: for any mix of valid and invalid lines every line yields one record and no id twice', async () => {
    const kinds = ['valid', 'dup', 'garbage', 'blank', 'missing', 'crlf'] as const;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(...kinds), { minLength: 1, maxLength: 40 }),
        fc.boolean(),
        async (mix, finalNewline) => {
          const lines = mix.map((kind, i) => {
            switch (kind) {
              case 'valid':
                return line(`o-${i}`);
              case 'dup':
                return line('o-dup');
              case 'garbage':
                return '{"id": nope';
              case 'blank':
                return '   ';
              case 'missing':
                return JSON.stringify({ id: `o-${i}` });
              default:
                return `${line(`o-c${i}`)}\r`;
            }
          });
          const { records } = await readAll(file(lines.join('\n') + (finalNewline ? '\n' : '')));
          const valid = records.filter((r) => r.kind === 'order');
          const quarantined = records.filter((r) => r.kind === 'quarantined');
          expect(valid.length + quarantined.length).toBe(mix.length);
          expect(records.map((r) => r.line)).toEqual(mix.map((_, i) => i + 1));
          const ids = valid.map((r) => r.kind === 'order' && r.order.id);
          expect(new Set(ids).size).toBe(ids.length);
          const expectedValid =
            mix.filter((k) => k === 'valid' || k === 'crlf').length + (mix.includes('dup') ? 1 : 0);
          expect(valid.length).toBe(expectedValid);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('readTraffic: CSV', () => {
  const header = csvLine(CSV_COLUMNS);
  const row = (id: string, overrides = {}) => csvLine(orderToRow(sampleOrder(id, overrides)));

  it('reads the documented layout, compact or JSON items, quoted newlines in notes', async () => {
    const jsonItems = orderToRow(sampleOrder('o-2'));
    jsonItems[CSV_COLUMNS.indexOf('items')] = JSON.stringify([{ sku: 'TV-55', qty: 2, weightKg: 17.5 }]);
    const content =
      header +
      row('o-1') +
      csvLine(jsonItems) +
      row('o-3', { notes: 'leave at door,\nthen "knock"' }) +
      row('o-4');
    const { records } = await readAll(file(content, 'csv'));
    expect(records.map((r) => [r.kind, r.line])).toEqual([
      ['order', 2],
      ['order', 3],
      ['order', 4],
      ['order', 6],
    ]);
    const orders = records.flatMap((r) => (r.kind === 'order' ? [r.order] : []));
    expect(orders[0]).toEqual(sampleOrder('o-1'));
    expect(orders[1]!.items[0]!.qty).toBe(2);
    expect(orders[2]!.notes).toBe('leave at door,\nthen "knock"');
  });

  it('quarantines bad rows with line and field, handles BOM, CRLF, blank lines and a truncated end', async () => {
    const badValue = orderToRow(sampleOrder('o-3'));
    badValue[CSV_COLUMNS.indexOf('value')] = 'lots';
    const crlf = (text: string) => text.replace(/\n$/, '\r\n');
    const content =
      '\ufeff' +
      crlf(header) +
      crlf(row('o-1')) +
      '\r\n' +
      crlf(csvLine(badValue)) +
      crlf(row('o-1')) +
      'o-6,2026-11-23T10:00:00Z\r\n' +
      row('o-7').replace(/\n$/, '') +
      '\n' +
      'o-8,"2026-11-23T10:00';
    const { records, stats } = await readAll(file(content, 'csv'));
    expect(
      records.map((r) => (r.kind === 'quarantined' ? `${r.line}:${r.code}:${r.field}` : `${r.line}:order`)),
    ).toEqual([
      '2:order',
      '3:blank-line:(line)',
      '4:invalid-field:value',
      '5:duplicate-id:id',
      '6:csv-row:(line)',
      '7:order',
      '8:truncated:(line)',
    ]);
    expect(records[0]).toMatchObject({ normalised: ['crlf'] });
    expect(stats.bomStripped).toBe(true);
    expect(stats.crlfLines).toBeGreaterThanOrEqual(4);
    const quarantined = JSON.stringify(records.filter((r) => r.kind === 'quarantined'));
    for (const marker of PII) expect(quarantined).not.toContain(marker);
  });

  it('keeps stray quotes inside fields as text, and reads a 25 KB quote-heavy line as one record', async () => {
    // Was one parser error per stray quote, each copying the record so far (quadratic).
    const stray = orderToRow(sampleOrder('o-2', { notes: '12" screen, "fragile" side up' }));
    const quoteHeavy = 'x"y",'.repeat(5000);
    const content =
      header +
      row('o-1') +
      // Unquoted on purpose: a hand-made export that did not escape its quotes.
      `${stray.map((cell) => cell.replaceAll(',', ';')).join(',')}\n` +
      `${quoteHeavy}\n` +
      row('o-4');
    const { records } = await readAll(file(content, 'csv'));
    expect(
      records.map((r) => (r.kind === 'quarantined' ? `${r.line}:${r.code}` : `${r.line}:${r.order.id}`)),
    ).toEqual(['2:o-1', '3:o-2', '4:csv-row', '5:o-4']);
    const strayOrder = records[1]!.kind === 'order' ? records[1]!.order : undefined;
    expect(strayOrder?.notes).toBe('12" screen; "fragile" side up');
    expect(records[2]).toMatchObject({ reason: expect.stringMatching(/record has 5001 fields/) });
  });

  it('rejects a header with unknown or missing columns, naming file, line and column', async () => {
    const path = file('id,createdAt,colour\n', 'csv');
    await expect(readAll(path)).rejects.toThrow(/t\d+\.csv:1: \(header\): unknown column\(s\) colour/);
    const missing = file('id,createdAt\n', 'csv');
    await expect(readAll(missing)).rejects.toThrow(/missing column\(s\) customer.name/);
  });
});

describe('readTraffic: HAR', () => {
  const entry = (method: string, url: string, text?: string, encoding?: string) => ({
    request: {
      method,
      url,
      postData: text === undefined ? undefined : { mimeType: 'application/json', text, encoding },
    },
    response: { status: 202 },
  });

  it('reads order submissions, ignores other entries, quarantines bad bodies by entry index', async () => {
    const har = {
      log: {
        version: '1.2',
        entries: [
          entry('GET', 'https://shop.example.com/app.js'),
          entry('POST', 'https://shop.example.com/v1/orders', line('o-1')),
          entry(
            'POST',
            'https://shop.example.com/v1/orders?x=1',
            Buffer.from(line('o-2')).toString('base64'),
            'base64',
          ),
          entry('POST', 'https://shop.example.com/v1/orders', '{"name":"Alice Marker"'),
          entry('POST', 'https://shop.example.com/v1/orders'),
          entry('POST', 'https://shop.example.com/v1/orders/', line('o-1')),
          entry('POST', 'https://shop.example.com/v1/cart', line('o-9')),
        ],
      },
    };
    const { records, stats } = await readAll(file(JSON.stringify(har), 'har'));
    expect(
      records.map((r) => (r.kind === 'quarantined' ? `${r.line}:${r.code}` : `${r.line}:${r.order.id}`)),
    ).toEqual(['2:o-1', '3:o-2', '4:malformed-json', '5:har-entry', '6:duplicate-id']);
    expect(stats.ignoredEntries).toBe(2);
    expect(JSON.stringify(records.filter((r) => r.kind === 'quarantined'))).not.toContain('Alice');
  });

  it('refuses a document that is not HAR', async () => {
    await expect(readAll(file('{"log":{}}', 'har'))).rejects.toThrow(/log\.entries/);
    await expect(readAll(file('not json', 'har'))).rejects.toThrow(/not a HAR file/);
    await expect(readAll(file('{"entries":[{"request":{}}]}', 'har'))).rejects.toThrow(/not a HAR file/);
  });

  it('streams entries in any chunking, through braces and quotes inside strings', async () => {
    const tricky = {
      request: { method: 'GET', url: 'https://x/a?q={"]"}' },
      response: { content: { text: '{"entries":[{"not":"this"}]} \\" \\\\ ]}' } },
    };
    const har = {
      log: {
        version: '1.2',
        pages: [{ id: 'p', entries: [{ request: { method: 'POST', url: 'https://x/orders' } }] }],
        entries: [
          tricky,
          entry('POST', 'https://shop.example.com/v1/orders', line('o-1')),
          tricky,
          entry('POST', 'https://shop.example.com/v1/orders', line('o-2')),
        ],
      },
    };
    const path = file(`\ufeff${JSON.stringify(har, null, 2)}`, 'har');
    for (const highWaterMark of [1, 7, 64 * 1024]) {
      const { records, stats } = await readAll(path, { highWaterMark });
      expect(
        records.map((r) => (r.kind === 'order' ? `${r.line}:${r.order.id}` : `${r.line}:${r.code}`)),
      ).toEqual(['2:o-1', '4:o-2']);
      expect(stats.ignoredEntries).toBe(2);
    }
  });

  it('quarantines an order entry over the entry limit or cut off at the end; ignores a big asset', async () => {
    const big = {
      request: { method: 'GET', url: 'https://x/img.png' },
      response: { content: { text: 'A'.repeat(5000) } },
    };
    const bigOrder = entry(
      'POST',
      'https://shop.example.com/v1/orders',
      line('o-9', { notes: 'n'.repeat(900) }),
    );
    const har = JSON.stringify({
      log: { entries: [big, entry('POST', 'https://shop.example.com/v1/orders', line('o-1')), bigOrder] },
    });
    const { records, stats } = await readAll(file(har, 'har'), { maxHarEntryBytes: 1000 });
    expect(
      records.map((r) => (r.kind === 'order' ? `${r.line}:${r.order.id}` : `${r.line}:${r.code}`)),
    ).toEqual(['2:o-1', '3:too-long']);
    expect(stats.ignoredEntries).toBe(1);
    const cut = har.slice(0, har.indexOf('o-9') + 40);
    const truncated = await readAll(file(cut, 'har'));
    expect(truncated.records.map((r) => (r.kind === 'order' ? r.order.id : `${r.line}:${r.code}`))).toEqual([
      'o-1',
      '3:truncated',
    ]);
    expect(JSON.stringify(truncated.records.filter((r) => r.kind === 'quarantined'))).not.toContain('Alice');
  });
});

describe('openQuarantine', () => {
  it('writes one JSON line per record, with a scrubbed reason and excerpt', () => {
    const path = join(dir, 'quarantine.jsonl');
    const writer = openQuarantine(path, { source: 'day.jsonl', batch: 2 });
    writer.write({
      kind: 'quarantined',
      line: 3,
      code: 'malformed-json',
      field: '(line)',
      reason: 'bad',
      excerpt: 'x',
    });
    writer.write({
      kind: 'quarantined',
      line: 9,
      code: 'invalid-field',
      field: 'id',
      reason: 'mail bob@example.com',
      excerpt: '+44 7700 900123',
    });
    writer.write({
      kind: 'quarantined',
      line: 12,
      code: 'blank-line',
      field: '(line)',
      reason: 'blank line',
    });
    writer.close();
    const entries = readFileSync(path, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(entries.map((e) => e.line)).toEqual([3, 9, 12]);
    expect(entries[1]).toEqual({
      source: 'day.jsonl',
      line: 9,
      code: 'invalid-field',
      field: 'id',
      reason: 'mail [email]',
      excerpt: '[phone]',
    });
    expect(writer.count).toBe(3);
  });
});

describe('jsonExcerpt', () => {
  it('keeps known keys, ids, enums and small numbers; masks values, unknown keys and long digit runs', async () => {
    const { jsonExcerpt } = await import('./excerpt.ts');
    expect(
      jsonExcerpt(
        '{"id":"o-1","Alice Marker":1,"serviceLevel":"express","value":12.5,"phone":447700900123,"x":nope',
      ),
    ).toBe('{"id":"o-1","‹12›":1,"serviceLevel":"express","value":12.5,"phone":‹12›,"‹1›":‹4›');
  });
});
