import { timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { ARTICLE_PATTERN, Shelves } from './stock.ts';

/**
 * Kestrel Depot: the warehouse service the fulfilment desk holds stock at.
 *
 * Every business route needs the `X-Depot-Token` header. `POST /_pact/state` is the Pact
 * provider-state endpoint (Pact's convention: `{ state, action: setup|teardown, params }`),
 * open because it only exists in test builds of the depot; teardown restocks the shelves.
 *
 * `renameHoldId` is the contract-break defect: a build that answers `holdRef` where its
 * consumers read `holdId`.
 */
export interface DepotOptions {
  token: string;
  renameHoldId?: boolean;
}

const holdBody = {
  type: 'object',
  required: ['reference', 'lines'],
  additionalProperties: false,
  properties: {
    reference: { type: 'string', minLength: 1, maxLength: 64 },
    lines: {
      type: 'array',
      minItems: 1,
      maxItems: 50,
      items: {
        type: 'object',
        required: ['article', 'units'],
        additionalProperties: false,
        properties: {
          article: { type: 'string', pattern: ARTICLE_PATTERN },
          units: { type: 'integer', minimum: 1, maximum: 10_000 },
        },
      },
    },
  },
} as const;

const stateBody = {
  type: 'object',
  properties: {
    state: { type: 'string' },
    action: { enum: ['setup', 'teardown'] },
    params: { type: 'object' },
  },
} as const;

interface StateChange {
  state?: string;
  action?: 'setup' | 'teardown';
  params?: Record<string, unknown>;
}

/** The states the depot's consumers' pacts name, and what each puts on the shelves. */
const STATES: Record<string, (shelves: Shelves, params: Record<string, unknown>) => void> = {
  'an article is stocked': (shelves, p) => shelves.set(String(p.article), Number(p.units)),
  'an article is sold out': (shelves, p) => shelves.set(String(p.article), 0),
  'a hold exists': (shelves, p) => {
    shelves.set(String(p.article), Number(p.units));
    shelves.hold([{ article: String(p.article), units: Number(p.units) }], String(p.holdId));
  },
};

export function buildDepot(options: DepotOptions): FastifyInstance {
  const app = Fastify({ logger: false });
  const shelves = new Shelves();
  const expected = Buffer.from(options.token);

  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith('/_pact/') || request.url === '/health') return;
    const given = Buffer.from(String(request.headers['x-depot-token'] ?? ''));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return reply.code(401).send({ problem: 'bad-token' });
    }
  });

  app.get<{ Params: { article: string } }>('/articles/:article/level', async (request, reply) => {
    const available = shelves.available(request.params.article);
    if (available === undefined) return reply.code(404).send({ problem: 'unknown-article' });
    return { article: request.params.article, available, bin: `B${request.params.article.slice(-2)}` };
  });

  app.post<{ Body: { reference: string; lines: { article: string; units: number }[] } }>(
    '/holds',
    { schema: { body: holdBody } },
    async (request, reply) => {
      const result = shelves.hold(request.body.lines);
      if (result.kind === 'short') return reply.code(409).send({ problem: 'short', short: result.short });
      const id = options.renameHoldId ? { holdRef: result.holdId } : { holdId: result.holdId };
      return reply.code(201).send({ ...id, reference: request.body.reference, lines: request.body.lines });
    },
  );

  app.delete<{ Params: { holdId: string } }>('/holds/:holdId', async (request, reply) =>
    shelves.release(request.params.holdId)
      ? reply.code(204).send()
      : reply.code(404).send({ problem: 'unknown-hold' }),
  );

  app.post<{ Body: StateChange }>('/_pact/state', { schema: { body: stateBody } }, async (request, reply) => {
    const { state = '', action = 'setup', params = {} } = request.body ?? {};
    // Interactions without a state are called with none: there is nothing to set up.
    if (action === 'teardown' || state === '') {
      shelves.restock();
      return {};
    }
    const setUp = STATES[state];
    if (!setUp) return reply.code(400).send({ problem: 'unknown-state', state, known: Object.keys(STATES) });
    setUp(shelves, params);
    return {};
  });

  app.get('/health', async () => ({ up: true }));
  return app;
}
