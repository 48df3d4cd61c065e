import Fastify from 'fastify';

/** One call the fake broker received. */
export interface BrokerCall {
  method: string;
  url: string;
  authorization?: string;
  body?: unknown;
}

/**
 * A small stand-in for a Pact Broker (the endpoints shipgate calls), recording every
 * call, for tests and for trying the CI flow without a broker. `deployable` sets the
 * can-i-deploy answer.
 */
export async function startFakeBroker(
  options: { token?: string; deployable?: boolean | null; environments?: string[] } = {},
) {
  const calls: BrokerCall[] = [];
  const app = Fastify({ logger: false });
  app.addHook('onRequest', async (request, reply) => {
    if (options.token && request.headers.authorization !== `Bearer ${options.token}`) {
      return reply.code(401).send({ error: 'unauthorized' });
    }
  });
  app.addHook('preHandler', async (request) => {
    calls.push({
      method: request.method,
      url: request.url,
      authorization: request.headers.authorization,
      body: request.body,
    });
  });
  app.post('/contracts/publish', async (request) => {
    const body = request.body as { contracts: { consumerName: string; providerName: string }[] };
    return {
      notices: body.contracts.map((c) => ({
        type: 'success',
        text: `pact ${c.consumerName} → ${c.providerName} published`,
      })),
    };
  });
  app.get('/environments', async (request) => {
    const name = (request.query as { name?: string }).name;
    const known = (options.environments ?? ['production']).map((env, i) => ({ uuid: `env-${i}`, name: env }));
    return { _embedded: { environments: known.filter((e) => !name || e.name === name) } };
  });
  app.post(
    '/pacticipants/:name/versions/:version/deployed-versions/environment/:uuid',
    async (_request, reply) => reply.code(201).send({ currentlyDeployed: true }),
  );
  app.get('/can-i-deploy', async () => ({
    summary: {
      deployable: options.deployable ?? true,
      reason:
        options.deployable === false
          ? 'verification failed'
          : 'all required verification results are published and successful',
    },
    matrix: [
      {
        consumer: { name: 'shipgate-platform', version: { number: '1.2.0' } },
        provider: { name: 'steppe', version: { number: '7.0.1' } },
        verificationResult: { success: options.deployable !== false },
      },
    ],
  }));
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url, calls, close: () => app.close() };
}
