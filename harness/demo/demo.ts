import { shipgateError } from '../../core/errors.ts';
import { DEFECTS, isDefectName } from '../../sandbox/platform/defects.ts';
import { validateConfig } from '../config/load.ts';
import type { ResolvedConfig } from '../config/resolve.ts';
import { progressLines } from '../gate/progress.ts';
import { type GateResult, runGate } from '../gate/run.ts';

export interface DemoOptions {
  defect?: string;
  /** Virtual seconds per real second for the sandbox (default 3600: an hour a second). */
  speed?: number;
  runDir?: string;
  stream?: NodeJS.WritableStream;
  signal?: AbortSignal;
}

/**
 * The demo's compact gate: every layer, on the embedded sandbox, sized to finish in a
 * few minutes of real time on one small, shared machine:
 * - replay: a generated day of 200 orders compressed 4320× (about 15 s real);
 * - scenarios: peak-day at 1% of its volume, paced at 144× before scaling (about 15
 *   orders a second real), deliveries tracked for three virtual days, at most 25 s real;
 * - canary: steps 10 → 50 → 100%, an hour of platform time per step on the 3600× clock
 *   (a real second), 200 canary orders per leading metric before a pass can promote,
 *   rolled back if undecided after 96 virtual hours.
 */
export const DEMO_CANARY = {
  steps: [10, 50, 100],
  interval: '15m',
  minStep: '60m',
  maxDuration: '96h',
  minCanarySamples: 200,
  ordersPerSecond: 30,
} as const;

export function demoConfig(defect: string, speed = 3600): ResolvedConfig {
  return validateConfig(
    {
      release: { name: `sandbox canary (${defect === 'none' ? 'clean build' : `defect: ${defect}`})` },
      target: { kind: 'sandbox', sandbox: { speed, canaryDefect: defect, latency: 'none', seed: 7 } },
      // Stable and canary share the sandbox's one inventory: a rejection reason quoting the
      // stock left can differ in an order or two of 200, so the budget is 2% (wrong-carrier: 14%).
      replay: { orders: 200, speed: 4320, diffBudget: 0.02 },
      // Every layer runs even after one fails: the demo tells the whole story, ending in the canary's rollback.
      continueOnFailure: true,
      scenarios: { run: ['peak-day'], scale: 0.01, speed: 144, settleDays: 3, settleTimeout: '25s' },
      canary: DEMO_CANARY,
    },
    'shipgate demo',
  ).resolved;
}

export async function runDemo(options: DemoOptions = {}): Promise<GateResult> {
  const defect = options.defect ?? 'latency-under-load';
  if (!isDefectName(defect))
    throw shipgateError('SG_UNKNOWN_DEFECT', { name: defect, known: DEFECTS.map((d) => d.name).join(', ') });
  const stream = options.stream ?? process.stderr;
  const info = DEFECTS.find((d) => d.name === defect)!;
  stream.write(
    `shipgate demo: the embedded sandbox with a canary build carrying ${defect === 'none' ? 'no defect' : `the "${defect}" defect — ${info.summary}`}.\n` +
      `Expected: ${defect === 'none' ? 'every layer passes and the canary is promoted' : `caught by ${info.caughtBy}`}.\n`,
  );
  const config = demoConfig(defect, options.speed);
  const result = await runGate({
    config,
    progress: progressLines({ stream }),
    ...(options.runDir ? { runDir: options.runDir } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  return result;
}
