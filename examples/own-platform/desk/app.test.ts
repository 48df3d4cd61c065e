import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningPlatform, startPlatform } from '../platform.ts';
import { putRequest, sampleRequest } from '../sample-order.ts';

let platform: RunningPlatform;
let entry: string;

beforeAll(async () => {
  // 400 000 simulated seconds per real second: a next-day parcel arrives within half a second.
  platform = await startPlatform({ timeScale: 400_000, handlingMs: [0, 2], seed: 3 });
  entry = platform.urls.entry;
});
afterAll(() => platform?.stop());

async function status(ticket: string) {
  const response = await fetch(`${entry}/fulfilment/tickets/${ticket}/status`);
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

describe('fulfilment requests', () => {
  it('creates with 201, replays the same body with 200, refuses another body under the reference with 409', async () => {
    const first = await putRequest(entry, 'shop-1001', sampleRequest());
    expect(first.status).toBe(201);
    expect(first.json).toMatchObject({ clientRef: 'shop-1001', state: 'accepted' });
    expect(first.json.ticket).toMatch(/^FT-\d{7}$/);
    expect(first.json.promisedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(first.json.statusHref).toBe(`/fulfilment/tickets/${first.json.ticket}/status`);

    const again = await putRequest(entry, 'shop-1001', sampleRequest());
    expect(again.status).toBe(200);
    expect(again.replay).toBe('true');
    expect(again.json).toEqual(first.json);

    const other = await putRequest(entry, 'shop-1001', sampleRequest('MA-001'));
    expect(other.status).toBe(409);
    expect(other.json.error).toBe('reference-reused');
  });

  it('answers 422 naming every bad field, and 400 for a body that is not JSON', async () => {
    const bad = sampleRequest('12345', { speed: 'tomorrow' as never });
    const answer = await putRequest(entry, 'shop-1002', bad);
    expect(answer.status).toBe(422);
    const at = (answer.json.problems as { at: string }[]).map((p) => p.at).sort();
    expect(at).toEqual(['/recipient/postcode', '/speed']);

    expect((await putRequest(entry, 'shop-1003', '{"speed":')).status).toBe(400);
    const loose = {
      ...sampleRequest(),
      giftWrap: true,
      lines: [{ ...sampleRequest().lines[0], units: '2' }],
    };
    const strict = await putRequest(entry, 'shop-1005', loose);
    expect(strict.status).toBe(422);
    expect((strict.json.problems as { at: string }[]).map((p) => p.at).sort()).toEqual([
      '/',
      '/lines/0/units',
    ]);
    expect((await putRequest(entry, 'x', sampleRequest())).status).toBe(422);
  });

  it('refuses with 409 insufficient-stock when the depot cannot hold the units', async () => {
    const order = sampleRequest('VA-010', {
      lines: [{ article: 'KS-0999', units: 1, unitGrams: 10, unitPriceCents: 100 }],
    });
    const answer = await putRequest(entry, 'shop-1004', order);
    expect(answer.status).toBe(409);
    expect(answer.json).toMatchObject({
      error: 'insufficient-stock',
      short: [{ article: 'KS-0999', available: 0 }],
    });
    // A refusal is not remembered: the same reference may be used again.
    expect((await putRequest(entry, 'shop-1004', sampleRequest('VA-010'))).status).toBe(201);
  });

  it('answers 404 for a ticket it never issued', async () => {
    expect((await status('FT-9999999')).status).toBe(404);
  });
});

describe('status', () => {
  it('moves to delivered under time compression, naming carrier and promised date', async () => {
    const created = await putRequest(entry, 'shop-2001', sampleRequest('MA-204'));
    expect(created.status).toBe(201);
    const ticket = String(created.json.ticket);
    const seen = new Set<string>();
    let last: Record<string, unknown> = {};
    // Bounded: 100 reads 50 ms apart; delivery is due within about 0.5 s at this scale.
    for (let i = 0; i < 100 && last.state !== 'delivered'; i++) {
      last = (await status(ticket)).json;
      seen.add(String(last.state));
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(last).toMatchObject({
      state: 'delivered',
      carrier: 'homefleet',
      zone: 'metro',
      consignmentNo: null,
    });
    expect(last.promisedOn).toBe(created.json.promisedOn);
    expect(['on-time', 'late']).toContain(last.punctuality);
    expect((last.history as { state: string }[]).map((h) => h.state)).toEqual([
      'accepted',
      'packed',
      'handed-over',
      'delivered',
    ]);
  });

  it('books non-metro parcels with Gullwing and shows its consignment number', async () => {
    const created = await putRequest(entry, 'shop-2002', sampleRequest('HB-300', { speed: 'saver' }));
    const read = await status(String(created.json.ticket));
    expect(read.json).toMatchObject({ carrier: 'gullwing', zone: 'highlands' });
    expect(read.json.consignmentNo).toMatch(/^GW\d{8}$/);
  });
});
