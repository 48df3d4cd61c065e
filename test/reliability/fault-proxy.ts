import { setMaxListeners } from 'node:events';
import Fastify, { type FastifyInstance } from 'fastify';
import { request } from 'undici';

/**
 * A fault-injecting HTTP proxy for the reliability suite: put it in front of a real
 * service (the sandbox platform, the router) and decide per request what goes wrong.
 * Bodies are passed through as text; answers are relayed with their status.
 */
export type FaultAction =
  | { kind: 'forward' }
  /** Answer this status without forwarding. */
  | { kind: 'status'; code: number }
  /** Reset the connection without forwarding (the upstream never sees it). */
  | { kind: 'reset-before' }
  /** Forward, let the upstream act on it, then reset instead of relaying the answer. */
  | { kind: 'reset-after' }
  /** Never answer (until the proxy closes). */
  | { kind: 'hang' };

export interface FaultRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

export interface FaultProxy {
  url: string;
  app: FastifyInstance;
  /** What the proxy did, per action kind. */
  counts: Record<FaultAction['kind'], number>;
  close(): Promise<void>;
}

const PASSED = ['content-type', 'authorization', 'idempotency-key', 'traceparent', 'x-shipgate-attempt'];

export async function startFaultProxy(
  upstream: string,
  decide: (req: FaultRequest) => FaultAction,
): Promise<FaultProxy> {
  const app = Fastify({ logger: false, forceCloseConnections: true, bodyLimit: 8 << 20 });
  const closing = new AbortController();
  setMaxListeners(0, closing.signal); // one listener per hanging request, released on close
  app.addHook('onClose', async () => closing.abort());
  const counts: FaultProxy['counts'] = {
    forward: 0,
    status: 0,
    'reset-before': 0,
    'reset-after': 0,
    hang: 0,
  };
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_r, body, done) => done(null, body));
  app.all('/*', async (req, reply) => {
    const body = typeof req.body === 'string' ? req.body : '';
    const action = decide({ method: req.method, url: req.url, headers: req.headers, body });
    counts[action.kind]++;
    if (action.kind === 'status') return reply.code(action.code).send({ error: 'injected fault' });
    if (action.kind === 'reset-before') {
      req.raw.socket.destroy();
      return reply;
    }
    if (action.kind === 'hang') {
      await new Promise((resolve) => closing.signal.addEventListener('abort', resolve, { once: true }));
      return reply;
    }
    const headers: Record<string, string> = {};
    for (const name of PASSED) {
      const v = req.headers[name];
      if (typeof v === 'string') headers[name] = v;
    }
    const res = await request(`${upstream}${req.url}`, {
      method: req.method as 'GET',
      headers,
      body: req.method === 'GET' || req.method === 'HEAD' ? undefined : body,
    });
    const text = await res.body.text();
    if (action.kind === 'reset-after') {
      req.raw.socket.destroy();
      return reply;
    }
    const type = res.headers['content-type'];
    return reply
      .code(res.statusCode)
      .type(typeof type === 'string' ? type : 'application/json')
      .send(text);
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url, app, counts, close: () => app.close() };
}
