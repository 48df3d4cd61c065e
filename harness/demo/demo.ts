import { validateConfig } from '../config/load.ts';
import type { ResolvedConfig } from '../config/resolve.ts';
import { shipgateError } from '../errors.ts';
import { progressLines } from '../gate/progress.ts';
import { type GateResult, runGate } from '../gate/run.ts';
import { DEFECTS, isDefectName } from '../sandbox/platform/defects.ts';

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
 * few minutes of real time on one small machine. The replay sends a generated day of
 * 200 orders as fast as allowed; the scenario is the peak day at a tenth of its volume
 * (same real order rate), tracking deliveries for two virtual days; the canary steps 10 → 50 → 100% with an hour of platform
 * time per step (a second of real time at 3600×).
 */
export function demoConfig(defect: string, speed = 3600): ResolvedConfig {
  return validateConfig(
    {
      release: { name: `sandbox canary (${defect === 'none' ? 'clean build' : `defect: ${defect}`})` },
      target: { kind: 'sandbox', sandbox: { speed, canaryDefect: defect, latency: 'none', seed: 7 } },
      replay: { orders: 200, speed: 'max' },
      // Every layer runs even after one fails: the demo tells the whole story, ending in the canary's rollback.
      continueOnFailure: true,
      scenarios: { run: ['peak-day'], scale: 0.1, settleDays: 2, settleTimeout: '20s' },
      canary: { steps: [10, 50, 100], interval: '15m', minStep: '60m', ordersPerSecond: 30 },
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
