import Fastify from 'fastify';

/**
 * A stand-in Prometheus Pushgateway for tests (a user would mock theirs too): a real
 * fastify server on 127.0.0.1 recording every push to /metrics/job/<job>/run/<run>.
 * `status` makes it answer with an error, for the failure paths.
 */
export interface RecordedPush {
  method: string;
  job: string;
  run: string;
  body: string;
  authorization?: string;
}

export async function startFakePushgateway(options: { status?: number } = {}) {
  const pushes: RecordedPush[] = [];
  const app = Fastify({ logger: false });
  // prom-client sends the exposition without a content type; take any body as text.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  const record = async (
    request: { method: string; params: unknown; body: unknown; headers: { authorization?: string } },
    reply: { code(n: number): { send(b?: unknown): unknown } },
  ) => {
    const { job, run } = request.params as { job: string; run: string };
    pushes.push({
      method: request.method,
      job,
      run,
      body: typeof request.body === 'string' ? request.body : '',
      ...(request.headers.authorization ? { authorization: request.headers.authorization } : {}),
    });
    return reply.code(options.status ?? 200).send();
  };
  app.put('/metrics/job/:job/run/:run', record);
  app.post('/metrics/job/:job/run/:run', record);
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url,
    pushes,
    /** The last pushed exposition text. */
    last: () => pushes[pushes.length - 1]?.body ?? '',
    close: () => app.close(),
  };
}
