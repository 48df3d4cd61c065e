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
  // A broker answers HAL; Pact's verifier insists on the media type.
  app.addHook('onSend', async (_request, reply, payload) => {
    if (String(reply.getHeader('content-type') ?? '').startsWith('application/json'))
      reply.header('content-type', 'application/hal+json');
    return payload;
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
  app.post(
    '/pacticipants/:name/versions/:version/released-versions/environment/:uuid',
    async (_request, reply) => reply.code(201).send({ currentlySupported: true }),
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
  // Provider verification (Pact's native verifier walks these HAL links).
  const pacts = new Map<string, { pact: unknown; pending: boolean }>();
  let base = '';
  app.get('/', async () => ({
    _links: {
      self: { href: base },
      'pb:provider-pacts-for-verification': {
        href: `${base}/pacts/provider/{provider}/for-verification`,
        templated: true,
      },
    },
  }));
  app.get('/pacts/provider/:provider/for-verification', async (request) => ({
    _links: { self: { href: `${base}${request.url}` } },
  }));
  app.post('/pacts/provider/:provider/for-verification', async (request) => {
    const { provider } = request.params as { provider: string };
    return {
      _embedded: {
        pacts: [...pacts.entries()]
          .filter(([key]) => key.startsWith(`${provider}/`))
          .map(([key, entry]) => ({
            shortDescription: key,
            verificationProperties: { pending: entry.pending, notices: [] },
            _links: { self: { href: `${base}/pacts/${key}`, name: key } },
          })),
      },
    };
  });
  app.get('/pacts/:provider/:consumer', async (request, reply) => {
    const { provider, consumer } = request.params as { provider: string; consumer: string };
    const entry = pacts.get(`${provider}/${consumer}`);
    if (!entry) return reply.code(404).send({});
    return {
      ...(entry.pact as object),
      _links: {
        'pb:publish-verification-results': {
          href: `${base}/pacts/${provider}/${consumer}/verification-results`,
        },
        'pb:provider': { href: `${base}/pacticipants/${provider}` },
      },
    };
  });
  app.get('/pacticipants/:name', async (request) => ({
    name: (request.params as { name: string }).name,
    _links: {
      self: { href: `${base}${request.url}` },
      'pb:branch-version': {
        href: `${base}${request.url}/branches/{branch}/versions/{version}`,
        templated: true,
      },
      'pb:version': { href: `${base}${request.url}/versions/{version}`, templated: true },
      'pb:version-tag': { href: `${base}${request.url}/versions/{version}/tags/{tag}`, templated: true },
    },
  }));
  app.put('/pacticipants/:name/branches/:branch/versions/:version', async (request) => ({
    _links: { self: { href: `${base}${request.url}` } },
  }));
  app.post('/pacts/:provider/:consumer/verification-results', async (_request, reply) =>
    reply.code(201).send({}),
  );
  // Anything else the verifier may touch (branches, tags): accepted and recorded.
  app.setNotFoundHandler(async (_request, reply) => reply.code(200).send({}));

  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  base = url;
  return {
    url,
    calls,
    /** Serves a pact for verification, pending or not. */
    addPact: (pact: { consumer: { name: string }; provider: { name: string } }, pending = false) =>
      pacts.set(`${pact.provider.name}/${pact.consumer.name}`, { pact, pending }),
    close: () => app.close(),
  };
}
