import type { Scenario } from '../../../scenarios/catalogue/scenario.ts';
import { exportK6 } from '../../../scenarios/k6/export.ts';
import { k6ShapeOf } from '../../../scenarios/k6/shape.ts';
import { expectedOrders } from '../../../scenarios/load/profile.ts';
import { sandboxPlatform } from '../../../scenarios/platform/sandbox.ts';
import { scenarioOrders } from '../../../scenarios/run/orders.ts';
import { allScenarios, findScenario } from '../../../scenarios/run/select.ts';
import { output } from '../run-command.ts';

/** `scenario list` and `scenario export`: the catalogue and its k6 export, without loading a target. */
export function listScenarios(options: { json?: boolean }, extra?: Scenario[]): void {
  const list = allScenarios(extra);
  output(options.json, list, () =>
    list
      .map(
        (s) =>
          `${s.name.padEnd(20)} ${String(Math.round(expectedOrders(s.load))).padStart(6)} orders  ${s.description}`,
      )
      .join('\n'),
  );
}

export interface ExportFlags {
  k6: string;
  target: string;
  scale: number;
  seed?: string;
  json?: boolean;
}

export async function exportScenario(name: string, options: ExportFlags, extra?: Scenario[]): Promise<void> {
  const s = findScenario(name, extra);
  const orders = scenarioOrders({ load: s.load, seed: options.seed ?? s.name, scale: options.scale });
  const { files, requests } = await exportK6(s, orders, options.k6, {
    target: options.target,
    shape: k6ShapeOf(sandboxPlatform),
  });
  output(options.json, { scenario: s.name, orders: orders.length, requests, files }, () =>
    [
      `wrote ${files.script}, ${files.requests} (${requests} requests from ${orders.length} orders), ${files.testRun}`,
      `run: cd ${options.k6} && k6 run script.ts; then: shipgate scenario import-k6 ${options.k6}/summary.json --exit-code $?`,
    ].join('\n'),
  );
}
