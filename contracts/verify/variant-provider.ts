import Fastify, { type FastifyInstance } from 'fastify';

/** Rewrites a JSON response body of the real provider; return the body to send. */
export type ResponseRewrite = (
  request: { method: string; path: string },
  body: unknown,
  status: number,
) => unknown;

export interface VariantProvider {
  url: string;
  close(): Promise<void>;
}

/**
 * A variant of a real provider: a fastify proxy in front of it that forwards every request
 * (API and /admin alike) and rewrites JSON responses. Real HTTP on both sides, so
 * verification sees exactly what a provider that renamed, dropped or added a field
 * would send. For the negative tests of the contracts, and for trying a planned
 * provider change against the platform's pacts before shipping it.
 */
export async function startVariantProvider(
  upstream: string,
  rewrite: ResponseRewrite,
): Promise<VariantProvider> {
  const app: FastifyInstance = Fastify({ logger: false });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  app.all('/*', async (request, reply) => {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (value === undefined || ['host', 'connection', 'content-length', 'transfer-encoding'].includes(name))
        continue;
      headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const body = request.body as Buffer | undefined;
    const response = await fetch(upstream.replace(/\/+$/, '') + request.url, {
      method: request.method,
      headers,
      body: body && body.length > 0 ? body : undefined,
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    const path = request.url.split('?')[0] ?? request.url;
    let out = text;
    if (
      (response.headers.get('content-type') ?? '').includes('json') &&
      text &&
      !path.startsWith('/admin/')
    ) {
      out = JSON.stringify(rewrite({ method: request.method, path }, JSON.parse(text), response.status));
    }
    reply.code(response.status);
    const type = response.headers.get('content-type');
    if (type) reply.header('content-type', type);
    return reply.send(out);
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url, close: () => app.close() };
}
