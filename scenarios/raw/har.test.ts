import { describe, expect, it } from 'vitest';
import { readRawHar } from './har.ts';
import type { RawReaderStats } from './record.ts';
import { chunks, collect, harFile } from './testing.ts';

async function read(text: string) {
  const stats: RawReaderStats = { records: 0, responses: 0 };
  return { records: await collect(readRawHar(chunks(text, 13), 'x.har', stats)), stats };
}

const entry = (request: Record<string, unknown>, startedDateTime = '2026-12-01T10:00:00.000Z') => ({
  startedDateTime,
  request: { httpVersion: 'HTTP/1.1', headers: [], ...request },
  response: { status: 200 },
});

describe('HAR reader for raw replay', () => {
  it('turns every entry into a request: path and query, headers less pseudo-headers, bodies', async () => {
    const { records, stats } = await read(
      harFile([
        entry({
          method: 'put',
          url: 'https://shop.example/fulfilment/requests/shop-1?dry=1',
          headers: [
            { name: ':authority', value: 'shop.example' },
            { name: 'Content-Type', value: 'application/json' },
          ],
          postData: { mimeType: 'application/json', text: '{"a":1}' },
        }),
        entry(
          {
            method: 'POST',
            url: 'https://shop.example/upload',
            postData: { text: Buffer.from('\u0000bin').toString('base64'), encoding: 'base64' },
          },
          '2026-12-01T10:00:01.500Z',
        ),
        entry({
          method: 'POST',
          url: 'https://shop.example/form',
          postData: { params: [{ name: 'q', value: 'a b' }] },
        }),
        entry({ method: 'GET', url: 'https://shop.example/assets/app.js' }),
      ]),
    );
    expect(stats.records).toBe(4);
    expect(records).toHaveLength(4);
    expect(records[0]).toMatchObject({
      kind: 'request',
      id: 'entry-1',
      line: 1,
      method: 'PUT',
      path: '/fulfilment/requests/shop-1?dry=1',
      headers: [['Content-Type', 'application/json']],
      at: Date.parse('2026-12-01T10:00:00.000Z'),
    });
    const [, upload, form, asset] = records as Extract<(typeof records)[number], { kind: 'request' }>[];
    expect(upload!.body).toEqual(Buffer.from('\u0000bin'));
    expect(upload!.at).toBe(Date.parse('2026-12-01T10:00:01.500Z'));
    expect(form!.body?.toString()).toBe('q=a+b');
    expect(asset).toMatchObject({ method: 'GET', path: '/assets/app.js' });
    expect(asset!.body).toBeUndefined();
  });

  it('quarantines each bad entry with its index and field; nothing is skipped silently', async () => {
    const text = harFile([
      entry({ method: 'GET', url: 'https://a.example/ok' }),
      { startedDateTime: '2026-12-01T10:00:00Z' },
      entry({ method: 'CONNECT', url: 'https://a.example:443' }),
      entry({ method: 'GET', url: '/relative' }),
      entry({ method: 'GET', url: 'https://a.example/x' }, 'yesterday'),
      entry({ method: 'GET', url: 'https://a.example/x', headers: [{ name: 'x' }] }),
    ]).replace(/\]\}\}$/, ',{"request": {"method": "GET", "url": "https://a.example/cut');
    const { records } = await read(text);
    expect(records.map((r) => (r.kind === 'quarantined' ? `${r.line}:${r.code}:${r.field}` : r.id))).toEqual([
      'entry-1',
      '2:har-entry:request',
      '3:unsupported-method:request.method',
      '4:har-entry:request.url',
      '5:har-entry:startedDateTime',
      '6:har-entry:request.headers[0]',
      '7:truncated:(entry)',
    ]);
  });

  it('refuses a file that is not a HAR', async () => {
    await expect(read('{"entries": []}')).rejects.toThrow(/log\.entries/);
  });
});
