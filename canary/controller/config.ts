import { DEFAULT_INCONCLUSIVE_BUDGET, type InconclusiveBudgetPolicy } from '../judges/inconclusive-budget.ts';
import type { JudgeConfig } from '../judges/types.ts';

/**
 * A rollout as data: the steps, how long and how much evidence each needs, and what
 * to do when data goes missing. Every duration is on the controller's clock (virtual
 * time against the sandbox, wall time in production), so a step's "10 minutes" means
 * ten minutes of the platform's day either way.
 */
export interface RolloutConfig {
  /** Canary weights in percent, ascending; the last one is usually 100. */
  steps: readonly number[];
  /** A step lasts at least this long (ms) before the rollout may advance or promote. */
  minStepMs: number;
  /** A step needs at least this many canary orders before the rollout may advance. */
  minStepSamples: number;
  /** Past this (ms since the rollout started) without a pass, the rollout is rolled back. */
  maxTotalMs: number;
  /** Time between analyses (ms). */
  intervalMs: number;
  /** The bounded budget of inconclusive (missing-data) analyses and what happens after it. */
  inconclusive: InconclusiveBudgetPolicy;
  /** Passed to the judge (alpha, prior, minCanarySamples, ...). */
  judge: Partial<JudgeConfig>;
}

export const DEFAULT_ROLLOUT: Readonly<RolloutConfig> = Object.freeze({
  steps: Object.freeze([1, 5, 25, 50, 100]),
  minStepMs: 5 * 60_000,
  minStepSamples: 20,
  maxTotalMs: 4 * 60 * 60_000,
  intervalMs: 30_000,
  inconclusive: DEFAULT_INCONCLUSIVE_BUDGET,
  judge: Object.freeze({}),
});

export function resolveRollout(partial: Partial<RolloutConfig> = {}): RolloutConfig {
  const config: RolloutConfig = {
    ...DEFAULT_ROLLOUT,
    ...partial,
    inconclusive: { ...DEFAULT_INCONCLUSIVE_BUDGET, ...partial.inconclusive },
    judge: { ...partial.judge },
  };
  const problems: string[] = [];
  if (config.steps.length === 0) problems.push('steps: at least one step is needed');
  config.steps.forEach((w, i) => {
    if (!(w > 0 && w <= 100)) problems.push(`steps[${i}]: weight must be in (0, 100], got ${w}`);
    if (i > 0 && !(w > config.steps[i - 1]!)) problems.push(`steps[${i}]: weights must increase`);
  });
  for (const key of ['minStepMs', 'maxTotalMs', 'intervalMs'] as const) {
    if (!(config[key] >= 0) || !Number.isFinite(config[key]))
      problems.push(`${key}: must be a finite number >= 0`);
  }
  if (!(config.intervalMs > 0)) problems.push('intervalMs: must be > 0');
  if (!Number.isInteger(config.minStepSamples) || config.minStepSamples < 0)
    problems.push('minStepSamples: must be an integer >= 0');
  if (problems.length > 0) throw new RangeError(problems.join('; '));
  return config;
}

/** "10s", "5m", "250ms", "1h" or a number of milliseconds. */
export function parseDuration(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(text);
  if (!match) throw new RangeError(`not a duration: "${text}" (use e.g. 250ms, 10s, 5m, 1h)`);
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(match[2] ?? 'ms') as 'ms' | 's' | 'm' | 'h'];
  return Number(match[1]) * unit;
}

/** "1,5,25,50,100" → [1, 5, 25, 50, 100]. */
export function parseSteps(text: string): number[] {
  return text.split(',').map((part) => {
    const n = Number(part.trim());
    if (part.trim() === '' || !Number.isFinite(n))
      throw new RangeError(`not a step weight: "${part}" in "${text}"`);
    return n;
  });
}
