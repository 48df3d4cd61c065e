import { createActuator } from '../../../canary/actuators/create.ts';
import { runCanaryLayer, virtualRolloutClock } from '../../../canary/controller/index.ts';
import type { CanaryLayerResult as RunnerResult } from '../../../canary/controller/run-layer.ts';
import { DEFAULT_JUDGE_CONFIG } from '../../../canary/judges/config.ts';
import { DEFAULT_INCONCLUSIVE_BUDGET } from '../../../canary/judges/inconclusive-budget.ts';
import type { JudgeConfig } from '../../../canary/judges/types.ts';
import { usesPromql } from '../../../canary/metrics/evaluate.ts';
import { createSource } from '../../../canary/sources/create.ts';
import type { MetricSource } from '../../../canary/sources/source.ts';
import { shipgateError } from '../../../core/errors.ts';
import type { CanaryLayer } from '../../../core/report/model.ts';
import type { RunFolder } from '../../../core/run/run-folder.ts';
import { feedOrders, type OrderFeed } from '../../../scenarios/feed/steady.ts';
import type { ResolvedConfig } from '../../config/resolve.ts';
import { prometheusAvailable, startPrometheus } from '../../prometheus/start.ts';
import type { GateTarget } from '../../targets/gate-target.ts';
import type { GateProgress } from '../progress.ts';

export interface CanaryLayerResult {
  section: CanaryLayer;
  /** The runner's own result (outcome, versions, blast radius), for `canary run --config`. */
  layer: RunnerResult;
  /** Which metric source was used, in words ("Prometheus on 127.0.0.1:…", "direct scrape"). */
  source: string;
  outcome: 'promoted' | 'rolled_back' | 'held';
}

/**
 * The gate's canary layer: the harness builds what the canary runner
 * (canary/controller/run-layer.ts, also behind `shipgate canary run`) is handed — the
 * metric source (a Prometheus started on loopback for the sandbox when one is
 * installed), the actuator (the sandbox's router by default) and, against the sandbox,
 * its virtual clock and the customer traffic the gate sends itself — and the runner
 * rolls out, judges, ends in exactly one promotion or rollback (journaled in the run's
 * journal) and exports the blast radius after a rollback.
 */
export async function runCanary(
  config: ResolvedConfig,
  target: GateTarget,
  run: RunFolder,
  progress: GateProgress,
  signal?: AbortSignal,
): Promise<CanaryLayerResult> {
  const k = config.canary;
  const a = k.actuator;
  const actuator = createActuator(
    {
      kind: a.kind,
      ...(a.url || (a.kind === 'router' && target.router) ? { url: a.url ?? target.router } : {}),
      tokenEnv: a.tokenEnv,
      ...tokenFor(a, target),
      rolloutId: run.id,
      ...(a.rollout ? { rollout: a.rollout } : {}),
      ...(a.namespace ? { namespace: a.namespace } : {}),
      ...(a.requests ? { requests: a.requests } : {}),
      ...(a.answer ? { answer: a.answer } : {}),
      env: process.env,
    },
    {
      retry: { attempts: 3, baseDelayMs: 100 },
      missing: (setting, kind) =>
        shipgateMissing(
          setting === 'url' && kind === 'router'
            ? 'canary.actuator.url (or target.router)'
            : `canary.actuator.${setting}`,
        ),
    },
  );
  const source = await openSource(config, target, progress);
  let feed: OrderFeed | undefined;
  if (target.kind === 'sandbox' && target.router && target.clock) {
    const world = target.clock;
    feed = feedOrders({
      router: target.router,
      virtualNow: () => world.now(),
      perSecond: k.ordersPerSecond,
      seed: `gate-canary-${target.canaryDefect ?? 'none'}`,
    });
  }
  progress(
    `canary: rollout ${k.steps.join('% → ')}% with the ${k.judge} judge (alpha ${k.alpha}), ${source.name}${
      feed ? `, ${k.ordersPerSecond} orders/s through the router` : ''
    }`,
  );
  try {
    const result = await runCanaryLayer({
      source: source.source,
      sourceName: source.name,
      actuator,
      run,
      versions: { canary: k.versions.canary, baseline: k.versions.baseline },
      metrics: k.metrics,
      judge: k.judge,
      rollout: {
        steps: k.steps,
        intervalMs: k.intervalMs,
        minStepMs: k.minStepMs,
        minStepSamples: k.minStepSamples,
        maxTotalMs: k.maxTotalMs,
        inconclusive: {
          ...DEFAULT_INCONCLUSIVE_BUDGET,
          maxConsecutive: k.inconclusive.budget,
          onExhausted: k.inconclusive.policy,
        },
        judge: { alpha: k.alpha, minCanarySamples: k.minCanarySamples, margins: judgeMargins(k.margins) },
      },
      ...(target.clock ? { clock: virtualRolloutClock(target.clock), speed: target.clock.speed } : {}),
      ...(k.blastRadius && target.canary ? { blastRadius: { canaryUrl: target.canary } } : {}),
      // The rollout's events follow the canary layer's last `gate.layer.started`: a gate
      // resumed against a platform that outlived it (`gate.layer.resumed`) continues them
      // (exactly one promotion or rollback); one re-run against a new sandbox starts afresh.
      startAfter: (e) => e.type === 'gate.layer.started' && e.layer === 'canary',
      ...(signal ? { signal } : {}),
      progress,
      onEvent: (event) => {
        progress.canary?.(event);
        if (event.type === 'canary.actuated' && event.op === 'set-weight')
          progress(`canary: weight ${event.weight}%`);
        if (event.type === 'canary.actuated' && event.op !== 'set-weight' && event.op !== 'state')
          progress(`canary: ${event.op === 'rollback' ? 'rolled back' : 'promoted'}`);
      },
      // The customers' traffic stops with the decision, before the blast radius is read.
      afterRollout: async () => {
        await feed?.stop();
        feed = undefined;
      },
    });
    progress(`canary: ${result.outcome.outcome.replace('_', ' ')} — ${result.outcome.reason}`);
    return { section: result.section, layer: result, source: source.name, outcome: result.outcome.outcome };
  } finally {
    await feed?.stop();
    await source.stop();
  }
}

/** The admin token from the configured variable; against the sandbox, the router's own. */
function tokenFor(a: ResolvedConfig['canary']['actuator'], target: GateTarget): { token?: string } {
  const token = process.env[a.tokenEnv] ?? (a.kind === 'router' ? target.adminToken : undefined);
  return token ? { token } : {};
}

function shipgateMissing(key: string): never {
  throw shipgateError('SG_CONFIG_INVALID', { file: 'config', key, problem: 'is required for this actuator' });
}

interface OpenedSource {
  source: MetricSource;
  name: string;
  stop(): Promise<void>;
}

/** The platform's own version label and global matchers, for every query or scrape. */
const sourceLabels = (config: ResolvedConfig) => ({
  versionLabel: config.canary.versions.label,
  ...(config.canary.source.matchers ? { matchers: config.canary.source.matchers } : {}),
});

/**
 * auto: against the sandbox, a real Prometheus on loopback scraping it when one is
 * installed (stopped by pid afterwards), otherwise the direct-scrape source; against a
 * platform you run, direct scrape of target.metrics unless a Prometheus URL is given.
 */
async function openSource(
  config: ResolvedConfig,
  target: GateTarget,
  progress: GateProgress,
): Promise<OpenedSource> {
  const s = config.canary.source;
  const endpoints = s.endpoints ?? target.metrics;
  if (!(s.url && s.kind !== 'direct-scrape')) {
    if (s.kind === 'auto' && target.kind === 'sandbox') {
      if (await prometheusAvailable()) {
        const prom = await startPrometheus({
          targets: endpoints.map((t) => new URL(t).host),
          scrapeIntervalMs: 1000,
        });
        try {
          await waitForScrapes(prom.url, endpoints.length);
        } catch (error) {
          await prom.stop();
          throw error;
        }
        progress(
          `canary: metric source — a real Prometheus (pid ${prom.pid}) on ${prom.url}, scraping the sandbox`,
        );
        return {
          source: createSource({
            kind: 'prometheus',
            url: prom.url,
            retry: { timeoutMs: 1000, attempts: 2, totalMs: 2000 },
            ...sourceLabels(config),
          }),
          name: `prometheus ${prom.url} (started by shipgate, pid ${prom.pid})`,
          stop: () => prom.stop(),
        };
      }
      progress('canary: metric source — direct scrape (no Prometheus installed)');
    } else if (s.kind !== 'prometheus') {
      progress('canary: metric source — direct scrape of the /metrics endpoints');
    }
  }
  return configuredSource(config, endpoints);
}

/**
 * What a platform you run is read from: the config's Prometheus (canary.source.url), or
 * direct scrape of `endpoints`, with the config's version label and matchers. Also the
 * source of `shipgate canary judge | serve --config`.
 */
export function configuredSource(config: ResolvedConfig, endpoints: readonly string[]): OpenedSource {
  const s = config.canary.source;
  if (s.url && s.kind !== 'direct-scrape') {
    const bearerToken = s.tokenEnv ? process.env[s.tokenEnv] : undefined;
    return {
      source: createSource({
        kind: 'prometheus',
        url: s.url,
        ...(bearerToken ? { bearerToken } : {}),
        ...sourceLabels(config),
      }),
      name: `prometheus ${s.url}`,
      stop: async () => {},
    };
  }
  if (endpoints.length === 0)
    throw shipgateError('SG_CONFIG_INVALID', {
      file: 'config',
      key: 'canary.source',
      problem:
        'no metric source: set canary.source.url (Prometheus) or target.metrics / canary.source.endpoints',
    });
  const templated = config.canary.metrics.find(usesPromql);
  if (templated)
    throw shipgateError('SG_CONFIG_INVALID', {
      file: 'config',
      key: 'canary.source',
      problem: `metric "${templated.id}" is a PromQL template, which the direct-scrape source cannot run: set canary.source.url (Prometheus)`,
    });
  return {
    source: createSource({ kind: 'direct-scrape', endpoints: [...endpoints], ...sourceLabels(config) }),
    name: 'direct-scrape',
    stop: async () => {},
  };
}

/** Before Prometheus's first scrapes every query is empty, which the gate rightly counts as missing data. */
async function waitForScrapes(url: string, targets: number): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent('up == 1')}`);
      const body = (await res.json()) as { data?: { result?: unknown[] } };
      if ((body.data?.result?.length ?? 0) >= targets) return;
    } catch {
      // not ready yet
    }
    if (Date.now() > deadline)
      throw shipgateError('SG_UPSTREAM_UNAVAILABLE', {
        service: 'Prometheus',
        url,
        reason: 'it did not scrape the sandbox within 15 s',
      });
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The config's margin overrides over the judge's defaults, per kind. */
export function judgeMargins(m: ResolvedConfig['canary']['margins']): JudgeConfig['margins'] {
  const d = DEFAULT_JUDGE_CONFIG.margins;
  return { events: { ...d.events, ...m.events }, latency: { ...d.latency, ...m.latency } };
}
