import Type, { type Static } from 'typebox';
import { HTTP_METHODS } from './types.ts';

/**
 * `target.platform` in shipgate.config.ts: how the target's order API is spoken.
 * Three forms:
 * - absent, or `{ builtin: 'sandbox' }`: the sandbox's API (./sandbox.ts);
 * - `{ module: './my-adapter.ts' }`: a TypeScript (or JS) module whose default export
 *   is `definePlatform({ … })`, for anything a template cannot say;
 * - declarative: request templates and response field paths, for ordinary REST APIs.
 *
 * Declarative expressions are JSONata (https://jsonata.org), a maintained library, not
 * a home-made language. Paths are mustache templates whose values are URL-encoded.
 * What each expression reads:
 * - `submit.body`, `key`: the order (shipgate's order schema), with `$key`, `$target`
 *   and `$attempt` bound;
 * - answer and report expressions: the answer's JSON body, with `$status` (HTTP status)
 *   and `$headers` (lower-case names) bound, and `$order` for the submission's answer;
 * - batch report expressions: one item of `items`.
 */

const Strict = { additionalProperties: false } as const;
const Expr = (description: string) => Type.String({ minLength: 1, description: `JSONata: ${description}` });
const Statuses = (description: string) =>
  Type.Array(Type.Integer({ minimum: 100, maximum: 599 }), { minItems: 1, description });
const EnvName = Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$' });
const FromEnv = Type.Object(
  {
    env: EnvName,
    prefix: Type.Optional(Type.String({ description: 'put before the value, e.g. "Bearer "' })),
  },
  Strict,
);
const Headers = Type.Record(
  Type.String({ pattern: "^[A-Za-z0-9!#$%&'*+.^_`|~-]+$" }),
  Type.Union([Type.String(), FromEnv]),
  { description: 'literal values, or { env } for secrets' },
);
const Method = Type.Enum(HTTP_METHODS);
const PathTemplate = (description: string) =>
  Type.String({ pattern: '^/', description: `mustache template, values URL-encoded: ${description}` });

/** How a report (the order's outcome) is read from an answer or a batch item. */
export const ReportPaths = Type.Object(
  {
    status: Expr("the platform's status word"),
    settled: Expr('true once the platform has decided (a replay stops polling)'),
    final: Type.Optional(Expr('true once nothing will change (default: settled)')),
    outcome: Type.Optional(Expr('"shipped" when processed, else why not')),
    platformId: Type.Optional(Expr("the platform's id for the order")),
    carrier: Type.Optional(Expr('the carrier chosen')),
    service: Type.Optional(Expr('the carrier service chosen')),
    promisedBy: Type.Optional(Expr('the promise, an ISO date or date-time')),
    delivered: Type.Optional(Expr('true once delivered')),
    onTime: Type.Optional(Expr('true/false once the platform says')),
    processingMs: Type.Optional(Expr('processing time the platform reports, ms')),
    fields: Type.Optional(
      Type.Record(Type.String({ minLength: 1 }), Expr('a field for the diff'), {
        description: 'more fields to read, by the name the diff and reports use',
      }),
    ),
  },
  Strict,
);
export type ReportPaths = Static<typeof ReportPaths>;

const Submit = Type.Object(
  {
    method: Method,
    path: PathTemplate('{{key}}, {{target}}, {{order.…}}'),
    headers: Type.Optional(Headers),
    body: Type.Optional(Expr('the request body, built from the order')),
    /** Statuses that mean "the platform has the order" (default: any 2xx). */
    accepted: Type.Optional(Statuses('accepted (default any 2xx)')),
    /** Statuses worth another attempt with the same key (default 429, 503). */
    retryable: Type.Optional(Statuses('retried with the same key (default 429, 503)')),
    platformId: Type.Optional(Expr("the platform's id in the accepted answer")),
    duplicate: Type.Optional(Expr('true when the answer says the order was already there')),
    reason: Type.Optional(Expr('why a refused or failed answer said no (default: the HTTP status)')),
  },
  Strict,
);

const Poll = Type.Object(
  {
    method: Type.Optional(Method),
    path: PathTemplate('{{platformId}}, {{key}}, {{id}}'),
    headers: Type.Optional(Headers),
    /** Statuses meaning "no such order" (default 404). */
    missing: Type.Optional(Statuses('no such order (default 404)')),
    /** Requests in flight at once while polling (default 16). */
    concurrency: Type.Optional(Type.Integer({ minimum: 1, maximum: 256 })),
  },
  Strict,
);

const Batch = Type.Object(
  {
    method: Type.Optional(Method),
    path: PathTemplate('fixed path'),
    headers: Type.Optional(Headers),
    body: Expr('the request body from { ids, keys, platformIds }'),
    maxBatch: Type.Integer({ minimum: 1, maximum: 10_000 }),
    items: Expr('the list of found orders in the answer'),
    id: Expr("an item's shipgate order id (or key)"),
    missing: Type.Optional(Expr('the ids (or keys) the platform does not know')),
  },
  Strict,
);

export const DeclarativePlatform = Type.Object(
  {
    name: Type.String({ minLength: 1, description: 'for reports and errors' }),
    idempotency: Type.Union([
      Type.Object(
        { in: Type.Literal('header'), header: Type.String({ pattern: '^[A-Za-z0-9-]+$' }) },
        Strict,
      ),
      Type.Object({ in: Type.Enum(['path', 'body', 'none']) }, Strict),
    ]),
    key: Type.Optional(Expr("the order's idempotency key on a target (default: order.id)")),
    submit: Submit,
    outcome: Type.Union([
      Type.Object({ poll: Poll, report: ReportPaths }, Strict),
      Type.Object({ batch: Batch, report: ReportPaths }, Strict),
      Type.Object({ answer: ReportPaths }, Strict),
    ]),
    clock: Type.Optional(
      Type.Object(
        {
          method: Type.Optional(Method),
          path: PathTemplate('fixed path'),
          headers: Type.Optional(Headers),
          now: Expr("the platform's time, ISO"),
          speed: Expr('platform seconds per real second'),
        },
        Strict,
      ),
    ),
    decisions: Type.Object(
      {
        fields: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 1 })),
        groupBy: Type.Array(Type.String({ minLength: 1 })),
      },
      Strict,
    ),
  },
  Strict,
);
export type DeclarativePlatform = Static<typeof DeclarativePlatform>;

export const PlatformConfig = Type.Union(
  [
    Type.Object({ builtin: Type.Literal('sandbox') }, Strict),
    Type.Object(
      {
        module: Type.String({ minLength: 1, description: 'path to a module exporting definePlatform({…})' }),
      },
      Strict,
    ),
    DeclarativePlatform,
  ],
  { description: "how the target's order API is spoken (default: the sandbox's)" },
);
export type PlatformConfig = Static<typeof PlatformConfig>;
