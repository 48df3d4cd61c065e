import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { bearerOf, tokenMatches } from './auth.ts';
import type { GateMetrics } from './metrics.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route may carry its token in the body's `metadata.token` (Flagger's webhooks cannot send headers). */
    bodyToken?: boolean;
  }
}

/** One answer for every refusal, whatever the request held: it teaches a caller nothing. */
export const UNAUTHORIZED = { error: 'unauthorized', message: 'a valid bearer token is required' } as const;

const authenticated = new WeakSet<FastifyRequest>();

/**
 * Guards every route of an encapsulated scope, in this order:
 * 1. `onRequest` (before the body is read): an `Authorization` header must hold the
 *    token; a route that takes a body token may instead go on without any header only
 *    with a JSON body whose declared length is within the limit. Anything else is a 401
 *    and the connection is closed, so an unread body is never read.
 * 2. Body parsing (bounded by the limit). Any parse error of a caller not yet
 *    authenticated (malformed JSON, too large) is the same 401.
 * 3. `preValidation` (before the schema): a caller without a header must present
 *    `metadata.token`; otherwise the same 401. Only then is the body validated (400
 *    naming the field) and judged.
 */
export function guardScope(
  scope: FastifyInstance,
  options: { token: string; bodyLimit: number; metrics: GateMetrics },
): void {
  const refuse = (request: FastifyRequest, reply: FastifyReply) => {
    options.metrics.requests.inc({ hook: request.routeOptions.url ?? 'unknown', answer: 'unauthorized' });
    return reply
      .code(401)
      .header('www-authenticate', 'Bearer realm="shipgate-gate"')
      .header('connection', 'close')
      .send(UNAUTHORIZED);
  };

  scope.addHook('onRequest', async (request, reply) => {
    const header = request.headers.authorization;
    if (header !== undefined) {
      if (!tokenMatches(bearerOf(header), options.token)) return refuse(request, reply);
      authenticated.add(request);
      return;
    }
    const length = Number(request.headers['content-length']);
    const json = /^application\/json\s*(;|$)/i.test(request.headers['content-type'] ?? '');
    const mayCarryToken =
      Boolean(request.routeOptions.config.bodyToken) &&
      json &&
      Number.isInteger(length) &&
      length > 0 &&
      length <= options.bodyLimit;
    if (!mayCarryToken) return refuse(request, reply);
  });

  scope.addHook('preValidation', async (request, reply) => {
    if (authenticated.has(request)) return;
    const token = (request.body as { metadata?: { token?: unknown } } | null | undefined)?.metadata?.token;
    if (!tokenMatches(typeof token === 'string' ? token : undefined, options.token))
      return refuse(request, reply);
    authenticated.add(request);
  });

  scope.setErrorHandler((error: FastifyError, request, reply) => {
    if (!authenticated.has(request)) return refuse(request, reply);
    throw error;
  });
}
