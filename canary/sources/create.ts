import Type, { type Static } from 'typebox';
import { DirectScrapeSource } from './direct-scrape.ts';
import { PrometheusSource } from './prometheus-source.ts';

/**
 * The metric-source part of the canary config, as a schema the config loader can embed
 * (one definition: type, validator, docs), and the factory the step controller calls.
 * Secrets (token, password) are resolved by the config loader, e.g. from the
 * environment; they are never logged (the sources put only URLs and queries in errors).
 */

const Retry = Type.Object(
  {
    timeoutMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 120_000 })),
    attempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })),
    totalMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 600_000 })),
  },
  { additionalProperties: false },
);
const Matchers = Type.Record(Type.String({ pattern: '^[a-zA-Z_][a-zA-Z0-9_]*$' }), Type.String());

export const PrometheusSourceConfig = Type.Object(
  {
    kind: Type.Literal('prometheus'),
    url: Type.String({ pattern: '^https?://' }),
    bearerToken: Type.Optional(Type.String({ minLength: 1 })),
    basicAuth: Type.Optional(
      Type.Object({ username: Type.String(), password: Type.String() }, { additionalProperties: false }),
    ),
    headers: Type.Optional(Type.Record(Type.String(), Type.String())),
    /** Added to every compiled selector, e.g. { namespace: "prod" }. */
    matchers: Type.Optional(Matchers),
    versionLabel: Type.Optional(Type.String({ pattern: '^[a-zA-Z_][a-zA-Z0-9_]*$' })),
    /** Labels naming one process, for per-process counter resets; default ["instance"]. */
    partLabels: Type.Optional(
      Type.Array(Type.String({ pattern: '^[a-zA-Z_][a-zA-Z0-9_]*$' }), { maxItems: 5 }),
    ),
    retry: Type.Optional(Retry),
  },
  { additionalProperties: false },
);

export const DirectScrapeSourceConfig = Type.Object(
  {
    kind: Type.Literal('direct-scrape'),
    endpoints: Type.Array(Type.String({ pattern: '^https?://' }), { minItems: 1, maxItems: 200 }),
    matchers: Type.Optional(Matchers),
    versionLabel: Type.Optional(Type.String({ pattern: '^[a-zA-Z_][a-zA-Z0-9_]*$' })),
    retry: Type.Optional(Retry),
  },
  { additionalProperties: false },
);

export const SourceConfig = Type.Union([PrometheusSourceConfig, DirectScrapeSourceConfig]);
export type SourceConfig = Static<typeof SourceConfig>;

export function createSource(config: SourceConfig): PrometheusSource | DirectScrapeSource {
  if (config.kind === 'prometheus') {
    return new PrometheusSource({
      url: config.url,
      bearerToken: config.bearerToken,
      basicAuth: config.basicAuth,
      headers: config.headers,
      retry: config.retry,
      compile: {
        matchers: config.matchers,
        versionLabel: config.versionLabel,
        partLabels: config.partLabels,
      },
    });
  }
  return new DirectScrapeSource({
    endpoints: config.endpoints,
    matchers: config.matchers,
    versionLabel: config.versionLabel,
    retry: config.retry,
  });
}
