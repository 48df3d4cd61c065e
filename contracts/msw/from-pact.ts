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
    .map((name) => parsePact(join(dir, name)))
    .filter((pact) => Array.isArray(pact.interactions));
}

/**
 * A hand-edited or truncated pact file is refused naming the file, line and field, not a
 * TypeError (a plain Error in the SG_INPUT_INVALID format: contracts/ imports nothing of ours).
 */
function parsePact(file: string): PactFile {
  const text = readFileSync(file, 'utf8');
  const invalid = (field: string, problem: string, line = 1) =>
    new Error(`${file}:${line}: ${field}: ${problem}`);
  let pact: PactFile;
  try {
    pact = JSON.parse(text) as PactFile;
  } catch (error) {
    const at = Number(/position (\d+)/.exec((error as Error).message)?.[1] ?? 0);
    throw invalid('(file)', `not JSON: ${(error as Error).message}`, text.slice(0, at).split('\n').length);
  }
  if (!pact || typeof pact !== 'object' || !Array.isArray(pact.interactions)) return pact ?? ({} as PactFile);
  if (typeof pact.provider?.name !== 'string') throw invalid('provider.name', 'must be a string');
  pact.interactions.forEach((i, n) => {
    if (i === null || typeof i !== 'object' || Array.isArray(i))
      throw invalid(`interactions[${n}]`, 'must be an object');
  });
  // V4 files may hold message interactions: no HTTP route to mock.
  pact.interactions = pact.interactions.filter(
    (i) =>
      (i as { type?: string }).type === undefined || (i as { type?: string }).type === 'Synchronous/HTTP',
  );
  const v4 = /^4/.test(String((pact as RawMetadata).metadata?.pactSpecification?.version ?? ''));
  pact.interactions.forEach((i, n) => {
    const at = `interactions[${n}]`;
    if (typeof i?.request?.method !== 'string' || !/^(get|post|put|delete|patch)$/i.test(i.request.method))
      throw invalid(`${at}.request.method`, 'must be an HTTP method');
    if (typeof i.request.path !== 'string') throw invalid(`${at}.request.path`, 'must be a string');
    if (!Number.isInteger(i.response?.status)) throw invalid(`${at}.response.status`, 'must be an integer');
    const headers = i.response.headers as unknown;
    if (
      headers !== undefined &&
      (typeof headers !== 'object' ||
        headers === null ||
        Object.values(headers).some((v) => typeof v !== 'string' && !Array.isArray(v)))
    )
      throw invalid(`${at}.response.headers`, 'must map names to values or arrays of values');
    normalise(i, v4);
  });
  return pact;
}

interface RawMetadata {
  metadata?: { pactSpecification?: { version?: unknown } };
}

/**
 * V2 and V3 interactions in the V4 shape the handlers read: a body is the JSON itself
 * in V2/V3 and `{ content }` in V4; header values are strings in V2/V3 and lists in V4;
 * a V2 query is one string ("a=1&b=2"), V3/V4 a map of lists.
 */
function normalise(interaction: PactInteraction, v4: boolean): void {
  for (const part of [interaction.request, interaction.response]) {
    if (!v4 && 'body' in part) part.body = { content: part.body as unknown };
    if (part.headers)
      part.headers = Object.fromEntries(
        Object.entries(part.headers as Record<string, string | string[]>).map(([k, v]) => [
          k,
          Array.isArray(v) ? v : [v],
        ]),
      );
  }
  const query = interaction.request.query as unknown;
  if (typeof query === 'string') {
    const map: Record<string, string[]> = {};
    for (const [k, v] of new URLSearchParams(query)) map[k] = [...(map[k] ?? []), v];
    interaction.request.query = map;
  }
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
      const path = new URL(request.url).pathname;
      return responseOf(choose(entry.interactions, options.states ?? [], body, path));
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
 * one recorded for exactly this path (`/articles/KS-0404/level` gets its 404), then the
 * one whose example request body is closest to the actual one (reserving 5 of a SKU with
 * 3 in stock gets the conflict), then a success over a refusal, then the fewest states:
 * without other signal, the happy path.
 */
function choose(
  interactions: PactInteraction[],
  states: string[],
  body: unknown,
  path: string,
): PactInteraction {
  const score = (i: PactInteraction) => {
    const names = (i.providerStates ?? []).map((s) => s.name);
    const wanted = names.filter((name) => states.includes(name)).length;
    const success = i.response.status >= 200 && i.response.status < 300 ? 5 : 0;
    const samePath = i.request.path === path ? 1000 : 0;
    return (
      wanted * 10_000 + samePath + sameLeaves(i.request.body?.content, body) * 10 + success - names.length
    );
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
