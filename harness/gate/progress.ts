import cliProgress from 'cli-progress';
import type { RunEvents } from '../telemetry/record.ts';

/**
 * The gate's progress: one plain line per phase (CI logs read well), written to stderr
 * so `--json` on stdout stays machine-readable; on a terminal, a bar of the layers
 * under the lines. Silent when `quiet`.
 *
 * Besides lines, the layers report structured progress through the optional RunEvents
 * hooks (a layer's section, replay and scenario totals, canary events); shipgate's own
 * metrics listen there (`withEvents`).
 */
export interface GateProgress extends Partial<RunEvents> {
  (line: string): void;
  /** A layer starts: `index` of `total` layers to run. */
  layer?(index: number, total: number, name: string): void;
  /** The gate is done: remove the bar. */
  stop?(): void;
}

export function progressLines(
  options: { quiet?: boolean; stream?: NodeJS.WritableStream & { isTTY?: boolean } } = {},
): GateProgress {
  const stream = options.stream ?? process.stderr;
  const started = Date.now();
  const stamp = (line: string) => `[${((Date.now() - started) / 1000).toFixed(1).padStart(6)}s] ${line}`;
  if (options.quiet) return () => {};
  if (!stream.isTTY) {
    return (line: string) => {
      stream.write(`${stamp(line)}\n`);
    };
  }
  const bars = new cliProgress.MultiBar(
    {
      stream: stream as NodeJS.WritableStream,
      format: ' gate [{bar}] {value}/{total} layers · {layer} · {duration_formatted}',
      hideCursor: true,
      clearOnComplete: true,
      barsize: 24,
    },
    cliProgress.Presets.shades_classic,
  );
  let bar: cliProgress.SingleBar | undefined;
  const progress: GateProgress = (line: string) => bars.log(`${stamp(line)}\n`);
  progress.layer = (index, total, name) => {
    bar ??= bars.create(total, 0, { layer: name });
    bar.update(index, { layer: name });
  };
  progress.stop = () => {
    bar?.update(bar.getTotal(), { layer: 'done' });
    bars.stop();
  };
  return progress;
}

/** The same progress, with `events` hooked in as well (both are called). */
export function withEvents(progress: GateProgress, events: RunEvents | undefined): GateProgress {
  if (!events) return progress;
  const both: GateProgress = (line: string) => progress(line);
  if (progress.layer) both.layer = (...args) => progress.layer?.(...args);
  if (progress.stop) both.stop = () => progress.stop?.();
  const keys = Object.keys(events) as (keyof RunEvents)[];
  for (const key of keys) {
    const theirs = events[key] as (...args: unknown[]) => void;
    const ours = progress[key] as ((...args: unknown[]) => void) | undefined;
    (both as unknown as Record<string, unknown>)[key] = (...args: unknown[]) => {
      ours?.(...args);
      theirs(...args);
    };
  }
  return both;
}
