import Type, { type Static } from 'typebox';
import { ACTUATOR_KINDS, HttpAnswerConfig, HttpRequestsConfig } from '../../canary/actuators/create.ts';
import { MetricsConfig, VersionsConfig } from '../../canary/metrics/definition.ts';
import { PlatformConfig } from '../../scenarios/platform/config.ts';
import { LAYER_NAMES } from './layers.ts';

/**
 * shipgate.config.ts as data: one TypeBox definition gives the user's type (through
 * `defineConfig`), the validator whose errors name the bad key, and the defaults that
 * let an empty config run the whole gate against the embedded sandbox.
 *
 * Secrets never live in the config: it names environment variables (`…Env`) instead,
 * so a committed config file cannot leak a token.
 */

const Strict = { additionalProperties: false } as const;
const Url = (description: string) => Type.String({ pattern: '^https?://', description });
const EnvName = (description: string) => Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$', description });
/** "15m", "30s", "250ms", "1h" or milliseconds. */
const Duration = (description: string) =>
  Type.Union(
    [Type.Number({ minimum: 0 }), Type.String({ pattern: '^\\s*\\d+(\\.\\d+)?\\s*(ms|s|m|h)?\\s*$' })],
    {
      description,
    },
  );

export const DEFECT_CHOICES = [
  'none',
  'latency-under-load',
  'wrong-carrier',
  'unit-mismatch',
  'dropped-orders',
] as const;

export const ReleaseConfig = Type.Object(
  {
    name: Type.Optional(
      Type.String({ minLength: 1, description: 'the release under test, e.g. "platform 2.4.0"' }),
    ),
    candidateVersion: Type.Optional(Type.String({ minLength: 1 })),
    baselineVersion: Type.Optional(Type.String({ minLength: 1 })),
    commit: Type.Optional(Type.String()),
  },
  Strict,
);

export const TargetConfig = Type.Object(
  {
    /** sandbox: start the embedded reference platform in-process; urls: a platform you run. */
    kind: Type.Optional(Type.Enum(['sandbox', 'urls'])),
    sandbox: Type.Optional(
      Type.Object(
        {
          /** Virtual seconds per real second (3600: a virtual hour per real second). */
          speed: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100_000 })),
          seed: Type.Optional(Type.Integer()),
          /** The defect the sandbox's canary build carries (demo and tests). */
          canaryDefect: Type.Optional(Type.Enum(DEFECT_CHOICES)),
          /** `none` removes the services' simulated API latency. */
          latency: Type.Optional(Type.Enum(['none', 'realistic'])),
        },
        Strict,
      ),
    ),
    router: Type.Optional(Url('traffic router (weighted split between stable and canary)')),
    stable: Type.Optional(Url('the baseline platform')),
    canary: Type.Optional(Url('the candidate platform')),
    /** Each /metrics endpoint of the platform, for the direct-scrape source. */
    metrics: Type.Optional(Type.Array(Url('a /metrics endpoint'))),
    adminTokenEnv: Type.Optional(EnvName('environment variable holding the router/admin token')),
    /** How the target's order API is spoken: declarative, a module, or the sandbox's (default). */
    platform: Type.Optional(PlatformConfig),
  },
  Strict,
);

/** A value read from the environment when the gate runs: `{ env: 'DEPOT_TOKEN' }`, optionally prefixed (`'Bearer '`). */
const FromEnv = Type.Object(
  {
    env: EnvName('environment variable holding the value'),
    prefix: Type.Optional(Type.String({ description: 'put before the value, e.g. "Bearer "' })),
  },
  Strict,
);
const HeaderName = Type.String({ pattern: "^[A-Za-z0-9!#$%&'*+.^_`|~-]+$" });
/** Header values: literal (not secret) or from an environment variable (secrets must be). */
const Headers = (description: string) =>
  Type.Record(HeaderName, Type.Union([Type.String(), FromEnv]), { description });

export const ContractsProviderConfig = Type.Object(
  {
    /** Where the provider version under test runs. */
    baseUrl: Type.Union([Url('provider base URL'), FromEnv]),
    /**
     * The provider's Pact state-change endpoint: POST { state, params, action: setup|teardown }.
     * A URL, a path on baseUrl ('/_pact/state'), or from an environment variable. Absent: no states.
     */
    stateChangeUrl: Type.Optional(
      Type.Union([
        Url('state-change URL'),
        Type.String({ pattern: '^/', description: 'a path on baseUrl' }),
        FromEnv,
      ]),
    ),
    stateChangeHeaders: Type.Optional(Headers('headers of the state-change calls')),
    /** Added to every replayed request: API keys, bearer tokens (never written into pacts or reports). */
    headers: Type.Optional(Headers('headers of every verified request')),
  },
  Strict,
);

export type ContractsConfig = Static<typeof ContractsConfig>;
export const ContractsConfig = Type.Object(
  {
    /** The providers to verify, by the name their pacts give them, each where it runs. */
    providers: Type.Optional(Type.Record(Type.String({ minLength: 1 }), ContractsProviderConfig)),
    /** The folder of pact files to verify (any consumer, Pact specification V2, V3, V4). */
    pactDir: Type.Optional(Type.String({ minLength: 1 })),
    /**
     * Run the sandbox platform's own consumer specs first (they write the pacts the sandbox's
     * providers are verified against). Default: only against the sandbox, with no `providers` configured.
     */
    consumerSpecs: Type.Optional(Type.Boolean()),
    broker: Type.Optional(
      Type.Object(
        {
          url: Url('Pact Broker base URL'),
          tokenEnv: Type.Optional(EnvName('broker token variable')),
          /** Verify the broker's pacts for each provider (default true); false: the pactDir's. */
          verifyPacts: Type.Optional(Type.Boolean()),
          /** Publish verification results for release.candidateVersion (default true). */
          publishResults: Type.Optional(Type.Boolean()),
          providerBranch: Type.Optional(Type.String({ minLength: 1 })),
          /** Also verify work-in-progress pacts created since this date (YYYY-MM-DD). */
          includeWipSince: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
          /** can-i-deploy questions asked after the verification, e.g. { pacticipant: 'kestrel-depot', environment: 'production' }. */
          canIDeploy: Type.Optional(
            Type.Array(
              Type.Object(
                {
                  pacticipant: Type.String({ minLength: 1 }),
                  /** Default: release.candidateVersion. */
                  version: Type.Optional(Type.String({ minLength: 1 })),
                  environment: Type.String({ minLength: 1 }),
                },
                Strict,
              ),
              { minItems: 1 },
            ),
          ),
        },
        Strict,
      ),
    ),
  },
  Strict,
);

export const ReplayConfig = Type.Object(
  {
    /**
     * `orders` (default): traffic in shipgate's order schema, replayed through the order API.
     * `raw`: `traffic` is a HAR or GoReplay recording, replayed as recorded and the answers
     * diffed field by field (no order model).
     */
    mode: Type.Optional(Type.Enum(['orders', 'raw'])),
    /** Recorded traffic (.jsonl, .csv, .har; with mode raw .har or .gor). Absent: a generated day of `orders` orders. */
    traffic: Type.Optional(Type.String({ minLength: 1 })),
    /** mode raw: headers set on every replayed request; credentials only `{ env, prefix }`. */
    headers: Type.Optional(Headers('headers set on every raw-replayed request')),
    /** mode raw: path templates naming endpoints the id heuristic misses, e.g. "/users/{user}". */
    endpoints: Type.Optional(Type.Array(Type.String({ pattern: '^/' }))),
    orders: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
    seed: Type.Optional(Type.String()),
    /** Virtual seconds per real second, or "max" (as fast as the concurrency cap allows). */
    speed: Type.Optional(Type.Union([Type.Number({ exclusiveMinimum: 0 }), Type.Literal('max')])),
    multiply: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
    concurrency: Type.Optional(Type.Integer({ minimum: 1, maximum: 4096 })),
    allowHosts: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
    /** Max share of orders with unexplained differences (0..1). */
    diffBudget: Type.Optional(Type.Number({ minimum: 0, maximum: 1 })),
    /** A second baseline instance, to learn which fields are noise. */
    secondBaseline: Type.Optional(Url('second baseline platform')),
    settleTimeout: Type.Optional(Duration('how long to wait for accepted orders to finish')),
  },
  Strict,
);

export const ScenariosConfig = Type.Object(
  {
    /** Catalogue (or extra) scenario names to run. */
    run: Type.Optional(Type.Array(Type.String({ minLength: 1 }))),
    /** The user's own scenarios (scenarios/catalogue/scenario.ts `Scenario`). */
    extra: Type.Optional(
      Type.Array(
        Type.Object(
          {
            name: Type.String({ minLength: 1 }),
            description: Type.String(),
            load: Type.Unknown(),
            faults: Type.Array(Type.Unknown()),
            expectations: Type.Array(Type.Unknown()),
            settleDays: Type.Number({ minimum: 0 }),
            speed: Type.Number({ exclusiveMinimum: 0 }),
          },
          { additionalProperties: true },
        ),
      ),
    ),
    /** Compression override for every scenario (virtual seconds per real second). */
    speed: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
    /** Real-time bound on waiting for deliveries after the load. */
    settleTimeout: Type.Optional(Duration('real-time bound on tracking deliveries after the load')),
    /** Virtual days to keep tracking deliveries after the load (overrides each scenario's). */
    settleDays: Type.Optional(Type.Number({ minimum: 0, maximum: 30 })),
    /** Scale each scenario's order volume (0.1: a tenth; compact runs). */
    scale: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100 })),
  },
  Strict,
);

export const CanaryConfig = Type.Object(
  {
    source: Type.Optional(
      Type.Object(
        {
          /** auto: a Prometheus started on loopback when one is installed (sandbox), else direct scrape. */
          kind: Type.Optional(Type.Enum(['auto', 'prometheus', 'direct-scrape'])),
          url: Type.Optional(Url('Prometheus / Thanos / Mimir base URL')),
          tokenEnv: Type.Optional(EnvName('bearer token variable for Prometheus')),
          endpoints: Type.Optional(Type.Array(Url('a /metrics endpoint'))),
          /** Added to every selector ({{selector}} in templates), e.g. { namespace: "prod" }. */
          matchers: Type.Optional(
            Type.Record(Type.String({ pattern: '^[a-zA-Z_][a-zA-Z0-9_]*$' }), Type.String()),
          ),
        },
        Strict,
      ),
    ),
    /**
     * The label marking the build and its canary and baseline values. Defaults: label
     * `version`, canary = release.candidateVersion ?? "canary", baseline = release.baselineVersion ?? "stable".
     */
    versions: Type.Optional(VersionsConfig),
    /** 'builtin' (default): the built-in catalogue (the sandbox's series); or your own definitions. */
    metrics: Type.Optional(MetricsConfig),
    /** The metric ids this rollout judges (default: all of `metrics`). */
    use: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { minItems: 1 })),
    /** Canary weights in percent, ascending. */
    steps: Type.Optional(Type.Array(Type.Number({ exclusiveMinimum: 0, maximum: 100 }), { minItems: 1 })),
    interval: Type.Optional(Duration('time between analyses (platform time)')),
    minStep: Type.Optional(Duration('minimum time per step')),
    minStepSamples: Type.Optional(Type.Integer({ minimum: 0 })),
    maxDuration: Type.Optional(Duration('roll back when no pass by then')),
    alpha: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 0.5 })),
    judge: Type.Optional(Type.Enum(['sequential', 'threshold', 'mann-whitney'])),
    /**
     * Default margins of the sequential judge per metric kind (a metric's own `margin`
     * wins): a regression worth a rollback is one beyond them.
     */
    margins: Type.Optional(
      Type.Object(
        {
          events: Type.Optional(
            Type.Object(
              {
                relative: Type.Optional(Type.Number({ minimum: 0 })),
                absolute: Type.Optional(Type.Number({ minimum: 0, exclusiveMaximum: 1 })),
              },
              Strict,
            ),
          ),
          latency: Type.Optional(
            Type.Object({ relative: Type.Optional(Type.Number({ minimum: 0 })) }, Strict),
          ),
        },
        Strict,
      ),
    ),
    /** Canary orders the judge needs before a verdict on a metric. */
    minCanarySamples: Type.Optional(Type.Integer({ minimum: 0 })),
    inconclusive: Type.Optional(
      Type.Object(
        {
          budget: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
          policy: Type.Optional(Type.Enum(['rollback', 'hold'])),
        },
        Strict,
      ),
    ),
    actuator: Type.Optional(
      Type.Object(
        {
          kind: Type.Optional(Type.Enum(ACTUATOR_KINDS)),
          url: Type.Optional(Url('router or webhook URL')),
          tokenEnv: Type.Optional(EnvName('token variable')),
          rollout: Type.Optional(Type.String({ minLength: 1 })),
          namespace: Type.Optional(Type.String({ minLength: 1 })),
          /** kind http: one request per action; `answer` says where the weight and phase are. */
          requests: Type.Optional(HttpRequestsConfig),
          answer: Type.Optional(HttpAnswerConfig),
        },
        Strict,
      ),
    ),
    /** Sandbox only: orders per real second sent through the router during the rollout. */
    ordersPerSecond: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 2000 })),
    /** Export the blast radius (orders served by a rolled-back canary). */
    blastRadius: Type.Optional(Type.Boolean()),
  },
  Strict,
);

export const ShipgateConfigSchema = Type.Object(
  {
    release: Type.Optional(ReleaseConfig),
    target: Type.Optional(TargetConfig),
    /** Which layers run, in the gate's fixed order. */
    layers: Type.Optional(Type.Array(Type.Enum(LAYER_NAMES), { minItems: 1 })),
    /** Keep running later layers after one fails (the report then covers all). */
    continueOnFailure: Type.Optional(Type.Boolean()),
    /** Where run folders go (default .shipgate/runs). */
    runsDir: Type.Optional(Type.String({ minLength: 1 })),
    /** Push shipgate's own metrics (progress, verdicts, weight) here while the gate runs. */
    pushgateway: Type.Optional(
      Type.Object(
        {
          url: Url('Prometheus Pushgateway base URL'),
          tokenEnv: Type.Optional(
            EnvName('variable holding a bearer token (default SHIPGATE_PUSHGATEWAY_TOKEN)'),
          ),
        },
        Strict,
      ),
    ),
    contracts: Type.Optional(ContractsConfig),
    replay: Type.Optional(ReplayConfig),
    scenarios: Type.Optional(ScenariosConfig),
    canary: Type.Optional(CanaryConfig),
  },
  Strict,
);

/** What a user writes: every key optional. */
export type ShipgateConfig = Static<typeof ShipgateConfigSchema>;
