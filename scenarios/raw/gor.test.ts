import { describe, expect, it } from 'vitest';
import { readGor } from './gor.ts';
import type { RawReaderStats } from './record.ts';
import { chunks, collect, gorFile } from './testing.ts';

const T0 = 1_767_225_600_000_000_000n; // 2026-01-01T00:00:00Z in ns

async function read(text: string, chunkSize = 7, maxPayloadBytes?: number) {
  const stats: RawReaderStats = { records: 0, responses: 0 };
  const records = await collect(
    readGor(chunks(text, chunkSize), 'x.gor', stats, maxPayloadBytes ? { maxPayloadBytes } : {}),
  );
  return { records, stats };
}

describe('GoReplay reader', () => {
  const put =
    'PUT /fulfilment/requests/shop-1 HTTP/1.1\r\nHost: a.example\r\nContent-Type: application/json\r\nContent-Length: 11\r\n\r\n{"speed":1}';
  const get = 'GET /fulfilment/tickets/FT-0000001/status?x=1 HTTP/1.1\r\nHost: a.example\r\n\r\n';
  const chunked =
    'POST http://a.example/hooks HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n3\r\nefg\r\n0\r\n\r\n';

  it('reads requests, skips responses, keeps ids, times and start lines (any chunking)', async () => {
    const text = gorFile([
      ['1', 'aa01', T0, put],
      ['2', 'aa01', T0 + 5_000_000n, 'HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n'],
      ['1', 'bb02', T0 + 1_000_000_000n, get],
      ['3', 'bb02', T0 + 1_000_000_000n, 'HTTP/1.1 200 OK\r\n\r\n'],
      ['1', 'cc03', T0 + 2_000_000_000n, chunked],
    ]);
    for (const size of [1, 7, 4096]) {
      const { records, stats } = await read(text, size);
      expect(stats).toEqual({ records: 3, responses: 2 });
      expect(records.map((r) => r.kind)).toEqual(['request', 'request', 'request']);
      const [a, b, c] = records as Extract<(typeof records)[number], { kind: 'request' }>[];
      expect(a).toMatchObject({
        id: 'aa01',
        line: 1,
        method: 'PUT',
        path: '/fulfilment/requests/shop-1',
        at: 1_767_225_600_000,
      });
      expect(a!.body?.toString()).toBe('{"speed":1}');
      expect(a!.headers).toContainEqual(['Content-Type', 'application/json']);
      // put: lines 1-7 and the separator's line 8; the response: lines 9-13 and 14
      expect(b).toMatchObject({ id: 'bb02', line: 15, path: '/fulfilment/tickets/FT-0000001/status?x=1' });
      expect(b!.body).toBeUndefined();
      expect(c).toMatchObject({ id: 'cc03', method: 'POST', path: '/hooks' });
      expect(c!.body?.toString()).toBe('abcdefg');
    }
  });

  it('quarantines bad payloads naming their line, and a last payload cut off by the end of the file', async () => {
    const text =
      gorFile([
        ['1', 'aa01', T0, put],
        ['9', 'zz', T0, get],
        ['1', 'aa01', T0, get],
        ['1', 'dd04', T0, 'BREW /pot HTTP/1.1\r\n\r\n'],
        ['1', 'ee05', T0, 'not http at all\r\n\r\n'],
      ]) + `1 ff06 ${T0} 0\n${put.slice(0, -4)}`;
    const { records } = await read(text);
    expect(records.map((r) => (r.kind === 'quarantined' ? `${r.line}:${r.code}:${r.field}` : r.id))).toEqual([
      'aa01',
      '9:gor-payload:(header line)', // type 9
      '15:gor-payload:(header line)', // id aa01 again
      '22:unsupported-method:(request line)', // the request line of the payload on line 21
      '27:http-request:(request line)',
      '31:truncated:(payload)',
    ]);
  });

  it('quarantines a payload over the size limit without holding it, and reads on', async () => {
    const big = `POST /x HTTP/1.1\r\nContent-Length: 5000\r\n\r\n${'y'.repeat(5000)}`;
    const { records } = await read(
      gorFile([
        ['1', 'a', T0, big],
        ['1', 'b', T0, get],
      ]),
      64,
      1024,
    );
    expect(records.map((r) => (r.kind === 'quarantined' ? r.code : r.id))).toEqual(['too-long', 'b']);
    expect(records[1]!.line).toBe(7);
  });

  it('refuses a file with no payload at all', async () => {
    await expect(read('hello\n')).rejects.toThrow(/SG_INPUT_INVALID|no GoReplay payload/);
  });
});
