import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Order } from '../../contracts/domain/order.ts';
import { CSV_COLUMNS, csvLine, orderToRow } from '../traffic/csv-layout.ts';
import { readTraffic } from '../traffic/read.ts';
import { sampleOrder } from '../traffic/test-orders.ts';
import { scrubFile } from './scrub-file.ts';
import { TEST_SCRUB_KEY } from './test-key.ts';

const dir = mkdtempSync(join(tmpdir(), 'shipgate-scrub-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Unique markers in every PII field, as issue 4's PII test asks; none may survive. */
const MARKERS = {
  name: 'Qxvname Qxvfamily',
  phone: '+447700900321',
  email: 'qxv.mail@qxvcorp.test',
  line1: '9 Qxvlane Road',
  line2: 'Qxvflat 2',
  city: 'Qxvcity',
  postcode: '712345',
  notes: 'Qxvnote: call +44 7700 900321 or qxv.mail@qxvcorp.test',
};

function planted(id: string): Order {
  return sampleOrder(id, {
    customer: {
      name: MARKERS.name,
      phone: MARKERS.phone,
      email: MARKERS.email,
      address: {
        line1: MARKERS.line1,
        line2: MARKERS.line2,
        city: MARKERS.city,
        postcode: MARKERS.postcode,
        country: 'XS',
      },
    },
    destination: { region: 'SW', postcode: MARKERS.postcode },
    notes: MARKERS.notes,
  });
}

const SEARCH = ['Qxv', 'qxv', '900321', '712345'];

function expectClean(...files: string[]) {
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const marker of SEARCH) expect(text, `${file} contains ${marker}`).not.toContain(marker);
  }
}

async function readOrders(file: string): Promise<Order[]> {
  const orders: Order[] = [];
  for await (const record of readTraffic(file)) {
    expect(record.kind).toBe('order');
    if (record.kind === 'order') orders.push(record.order);
  }
  return orders;
}

describe('scrubFile', () => {
  const bad = { ...planted('o-bad'), value: MARKERS.name };

  it.each([
    [
      'jsonl',
      () =>
        [planted('o-1'), planted('o-2'), bad].map((o) => JSON.stringify(o)).join('\n') + '\n{"name":"Qxvname',
    ],
    [
      'csv',
      () =>
        csvLine(CSV_COLUMNS) +
        [planted('o-1'), planted('o-2'), bad].map((o) => csvLine(orderToRow(o as Order))).join('') +
        'o-9,"Qxvname',
    ],
    [
      'har',
      () =>
        JSON.stringify({
          log: {
            entries: [planted('o-1'), planted('o-2'), bad]
              .map((o) => ({
                request: {
                  method: 'POST',
                  url: 'https://shop.example.com/v1/orders',
                  postData: { text: JSON.stringify(o) },
                },
              }))
              .concat([
                {
                  request: {
                    method: 'POST',
                    url: 'https://shop.example.com/v1/orders',
                    postData: { text: '{"name":"Qxvname' },
                  },
                },
              ]),
          },
        }),
    ],
  ] as const)(
    '%s: planted PII reaches neither the scrubbed file nor the quarantine',
    async (format, content) => {
      const input = join(dir, `in.${format}`);
      writeFileSync(input, content());
      const output = join(dir, `out-${format}.${format === 'csv' ? 'csv' : 'jsonl'}`);
      const quarantineFile = join(dir, `q-${format}.jsonl`);
      const result = await scrubFile({ input, output, quarantineFile, key: TEST_SCRUB_KEY });
      expect(result.counts).toMatchObject({ read: 4, sent: 2, quarantined: 2, pending: 0 });
      expectClean(output, quarantineFile);
      expect(JSON.stringify(result)).not.toMatch(/Qxv|qxv|900321/);
      const orders = await readOrders(output);
      expect(orders.map((o) => o.id)).toEqual(['o-1', 'o-2']);
      expect(orders[0]!.destination.postcode[0]).toBe('7');
      expect(orders[0]!.customer.phone.slice(0, 3)).toBe('+44');
    },
  );

  it('is stable: the same key gives byte-identical output, another key different output', async () => {
    const input = join(dir, 'stable.jsonl');
    writeFileSync(input, `${JSON.stringify(planted('o-1'))}\n`);
    const run = async (name: string, key: string) => {
      await scrubFile({ input, output: join(dir, name), quarantineFile: join(dir, `${name}.q`), key });
      return readFileSync(join(dir, name), 'utf8');
    };
    expect(await run('s1.jsonl', TEST_SCRUB_KEY)).toBe(await run('s2.jsonl', TEST_SCRUB_KEY));
    expect(await run('s3.jsonl', 'a-different-key-of-length')).not.toBe(
      await run('s1.jsonl', TEST_SCRUB_KEY),
    );
  });

  it('leaves no output file behind when the input cannot be read', async () => {
    const input = join(dir, 'badheader.csv');
    writeFileSync(input, 'id,colour\n');
    const output = join(dir, 'never.csv');
    await expect(
      scrubFile({ input, output, quarantineFile: join(dir, 'never.q'), key: TEST_SCRUB_KEY }),
    ).rejects.toThrow(/unknown column/);
    expect(existsSync(output)).toBe(false);
    expect(existsSync(`${output}.partial`)).toBe(false);
  });
});
