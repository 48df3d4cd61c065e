import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getResponse } from 'msw';
import { handlersFromPacts, type PactFile } from './from-pact.ts';

/**
 * The msw handlers behind a real HTTP port (msw's getResponse), with the provider-state
 * endpoint the verifier calls: so Pact's own verifier can check that the handlers and
 * the pacts agree (the drift check), and clients that do not go through fetch (the
 * platform's use undici.request, which setupServer cannot intercept) can use them too.
 * The states set pick among interactions sharing a route.
 */
export async function serveHandlers(
  pacts: PactFile[],
  provider?: string,
): Promise<{ url: string; close(): Promise<void> }> {
  let states: string[] = [];
  const server = createServer(async (req, res) => {
    try {
      const body = await readBody(req);
      if (req.url === '/admin/provider-state' && req.method === 'POST') {
        const { state, action } = JSON.parse(body.toString() || '{}') as { state: string; action?: string };
        if (state === 'default') states = [];
        else if (action === 'teardown') states = states.filter((s) => s !== state);
        else states.push(state);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        return;
      }
      const request = new Request(`http://${req.headers.host}${req.url}`, {
        method: req.method,
        headers: Object.entries(req.headers).flatMap(([k, v]) =>
          typeof v === 'string' ? [[k, v] as [string, string]] : [],
        ),
        body: body.length > 0 ? body : undefined,
      });
      const response = await getResponse(
        handlersFromPacts(pacts, { providers: provider ? [provider] : undefined, states }),
        request,
      );
      if (!response) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"no handler"}');
        return;
      }
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (error) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end((error as Error).message);
    }
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
