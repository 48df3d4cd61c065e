import type { ActuatorKind, ActuatorSpec } from '../../canary/actuators/create.ts';
import { parseDuration } from '../../canary/controller/config.ts';
import type { MetricDecl } from '../../canary/metrics/catalogue.ts';
import { selectMetrics, toMetricDecl } from '../../canary/metrics/from-definition.ts';
import { VERSION_LABEL } from '../../canary/metrics/names.ts';
import { CATALOGUE } from '../../canary/metrics/presets/builtin.ts';
import type { DefectName } from '../../sandbox/platform/defects.ts';
import type { PlatformConfig } from '../../scenarios/platform/config.ts';
import { DEFAULT_REPLAY_CONCURRENCY } from '../../scenarios/replay/defaults.ts';
import { type GateLayer, LAYER_NAMES } from './layers.ts';
import type { ContractsConfig, ShipgateConfig } from './schema.ts';

/**
 * The config with every default filled in: what the gate runs. The defaults are the
 * compact settings that let an empty config run all four layers against the embedded
 * sandbox in a few minutes of real time on a small machine; production configs set
 * the target URLs and the canary's real pacing (minutes per step, not seconds).
 */
export interface ResolvedConfig {
  release: { name: string; candidateVersion: string; baselineVersion: string; commit?: string };
  target:
    | {
        kind: 'sandbox';
        speed: number;
        seed: number;
        canaryDefect: DefectName;
        latency: 'none' | 'realistic';
      }
    | {
        kind: 'urls';
        router?: string;
        stable: string;
        canary: string;
        metrics: string[];
        adminTokenEnv: string;
        /** How the platform's order API is spoken (absent: the sandbox's, built in). */
        platform?: PlatformConfig;
      };
  layers: GateLayer[];
  continueOnFailure: boolean;
  runsDir?: string;
  pushgateway?: { url: string; tokenEnv?: string };
  contracts: {
    /** The configured providers (absent: against the sandbox, its own four). */
    providers?: NonNullable<ContractsConfig['providers']>;
    pactDir: string;
    /** Run the sandbox platform's consumer specs (default: against the sandbox with no providers configured). */
    consumerSpecs: boolean;
    broker?: NonNullable<ContractsConfig['broker']>;
  };
  replay: {
    /** `raw`: `traffic` is a HAR or GoReplay recording replayed as recorded (scenarios/raw). */
    mode: 'orders' | 'raw';
    traffic?: string;
    headers: NonNullable<NonNullable<ShipgateConfig['replay']>['headers']>;
    endpoints: string[];
    orders: number;
    seed: string;
    speed: number;
    multiply: number;
    concurrency: number;
    allowHosts: string[];
    diffBudget: number;
    secondBaseline?: string;
    settleTimeoutMs: number;
  };
  scenarios: {
    run: string[];
    extra: NonNullable<NonNullable<ShipgateConfig['scenarios']>['extra']>;
    speed?: number;
    settleDays?: number;
    settleTimeoutMs: number;
    scale: number;
  };
  canary: {
    source: {
      kind: 'auto' | 'prometheus' | 'direct-scrape';
      url?: string;
      tokenEnv?: string;
      endpoints?: string[];
      matchers?: Record<string, string>;
    };
    /** The label marking the build, and the values of the canary and the baseline. */
    versions: { label: string; canary: string; baseline: string };
    /** The metrics this rollout judges (`metrics`, narrowed by `use`). */
    metrics: MetricDecl[];
    steps: number[];
    intervalMs: number;
    minStepMs: number;
    minStepSamples: number;
    maxTotalMs: number;
    alpha: number;
    judge: 'sequential' | 'threshold' | 'mann-whitney';
    minCanarySamples: number;
    /** Overrides of the sequential judge's default margins (canary/judges/config.ts). */
    margins: { events?: { relative?: number; absolute?: number }; latency?: { relative?: number } };
    inconclusive: { budget: number; policy: 'rollback' | 'hold' };
    actuator: {
      kind: ActuatorKind;
      url?: string;
      tokenEnv: string;
      rollout?: string;
      namespace?: string;
      requests?: ActuatorSpec['requests'];
      answer?: ActuatorSpec['answer'];
    };
    ordersPerSecond: number;
    blastRadius: boolean;
  };
}

const MINUTE = 60_000;

export const DEFAULT_SANDBOX_SPEED = 3600;

export function resolveConfig(config: ShipgateConfig = {}): ResolvedConfig {
  const t = config.target ?? {};
  const kind = t.kind ?? (t.canary || t.stable ? 'urls' : 'sandbox');
  const target: ResolvedConfig['target'] =
    kind === 'sandbox'
      ? {
          kind,
          speed: t.sandbox?.speed ?? DEFAULT_SANDBOX_SPEED,
          seed: t.sandbox?.seed ?? 1,
          canaryDefect: (t.sandbox?.canaryDefect ?? 'none') as DefectName,
          latency: t.sandbox?.latency ?? 'none',
        }
      : {
          kind,
          ...(t.router ? { router: t.router } : {}),
          stable: t.stable ?? '',
          canary: t.canary ?? '',
          metrics: t.metrics ?? [],
          adminTokenEnv: t.adminTokenEnv ?? 'SHIPGATE_ADMIN_TOKEN',
          ...(t.platform ? { platform: t.platform } : {}),
        };
  const c = config.contracts ?? {};
  const r = config.replay ?? {};
  const s = config.scenarios ?? {};
  const k = config.canary ?? {};
  // Keep the gate's fixed order whatever order the user listed them in.
  const wanted = new Set(config.layers ?? LAYER_NAMES);
  const candidateVersion = config.release?.candidateVersion ?? 'canary';
  const baselineVersion = config.release?.baselineVersion ?? 'stable';
  const defined =
    k.metrics === undefined || k.metrics === 'builtin' ? CATALOGUE : k.metrics.map(toMetricDecl);
  return {
    release: {
      name: config.release?.name ?? 'unnamed release',
      candidateVersion,
      baselineVersion,
      ...(config.release?.commit ? { commit: config.release.commit } : {}),
    },
    target,
    layers: LAYER_NAMES.filter((l) => wanted.has(l)),
    continueOnFailure: config.continueOnFailure ?? false,
    ...(config.runsDir ? { runsDir: config.runsDir } : {}),
    ...(config.pushgateway ? { pushgateway: config.pushgateway } : {}),
    contracts: {
      ...(c.providers ? { providers: c.providers } : {}),
      pactDir: c.pactDir ?? '.shipgate/pacts',
      // The sandbox's consumer specs write the pacts its own providers are verified against.
      consumerSpecs: c.consumerSpecs ?? (target.kind === 'sandbox' && !c.providers),
      ...(c.broker ? { broker: c.broker } : {}),
    },
    replay: {
      mode: r.mode ?? 'orders',
      ...(r.traffic ? { traffic: r.traffic } : {}),
      headers: r.headers ?? {},
      endpoints: r.endpoints ?? [],
      orders: r.orders ?? 300,
      seed: r.seed ?? 'shipgate-gate',
      // A raw recording keeps its recorded pace by default: a GET that followed a PUT
      // must not overtake it.
      speed:
        r.speed === 'max' || (r.speed === undefined && r.mode !== 'raw')
          ? Number.POSITIVE_INFINITY
          : (r.speed ?? 1),
      multiply: r.multiply ?? 1,
      concurrency: r.concurrency ?? DEFAULT_REPLAY_CONCURRENCY,
      allowHosts: r.allowHosts ?? [],
      diffBudget: r.diffBudget ?? 0.01,
      ...(r.secondBaseline ? { secondBaseline: r.secondBaseline } : {}),
      settleTimeoutMs: ms(r.settleTimeout, 60_000),
    },
    scenarios: {
      run: s.run ?? ['peak-day'],
      extra: s.extra ?? [],
      ...(s.speed ? { speed: s.speed } : {}),
      ...(s.settleDays !== undefined ? { settleDays: s.settleDays } : {}),
      settleTimeoutMs: ms(s.settleTimeout, 60_000),
      scale: s.scale ?? 1,
    },
    canary: {
      source: { kind: 'auto', ...k.source },
      versions: {
        label: k.versions?.label ?? VERSION_LABEL,
        canary: k.versions?.canary ?? candidateVersion,
        baseline: k.versions?.baseline ?? baselineVersion,
      },
      metrics: selectMetrics(defined, k.use),
      steps: k.steps ?? [10, 50, 100],
      intervalMs: ms(k.interval, 15 * MINUTE),
      minStepMs: ms(k.minStep, 60 * MINUTE),
      minStepSamples: k.minStepSamples ?? 5,
      maxTotalMs: ms(k.maxDuration, 2 * 24 * 60 * MINUTE),
      alpha: k.alpha ?? 0.05,
      judge: k.judge ?? 'sequential',
      minCanarySamples: k.minCanarySamples ?? 400,
      margins: k.margins ?? {},
      inconclusive: { budget: k.inconclusive?.budget ?? 5, policy: k.inconclusive?.policy ?? 'rollback' },
      actuator: {
        kind: k.actuator?.kind ?? 'router',
        ...(k.actuator?.url ? { url: k.actuator.url } : {}),
        tokenEnv: k.actuator?.tokenEnv ?? 'SHIPGATE_ADMIN_TOKEN',
        ...(k.actuator?.rollout ? { rollout: k.actuator.rollout } : {}),
        ...(k.actuator?.namespace ? { namespace: k.actuator.namespace } : {}),
        ...(k.actuator?.requests ? { requests: k.actuator.requests } : {}),
        ...(k.actuator?.answer ? { answer: k.actuator.answer } : {}),
      },
      ordersPerSecond: k.ordersPerSecond ?? 30,
      blastRadius: k.blastRadius ?? true,
    },
  };
}

function ms(value: number | string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  return typeof value === 'number' ? value : parseDuration(value);
}
