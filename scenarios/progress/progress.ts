import cliProgress from 'cli-progress';
import type { ReplayProgress } from '../replay/types.ts';

/**
 * Replay progress for people and for CI logs. On a terminal: a cli-progress bar with
 * rate and ETA. Elsewhere (not a TTY, or `CI` set): one plain line every `intervalMs`,
 * because redrawn bars turn into thousands of lines in a CI log.
 *
 * Only counts are ever printed: no order ids, no order content, so no PII.
 */
export type ProgressMode = 'bar' | 'lines' | 'off';

export interface ProgressReporter {
  update(progress: ReplayProgress): void;
  stop(final?: ReplayProgress): void;
}

export interface ProgressOptions {
  stream?: NodeJS.WritableStream & { isTTY?: boolean };
  /** Lines in the input, when known (the ETA needs it). */
  total?: number;
  mode?: ProgressMode;
  /** Plain-line mode: print at most this often (default 5000 ms). */
  intervalMs?: number;
  label?: string;
  env?: NodeJS.ProcessEnv;
}

export function progressMode(
  stream: { isTTY?: boolean },
  env: NodeJS.ProcessEnv = process.env,
): ProgressMode {
  return stream.isTTY && !env.CI ? 'bar' : 'lines';
}

export function createProgress(options: ProgressOptions = {}): ProgressReporter {
  const stream = options.stream ?? process.stderr;
  const mode = options.mode ?? progressMode(stream, options.env);
  const label = options.label ?? 'replay';
  if (mode === 'off') return { update() {}, stop() {} };
  if (mode === 'bar' && options.total !== undefined) return barReporter(stream, options.total, label);
  return lineReporter(stream, options.total, label, options.intervalMs ?? 5000);
}

function done(p: ReplayProgress): number {
  return p.lines.sent + p.lines.failed + p.lines.quarantined;
}

/** "replay: 1200/6000 lines (20%), 350/s, ETA 14s · sent 1190, failed 2, quarantined 8, in flight 12" */
export function formatProgressLine(p: ReplayProgress, total: number | undefined, label = 'replay'): string {
  const count = done(p);
  const seconds = p.elapsedMs / 1000;
  const rate = seconds > 0 ? count / seconds : 0;
  const parts = [`${label}: ${count}${total !== undefined ? `/${total}` : ''} lines`];
  if (total) parts[0] += ` (${Math.floor((100 * count) / total)}%)`;
  parts.push(`${rate.toFixed(rate < 10 ? 1 : 0)}/s`);
  if (total !== undefined && rate > 0) parts.push(`ETA ${formatDuration(Math.max(0, total - count) / rate)}`);
  const tail = `sent ${p.lines.sent}, failed ${p.lines.failed}, quarantined ${p.lines.quarantined}, in flight ${p.inFlight}`;
  return `${parts.join(', ')} · ${tail}${p.orders.lost ? `, lost ${p.orders.lost}` : ''}`;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

function lineReporter(
  stream: NodeJS.WritableStream,
  total: number | undefined,
  label: string,
  intervalMs: number,
): ProgressReporter {
  let latest: ReplayProgress | undefined;
  let printed: ReplayProgress | undefined;
  const print = () => {
    if (latest && latest !== printed) {
      stream.write(`${formatProgressLine(latest, total, label)}\n`);
      printed = latest;
    }
  };
  const timer = setInterval(print, intervalMs);
  timer.unref();
  return {
    update(p) {
      latest = p;
    },
    stop(final) {
      clearInterval(timer);
      if (final) latest = final;
      print();
    },
  };
}

function barReporter(stream: NodeJS.WritableStream, total: number, label: string): ProgressReporter {
  const bar = new cliProgress.SingleBar(
    {
      stream: stream as NodeJS.WriteStream,
      format: `${label} {bar} {percentage}% | {value}/{total} lines | {rate}/s | ETA {eta_formatted} | failed {failed} · quarantined {quarantined} · in flight {inFlight}`,
      hideCursor: true,
      etaBuffer: 100,
      fps: 5,
      noTTYOutput: false,
    },
    cliProgress.Presets.shades_classic,
  );
  const payload = (p?: ReplayProgress) => ({
    rate: p && p.elapsedMs > 0 ? Math.round(done(p) / (p.elapsedMs / 1000)) : 0,
    failed: p?.lines.failed ?? 0,
    quarantined: p?.lines.quarantined ?? 0,
    inFlight: p?.inFlight ?? 0,
  });
  bar.start(total, 0, payload());
  return {
    update(p) {
      bar.update(done(p), payload(p));
    },
    stop(final) {
      if (final) bar.update(done(final), payload(final));
      bar.stop();
    },
  };
}
