import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseExposition, type Sample } from '../../canary/sources/exposition.ts';
import type { Order } from '../../contracts/domain/order.ts';
import { replay } from '../../scenarios/replay/replayer.ts';
import type { ReplayResult } from '../../scenarios/replay/types.ts';
import type { TrafficRecord } from '../../scenarios/traffic/record.ts';

/**
 * Test helpers that drive a sandbox world the way users do: orders go through the
 * real replayer (clock shift, idempotency keys, reconciliation), metrics are read from
 * the services' real /metrics endpoints.
 */
export async function replayOrders(
  target: string,
  orders: Iterable<Order>,
  options: { settleTimeoutMs?: number } = {},
): Promise<ReplayResult> {
  async function* records(): AsyncIterable<TrafficRecord> {
    let line = 0;
    for (const order of orders) yield { kind: 'order', line: ++line, order };
  }
  return replay({
    records: records(),
    target,
    resultsFile: join(mkdtempSync(join(tmpdir(), 'sg-replay-')), 'results.jsonl'),
    settleTimeoutMs: options.settleTimeoutMs ?? 20_000,
    pollIntervalMs: 100,
  });
}

export async function scrape(url: string): Promise<Sample[]> {
  const response = await fetch(url);
  return parseExposition(await response.text());
}

/** Sum of a series' samples for one version, optionally narrowed by labels. */
export function total(
  samples: Sample[],
  name: string,
  version: string,
  labels: Record<string, string> = {},
): number {
  return samples
    .filter(
      (s) =>
        s.name === name &&
        s.labels.version === version &&
        Object.entries(labels).every(([k, v]) => s.labels[k] === v),
    )
    .reduce((sum, s) => sum + s.value, 0);
}

/** Polls `check` until it returns true or `timeoutMs` passes. */
export async function eventually(
  check: () => Promise<boolean>,
  timeoutMs: number,
  everyMs = 100,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  return check();
}
