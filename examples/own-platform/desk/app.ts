import { setTimeout as sleep } from 'node:timers/promises';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import type { Quirks } from '../defects.ts';
import type { SimClock } from '../sim/clock.ts';
import { type Dice, dice, drawFor } from '../sim/dice.ts';
import { type DepotClient, DepotProtocolError } from './depot-client.ts';
import type { GullwingClient } from './gullwing-client.ts';
import { historyAt, type Parcel, planJourney, stateAt } from './journey.ts';
import { deskMetrics, type Result } from './metrics.ts';
import { type Answer, fingerprintOf, type OrderBook } from './order-book.ts';
import { CLIENT_REF_PATTERN, type FulfilmentRequest, fulfilmentRequestSchema } from './request-schema.ts';
import { type CarrierCode, carrierFor, destinationOf, homefleetTransitDays, lateShare } from './zones.ts';

/**
 * One build of the fulfilment desk (the order service). Both builds share the order
 * book, the depot, the carrier and the clock; each has its own metrics and quirks.
 */
export interface DeskOptions {
  track: string;
  book: OrderBook;
  clock: SimClock;
  depot: DepotClient;
  gullwing: GullwingClient;
  seed: number;
  quirks?: Quirks;
  /** Base handling time: a uniform draw in [min, max] ms (the desk's own work, simulated). */
  handlingMs?: [number, number];
}

const STATUS_RESULT: Record<number, Result> = {
  201: 'created',
  200: 'replayed',
  409: 'refused',
  422: 'invalid',
};

export function buildDesk(options: DeskOptions): FastifyInstance {
  const { book, clock, depot, gullwing, track } = options;
  const quirks = options.quirks ?? {};
  const [minMs, maxMs] = options.handlingMs ?? [5, 25];
  const roll: Dice = dice(`${options.seed}/${track}`);
  const metrics = deskMetrics(track, () => book.parcels(), clock.now);
  const app = Fastify({
    logger: false,
    bodyLimit: 256 * 1024,
    // Every field problem at once, so a client fixes its request in one round; an unknown
    // field or a number sent as text is a problem, not silently dropped or converted.
    ajv: { customOptions: { allErrors: true, removeAdditional: false, coerceTypes: false } },
  });

  // Field problems are 422 with a pointer to each field; unparseable JSON stays 400.
  app.setErrorHandler((error: FastifyError, _request, reply) => {
    if (error.validation) {
      const problems = error.validation.map((v) => ({
        at: v.instancePath || '/',
        says: v.message ?? 'invalid',
      }));
      return reply.code(422).send({ error: 'invalid-request', problems });
    }
    const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 500;
    return reply.code(status).send({ error: status === 500 ? 'internal' : 'malformed-request' });
  });

  app.addHook('onSend', async (_request, reply) => {
    reply.header('x-release-track', track);
  });

  app.addHook('onResponse', async (request, reply) => {
    if (request.method !== 'PUT' || !request.routeOptions.url?.startsWith('/fulfilment/requests/')) return;
    const status = reply.statusCode;
    metrics.count(STATUS_RESULT[status] ?? (status === 400 ? 'invalid' : 'failed'), reply.elapsedTime);
  });

  const create = async (clientRef: string, order: FulfilmentRequest): Promise<Answer> => {
    const destination = destinationOf(order.recipient.postcode);
    await sleep(minMs + roll() * (maxMs - minMs));
    if (quirks.slowZone?.zone === destination.zone) await sleep(quirks.slowZone.extraMs);
    const lines = order.lines.map(({ article, units }) => ({ article, units }));
    const hold = await depot.hold(clientRef, lines);
    if (hold.kind === 'short')
      return { status: 409, body: { error: 'insufficient-stock', short: hold.short } };

    let carrier: CarrierCode = carrierFor(destination);
    if (quirks.swappedArea === destination.area) carrier = carrier === 'gullwing' ? 'homefleet' : 'gullwing';
    let consignmentNo: string | null = null;
    let transitDays = homefleetTransitDays(order.speed);
    if (carrier === 'gullwing') {
      const grams = order.lines.reduce((sum, l) => sum + l.units * l.unitGrams, 0);
      try {
        const booked = await gullwing.book(clientRef, order.recipient.postcode, grams, order.speed);
        ({ consignmentNo, transitDays } = booked);
      } catch (error) {
        await depot.release(hold.holdId).catch(() => undefined);
        throw error;
      }
    }
    const ticket = book.nextTicket();
    const journey = planJourney(
      clock.now(),
      transitDays,
      lateShare(carrier, destination.zone),
      drawFor(options.seed, clientRef),
    );
    const parcel: Parcel = {
      ticket,
      clientRef,
      track,
      ...destination,
      speed: order.speed,
      carrier,
      consignmentNo,
      journey,
    };
    book.keep(parcel);
    return {
      status: 201,
      body: {
        ticket,
        clientRef,
        state: 'accepted',
        promisedOn: journey.promisedOn,
        statusHref: `/fulfilment/tickets/${ticket}/status`,
      },
    };
  };

  app.put<{ Params: { clientRef: string }; Body: FulfilmentRequest }>(
    '/fulfilment/requests/:clientRef',
    {
      schema: {
        params: {
          type: 'object',
          properties: { clientRef: { type: 'string', pattern: CLIENT_REF_PATTERN } },
        },
        body: fulfilmentRequestSchema,
      },
    },
    async (request, reply) => {
      if (quirks.shedShare && roll() < quirks.shedShare) {
        return reply.code(503).header('retry-after', '1').send({ error: 'temporarily-unavailable' });
      }
      const { clientRef } = request.params;
      try {
        const outcome = await book.once(clientRef, fingerprintOf(request.body), () =>
          create(clientRef, request.body),
        );
        if (outcome.kind === 'conflict') {
          return reply.code(409).send({ error: 'reference-reused', clientRef });
        }
        if (outcome.kind === 'repeat')
          return reply.code(200).header('idempotent-replay', 'true').send(outcome.answer.body);
        return reply.code(outcome.answer.status).send(outcome.answer.body);
      } catch (error) {
        // A depot that answers in a shape we do not read is named: it is a contract break.
        const upstream = error instanceof DepotProtocolError ? 'depot-protocol' : 'unreachable';
        return reply.code(502).send({ error: 'upstream-failed', upstream });
      }
    },
  );

  app.get<{ Params: { ticket: string } }>('/fulfilment/tickets/:ticket/status', async (request, reply) => {
    const parcel = book.find(request.params.ticket);
    if (!parcel) return reply.code(404).send({ error: 'unknown-ticket' });
    const now = clock.now();
    const state = stateAt(parcel.journey, now);
    const delivered = state === 'delivered';
    return {
      ticket: parcel.ticket,
      clientRef: parcel.clientRef,
      state,
      carrier: parcel.carrier,
      consignmentNo: parcel.consignmentNo,
      zone: parcel.zone,
      area: parcel.area,
      promisedOn: parcel.journey.promisedOn,
      deliveredAt: delivered ? new Date(parcel.journey.deliveredAt).toISOString() : null,
      punctuality: delivered ? (parcel.journey.late ? 'late' : 'on-time') : null,
      history: historyAt(parcel.journey, now),
    };
  });

  app.get('/metrics', async (_request, reply) =>
    reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
  app.get('/health', async () => ({ up: true, track }));
  return app;
}
