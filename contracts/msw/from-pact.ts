import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type HttpHandler, HttpResponse, http } from 'msw';

/**
 * msw handlers derived from the pact files, for users' own unit tests: the same paths,
 * statuses and example bodies the providers are verified against, so a mock cannot say
 * what the provider would not. Regenerate from the pacts; never edit by hand.
 */

export interface PactInteraction {
  description: string;
  providerStates?: { name: string; params?: Record<string, unknown> }[];
  request: {
    method: string;
    path: string;
    query?: Record<string, string[]>;
    headers?: Record<string, string[]>;
    body?: { content?: unknown };
  };
  response: { status: number; headers?: Record<string, string[]>; body?: { content?: unknown } };
}

export interface PactFile {
  consumer: { name: string };
  provider: { name: string };
  interactions: PactInteraction[];
}

export interface HandlerOptions {
  /** Origin the handlers answer for (default: any origin). */
  baseUrl?: string;
  /**
   * Provider states to prefer when several interactions share a route (e.g. the
   * "carrier rejects oversize parcels" quote vs the plain one). Default: the interaction
   * with the fewest states, i.e. the happy path.
   */
  states?: string[];
  /** Only these providers. */
  providers?: string[];
}

export function readPacts(pactDir: string): PactFile[] {
  const dir = resolve(pactDir);
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as PactFile)
    .filter((pact) => Array.isArray(pact.interactions));
}

/** One msw handler per route of every pact (method + path, ids generalised to parameters). */
export function handlersFromPacts(pacts: PactFile[], options: HandlerOptions = {}): HttpHandler[] {
  const routes = new Map<
    string,
    { provider: string; route: string; method: string; interactions: PactInteraction[] }
  >();
  for (const pact of pacts) {
    if (options.providers && !options.providers.includes(pact.provider.name)) continue;
    for (const interaction of pact.interactions) {
      const route = routeOf(interaction.request.path);
      const key = `${pact.provider.name} ${interaction.request.method} ${route}`;
      const entry = routes.get(key) ?? {
        provider: pact.provider.name,
        route,
        method: interaction.request.method,
        interactions: [],
      };
      entry.interactions.push(interaction);
      routes.set(key, entry);
    }
  }
  const origin = options.baseUrl?.replace(/\/+$/, '') ?? '*';
  return [...routes.values()].map((entry) => {
    const method = entry.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete';
    return http[method](`${origin}${entry.route}`, async ({ request }) => {
      const body = entry.interactions.length > 1 ? await request.json().catch(() => undefined) : undefined;
      return responseOf(choose(entry.interactions, options.states ?? [], body));
    });
  });
}

/** The response Pact would serve for an interaction: its status, headers and example body. */
export function responseOf(interaction: PactInteraction): Response {
  const headers: Record<string, string> = {};
  for (const [name, values] of Object.entries(interaction.response.headers ?? {}))
    headers[name] = values.join(', ');
  const body = interaction.response.body?.content;
  if (body === undefined) return new HttpResponse(null, { status: interaction.response.status, headers });
  return HttpResponse.json(body as never, { status: interaction.response.status, headers });
}

/**
 * `/v2/shipments/shp_0c0f…/buy` → `/v2/shipments/:id1/buy`: segments that carry an id
 * (digits or an id prefix, not a version like v2) become parameters, so the handler
 * answers for whatever ids the user's own test uses.
 */
export function routeOf(path: string): string {
  let n = 0;
  return path
    .split('/')
    .map((segment) => (segment && !/^v\d+$/.test(segment) && /\d/.test(segment) ? `:id${++n}` : segment))
    .join('/');
}

/**
 * Among interactions sharing a route: those in the wanted provider states first, then the
 * one whose example request body is closest to the actual one (reserving 5 of a SKU
 * with 3 in stock gets the conflict), then the one with the fewest states (happy path).
 */
function choose(interactions: PactInteraction[], states: string[], body: unknown): PactInteraction {
  const score = (i: PactInteraction) => {
    const names = (i.providerStates ?? []).map((s) => s.name);
    const wanted = names.filter((name) => states.includes(name)).length;
    return wanted * 10_000 + sameLeaves(i.request.body?.content, body) * 10 - names.length;
  };
  return [...interactions].sort((a, b) => score(b) - score(a))[0]!;
}

/** How many leaf values two JSON values share at the same paths. */
function sameLeaves(a: unknown, b: unknown): number {
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object')
    return a === b && a !== undefined ? 1 : 0;
  let n = 0;
  for (const key of Object.keys(a as object))
    n += sameLeaves((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]);
  return n;
}
