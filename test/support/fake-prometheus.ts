import Fastify, { type FastifyInstance } from 'fastify';

/**
 * A scriptable stand-in for the Prometheus HTTP API, for tests of the client's error
 * paths (the edge a user would mock). Each request to /api/v1/query or
 * /api/v1/query_range is answered by `respond`, which sees the query and the count.
 */

export interface FakeAnswer {
  status?: number;
  /** An object is sent as JSON; a string as-is. */
  body: unknown;
  delayMs?: number;
  headers?: Record<string, string>;
}

export interface FakeRequest {
  path: string;
  query: string;
  params: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  n: number;
}

export interface FakePrometheus {
  url: string;
  requests: FakeRequest[];
  close(): Promise<void>;
}

export async function startFakePrometheus(
  respond: (req: FakeRequest) => FakeAnswer,
): Promise<FakePrometheus> {
  const app: FastifyInstance = Fastify({ logger: false, forceCloseConnections: true });
  const requests: FakeRequest[] = [];
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
  const handler = async (path: string, params: Record<string, string>, headers: FakeRequest['headers']) => {
    const req: FakeRequest = { path, query: params['query'] ?? '', params, headers, n: requests.length + 1 };
    requests.push(req);
    return respond(req);
  };
  for (const path of ['/api/v1/query', '/api/v1/query_range']) {
    app.post(path, async (request, reply) => {
      const answer = await handler(path, (request.body ?? {}) as Record<string, string>, request.headers);
      if (answer.delayMs) {
        // Stop waiting when the client gives up, so closing the fake does not wait out the delay.
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, answer.delayMs);
          request.raw.socket.once('close', () => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      reply.code(answer.status ?? 200).headers(answer.headers ?? {});
      if (typeof answer.body === 'string') return reply.type('text/plain').send(answer.body);
      return reply.type('application/json').send(JSON.stringify(answer.body));
    });
  }
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url, requests, close: () => app.close() };
}

/** A success body with a vector of `[labels, value]`. */
export function vector(...samples: [Record<string, string>, string][]): unknown {
  return {
    status: 'success',
    data: {
      resultType: 'vector',
      result: samples.map(([metric, v]) => ({ metric, value: [1700000000.5, v] })),
    },
  };
}
