import type { FastifyInstance } from 'fastify';
import { bearerToken, secretMatches } from './secret.ts';

/**
 * Guards every route of the given encapsulated scope with a bearer token. Call it on the
 * admin scope only, never at the root, so the service's own API keeps its own
 * (carrier-specific) authentication.
 */
export function requireAdminToken(scope: FastifyInstance, token: string): void {
  if (!token) throw new Error('admin token must not be empty');
  scope.addHook('onRequest', async (request, reply) => {
    if (!secretMatches(bearerToken(request.headers.authorization), token)) {
      reply.header('www-authenticate', 'Bearer realm="shipgate-sandbox-admin"');
      return reply
        .code(401)
        .send({ error: 'unauthorized', message: 'a valid admin bearer token is required' });
    }
  });
}
