import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ReplayProgress } from '../replay/types.ts';
import { createProgress, formatDuration, formatProgressLine, progressMode } from './progress.ts';

function snapshot(sent: number, elapsedMs: number): ReplayProgress {
  return {
    lines: { read: sent + 3, sent, failed: 1, quarantined: 2, late: 0, resumed: 0 },
    orders: {
      attempted: sent + 1,
      accepted: sent,
      duplicates: 0,
      failed: 1,
      retried: 0,
      confirmed: 0,
      lost: 0,
    },
    inFlight: 4,
    elapsedMs,
  };
}

function capture(isTTY: boolean) {
  const stream = Object.assign(new PassThrough(), { isTTY, columns: 160 });
  let text = '';
  stream.on('data', (chunk) => {
    text += chunk.toString();
  });
  return { stream, text: () => text };
}

describe('progress', () => {
  it('chooses a bar only on a terminal outside CI', () => {
    expect(progressMode({ isTTY: true }, {})).toBe('bar');
    expect(progressMode({ isTTY: true }, { CI: 'true' })).toBe('lines');
    expect(progressMode({ isTTY: false }, {})).toBe('lines');
  });

  it('formats rate and ETA from counts only', () => {
    const line = formatProgressLine(snapshot(97, 10_000), 600);
    expect(line).toBe(
      'replay: 100/600 lines (16%), 10/s, ETA 50s · sent 97, failed 1, quarantined 2, in flight 4',
    );
    expect(formatDuration(3725)).toBe('1h02m');
    expect(formatDuration(75)).toBe('1m15s');
  });

  it('prints plain periodic lines when not a TTY, and a final line on stop', async () => {
    const out = capture(false);
    const progress = createProgress({ stream: out.stream, total: 600, intervalMs: 20, env: {} });
    progress.update(snapshot(10, 1000));
    await new Promise((resolve) => setTimeout(resolve, 60));
    progress.stop(snapshot(597, 2000));
    const lines = out.text().trim().split('\n');
    expect(lines[0]).toMatch(/^replay: 13\/600 lines/);
    expect(lines.at(-1)).toMatch(/^replay: 600\/600 lines \(100%\)/);
    expect(out.text()).not.toContain('\x1b[');
  });

  it('draws a bar on a TTY', () => {
    const out = capture(true);
    const progress = createProgress({ stream: out.stream, total: 600, env: {} });
    progress.update(snapshot(297, 1000));
    progress.stop(snapshot(597, 2000));
    expect(out.text()).toContain('600/600 lines');
  });
});
