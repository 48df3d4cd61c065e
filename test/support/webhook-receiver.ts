import Fastify from 'fastify';

export interface WebhookCall {
  action: string;
  weight?: number;
  rolloutId: string | null;
}

/**
 * A deploy system's webhook receiver for the webhook actuator's tests: records every
 * call it accepts (bearer `token`), answers 2xx with no state (the action's is implied).
 */
export async function startWebhookReceiver(token: string) {
  const calls: WebhookCall[] = [];
  const app = Fastify();
  app.post('/hook', async (req, reply) => {
    if (req.headers.authorization !== `Bearer ${token}`) return reply.code(401).send();
    calls.push(req.body as WebhookCall);
    return {};
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url: `${url}/hook`, calls, close: () => app.close() };
}
