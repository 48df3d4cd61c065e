import { type LoadProfile, segments } from '../load/profile.ts';

/**
 * A load profile as k6 `ramping-arrival-rate` stages. k6 ramps linearly between stage
 * targets, so each piecewise-constant segment becomes a short ramp to its rate and a
 * hold; rates are per real minute (`timeUnit: '1m'`) because k6 targets are integers
 * and a per-second unit would round slow hours to zero.
 */
export interface K6Stage {
  duration: string;
  target: number;
}

export interface K6Load {
  executor: 'constant-arrival-rate' | 'ramping-arrival-rate';
  timeUnit: '1m';
  startRate: number;
  stages: K6Stage[];
  /** Expected iterations over the whole run, for checks. */
  expectedOrders: number;
  peakPerMinute: number;
  realSeconds: number;
}

const RAMP_SECONDS = 1;

export function k6Load(profile: LoadProfile, speed: number): K6Load {
  const parts = segments(profile).map((s) => ({
    seconds: (s.hours * 3600) / speed,
    perMinute: Math.round((s.ordersPerHour * speed) / 60),
  }));
  const realSeconds = parts.reduce((sum, p) => sum + p.seconds, 0);
  const expectedOrders = parts.reduce((sum, p) => sum + (p.perMinute * p.seconds) / 60, 0);
  const peakPerMinute = Math.max(...parts.map((p) => p.perMinute));
  const flat = parts.every((p) => p.perMinute === parts[0]!.perMinute);
  if (flat) {
    return {
      executor: 'constant-arrival-rate',
      timeUnit: '1m',
      startRate: parts[0]!.perMinute,
      stages: [{ duration: seconds(realSeconds), target: parts[0]!.perMinute }],
      expectedOrders,
      peakPerMinute,
      realSeconds,
    };
  }
  const stages = parts.flatMap((p) =>
    p.seconds > RAMP_SECONDS * 2
      ? [
          { duration: seconds(RAMP_SECONDS), target: p.perMinute },
          { duration: seconds(p.seconds - RAMP_SECONDS), target: p.perMinute },
        ]
      : [{ duration: seconds(p.seconds), target: p.perMinute }],
  );
  return {
    executor: 'ramping-arrival-rate',
    timeUnit: '1m',
    startRate: parts[0]!.perMinute,
    stages,
    expectedOrders,
    peakPerMinute,
    realSeconds,
  };
}

function seconds(s: number): string {
  return `${Math.max(1, Math.round(s))}s`;
}
