import Fastify, { type FastifyInstance } from 'fastify';

/**
 * Gullwing Couriers' booking API (the external carrier), as its sandbox answers: a
 * consignment is booked for a postcode, a weight and a tier, and the answer says how
 * many days it will be in transit. Bearer-token auth.
 */
export interface GullwingOptions {
  apiKey: string;
}

const TIER_DAYS = { priority: 1, standard: 2, deferred: 4 } as const;
/** Gullwing's remote zones take a day longer. */
const REMOTE_PREFIX = 'H';

const bookingBody = {
  type: 'object',
  required: ['shipperReference', 'destination', 'weightGrams', 'tier'],
  properties: {
    shipperReference: { type: 'string', minLength: 1 },
    destination: {
      type: 'object',
      required: ['postcode'],
      properties: { postcode: { type: 'string', minLength: 1 } },
    },
    weightGrams: { type: 'integer', minimum: 1, maximum: 30_000 },
    tier: { enum: Object.keys(TIER_DAYS) },
  },
} as const;

interface Booking {
  shipperReference: string;
  destination: { postcode: string };
  weightGrams: number;
  tier: keyof typeof TIER_DAYS;
}

export function buildGullwing(options: GullwingOptions): FastifyInstance {
  const app = Fastify({ logger: false });
  let booked = 0;
  app.addHook('onRequest', async (request, reply) => {
    if (request.url === '/health') return;
    if (request.headers.authorization !== `Bearer ${options.apiKey}`) {
      return reply.code(401).send({ fault: 'unauthorised' });
    }
  });
  app.post<{ Body: Booking }>(
    '/v2/consignments',
    { schema: { body: bookingBody } },
    async (request, reply) => {
      booked += 1;
      const { destination, tier } = request.body;
      const transitDays = TIER_DAYS[tier] + (destination.postcode.startsWith(REMOTE_PREFIX) ? 1 : 0);
      return reply
        .code(201)
        .send({ consignmentNo: `GW${String(booked).padStart(8, '0')}`, transitDays, tier });
    },
  );
  app.get('/health', async () => ({ up: true }));
  return app;
}
