import { shipgateError } from '../../core/errors.ts';
import { CREDENTIAL_HEADER } from '../../core/http/credentials.ts';

/**
 * What a recorded request's headers become on the way to a target:
 * - hop-by-hop headers (RFC 9110 §7.6.1: Connection and the names it lists, Keep-Alive,
 *   Transfer-Encoding, TE, Trailer, Upgrade, Proxy-*) belong to the recorded connection,
 *   not the request: dropped;
 * - Host and Content-Length are the client's to set for the target and the body sent;
 * - recorded trace context (traceparent, tracestate) is replaced by the replay's own;
 * - a credential header (Authorization, Cookie, X-Api-Key… see CREDENTIAL_HEADER) is
 *   dropped unless a rule sets it: a recorded token is someone's session, never to be
 *   replayed or written anywhere;
 * - each rule's header is set on every request, from the environment or a literal.
 */
export type HeaderValue = string | { env: string; prefix?: string };

export interface HeaderRewrite {
  /** Header name (case-insensitive). */
  name: string;
  value: string;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'te', 'trailer', 'upgrade']);
const SET_BY_CLIENT = new Set(['host', 'content-length', 'traceparent', 'tracestate']);

/**
 * Rules from the config or flags, read from the environment now (when the replay starts,
 * never when the config loads). `where` names the config key or flag for the error.
 */
export function resolveHeaderRules(
  rules: Record<string, HeaderValue>,
  where: string,
  env: NodeJS.ProcessEnv = process.env,
): HeaderRewrite[] {
  return Object.entries(rules).map(([name, value]) => {
    if (typeof value === 'string') {
      if (CREDENTIAL_HEADER.test(name))
        throw shipgateError('SG_USAGE', {
          message: `${where}.${name}: a credential is never given as a literal; name the environment variable that holds it`,
        });
      return { name, value };
    }
    const found = env[value.env];
    if (found === undefined || found === '')
      throw shipgateError('SG_ENV_MISSING', {
        variable: value.env,
        what: 'raw replay',
        key: `${where}.${name}`,
      });
    return { name, value: `${value.prefix ?? ''}${found}` };
  });
}

/**
 * `NAME: ${VAR}` or `NAME: Bearer ${VAR}` (a flag's form of `{ env: 'VAR', prefix: 'Bearer ' }`),
 * or `NAME: literal` for a header that is not a credential.
 */
export function parseHeaderFlag(flag: string): [string, HeaderValue] {
  const colon = flag.indexOf(':');
  const name = colon > 0 ? flag.slice(0, colon).trim() : '';
  if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(name))
    throw shipgateError('SG_USAGE', {
      message: `--header "${flag.split(':')[0]}": expected "Name: value" or "Name: [prefix]\${VARIABLE}"`,
    });
  const value = flag.slice(colon + 1).trim();
  const env = /^(.*?)\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(value);
  if (env) return [name, { env: env[2]!, ...(env[1] ? { prefix: env[1] } : {}) }];
  return [name, value];
}

export interface PreparedHeaders {
  headers: Record<string, string>;
  /** Recorded credential headers dropped for want of a rule (names only). */
  droppedCredentials: string[];
}

export function prepareHeaders(
  recorded: readonly [string, string][],
  rewrites: readonly HeaderRewrite[],
): PreparedHeaders {
  const listed = new Set<string>();
  for (const [name, value] of recorded)
    if (name.toLowerCase() === 'connection')
      for (const token of value.split(',')) listed.add(token.trim().toLowerCase());
  const rewritten = new Set(rewrites.map((r) => r.name.toLowerCase()));
  const headers: Record<string, string> = {};
  const droppedCredentials: string[] = [];
  for (const [name, value] of recorded) {
    const lower = name.toLowerCase();
    if (HOP_BY_HOP.has(lower) || lower.startsWith('proxy-') || listed.has(lower)) continue;
    if (SET_BY_CLIENT.has(lower) || rewritten.has(lower)) continue;
    if (CREDENTIAL_HEADER.test(lower)) {
      if (!droppedCredentials.includes(lower)) droppedCredentials.push(lower);
      continue;
    }
    // Repeated headers are joined, as RFC 9110 §5.3 allows for list-valued fields.
    headers[lower] = headers[lower] === undefined ? value : `${headers[lower]}, ${value}`;
  }
  for (const rule of rewrites) headers[rule.name.toLowerCase()] = rule.value;
  return { headers, droppedCredentials };
}
