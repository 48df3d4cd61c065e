import { timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import { Counter, Gauge, Registry } from 'prom-client';
import { Pool } from 'undici';
import type { SimClock } from '../sim/clock.ts';
import { dice } from '../sim/dice.ts';
import { pickTrack, type Track } from './split.ts';

/**
 * The switchboard: the platform's front door. It splits /fulfilment traffic between the
 * current and next desk builds by a percentage, and takes that percentage from the ops
 * API (`GET`/`PATCH /ops/split`, header `X-Ops-Key`). Bodies are passed through as bytes
 * so each build answers exactly what it would answer directly.
 */
export interface SwitchboardOptions {
  builds: Record<Track, string>;
  opsKey: string;
  clock: SimClock;
  seed: number;
  nextPercent?: number;
}

const splitBody = {
  type: 'object',
  required: ['nextPercent'],
  additionalProperties: false,
  properties: { nextPercent: { type: 'integer', minimum: 0, maximum: 100 } },
} as const;

const PASSED_HEADERS = ['content-type', 'accept', 'traceparent', 'tracestate'];
const DROPPED_ANSWER_HEADERS = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'date',
]);

export function buildSwitchboard(options: SwitchboardOptions): FastifyInstance {
  const pools: Record<Track, Pool> = {
    current: new Pool(options.builds.current, { connections: 64 }),
    next: new Pool(options.builds.next, { connections: 64 }),
  };
  const roll = dice(`${options.seed}/switchboard`);
  const split = { nextPercent: options.nextPercent ?? 0, changes: 0, changedAt: new Date().toISOString() };
  const key = Buffer.from(options.opsKey);

  const registry = new Registry();
  const forwarded = new Counter({
    name: 'kestrel_switchboard_forwarded_total',
    help: 'Requests the switchboard passed to a desk build',
    labelNames: ['release_track'],
    registers: [registry],
  });
  const share = new Gauge({
    name: 'kestrel_switchboard_next_percent',
    help: 'Percent of /fulfilment traffic sent to the next build',
    registers: [registry],
  });
  share.set(split.nextPercent);

  const app = Fastify({
    logger: false,
    bodyLimit: 256 * 1024,
    // A split body with anything but an integer nextPercent is refused, not trimmed or coerced.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false } },
  });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  app.addHook('onClose', async () => {
    await Promise.all([pools.current.close(), pools.next.close()]);
  });

  app.route({
    method: ['GET', 'PUT'],
    url: '/fulfilment/*',
    handler: async (request, reply) => {
      const track = pickTrack(roll, split.nextPercent);
      forwarded.inc({ release_track: track });
      const headers: Record<string, string> = {};
      for (const name of PASSED_HEADERS) {
        const value = request.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      try {
        const answer = await pools[track].request({
          method: request.method as 'GET' | 'PUT',
          path: request.url,
          headers,
          ...(request.body ? { body: request.body as Buffer } : {}),
        });
        for (const [name, value] of Object.entries(answer.headers)) {
          if (!DROPPED_ANSWER_HEADERS.has(name) && value !== undefined) reply.header(name, value);
        }
        return reply.code(answer.statusCode).send(Buffer.from(await answer.body.arrayBuffer()));
      } catch {
        return reply.code(502).header('x-release-track', track).send({ error: 'build-unreachable', track });
      }
    },
  });

  app.register(
    async (ops) => {
      ops.addContentTypeParser(
        'application/json',
        { parseAs: 'string' },
        ops.getDefaultJsonParser('error', 'error'),
      );
      ops.addHook('onRequest', async (request, reply) => {
        const given = request.headers['x-ops-key'];
        if (typeof given !== 'string') return reply.code(401).send({ error: 'ops-key-missing' });
        const buffer = Buffer.from(given);
        if (buffer.length !== key.length || !timingSafeEqual(buffer, key)) {
          return reply.code(403).send({ error: 'ops-key-wrong' });
        }
      });
      ops.get('/split', async () => ({ ...split, currentPercent: 100 - split.nextPercent }));
      ops.patch<{ Body: { nextPercent: number } }>(
        '/split',
        { schema: { body: splitBody } },
        async (request) => {
          split.nextPercent = request.body.nextPercent;
          split.changes += 1;
          split.changedAt = new Date().toISOString();
          share.set(split.nextPercent);
          return { ...split, currentPercent: 100 - split.nextPercent };
        },
      );
    },
    { prefix: '/ops' },
  );

  app.get('/sim-time', async () => ({
    now: new Date(options.clock.now()).toISOString(),
    timeScale: options.clock.timeScale,
  }));
  app.get('/metrics', async (_request, reply) =>
    reply.type(registry.contentType).send(await registry.metrics()),
  );
  app.get('/health', async () => ({ up: true }));
  return app;
}
