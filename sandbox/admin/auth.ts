import type { FastifyInstance } from 'fastify';
import { bearerToken, secretMatches } from './secret.ts';

/**
 * Guards every route of the given encapsulated scope with a bearer token. Call it on the
 * admin scope only, never at the root, so the service's own API keeps its own
 * (carrier-specific) authentication.
 *
 * `onRequest` runs before the body is read, parsed or validated: a caller without the
 * token gets the same 401 whatever it sent, and the connection is closed, so a body it
 * is still sending is never read (Node would otherwise drain it to reuse the socket).
 */
export function requireAdminToken(scope: FastifyInstance, token: string): void {
  if (!token) throw new Error('admin token must not be empty');
  scope.addHook('onRequest', async (request, reply) => {
    if (!secretMatches(bearerToken(request.headers.authorization), token)) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="shipgate-sandbox-admin"')
        .header('connection', 'close')
        .send({ error: 'unauthorized', message: 'a valid admin bearer token is required' });
    }
  });
}
