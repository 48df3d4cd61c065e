import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDepot } from './app.ts';

let depot: FastifyInstance;
let url: string;

beforeAll(async () => {
  depot = buildDepot({ token: 'tok' });
  url = await depot.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(() => depot?.close());

const level = (article: string, token = 'tok') =>
  fetch(`${url}/articles/${article}/level`, { headers: { 'x-depot-token': token } });
const state = (body: unknown) =>
  fetch(`${url}/_pact/state`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('depot', () => {
  it('needs its token on business routes', async () => {
    expect((await level('KS-0001', 'nope')).status).toBe(401);
    expect((await level('KS-0001')).status).toBe(200);
  });

  it('sets up a named state with its params, and tears every state down to the seeded shelves', async () => {
    expect(
      (
        await state({
          state: 'an article is stocked',
          action: 'setup',
          params: { article: 'KS-0001', units: 3 },
        })
      ).status,
    ).toBe(200);
    expect(await (await level('KS-0001')).json()).toMatchObject({ available: 3 });
    expect((await state({ state: 'an article is stocked', action: 'teardown', params: {} })).status).toBe(
      200,
    );
    expect(await (await level('KS-0001')).json()).toMatchObject({ available: 1_000_000 });
  });

  it('refuses a state it does not know, naming the ones it does', async () => {
    const answer = await state({ state: 'the moon is full', action: 'setup' });
    expect(answer.status).toBe(400);
    expect(await answer.json()).toMatchObject({
      problem: 'unknown-state',
      known: expect.arrayContaining(['a hold exists']),
    });
  });
});
