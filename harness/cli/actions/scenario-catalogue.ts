import type { Scenario } from '../../../scenarios/catalogue/scenario.ts';
import { exportK6 } from '../../../scenarios/k6/export.ts';
import { k6ShapeOf } from '../../../scenarios/k6/shape.ts';
import { expectedOrders } from '../../../scenarios/load/profile.ts';
import { sandboxPlatform } from '../../../scenarios/platform/sandbox.ts';
import { scenarioOrders } from '../../../scenarios/run/orders.ts';
import { allScenarios, findScenario } from '../../../scenarios/run/select.ts';
import { loadConfig } from '../../config/load.ts';
import { configuredPlatform } from '../../targets/platform.ts';
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
  config?: string;
  target?: string;
  scale: number;
  seed?: string;
  json?: boolean;
}

export async function exportScenario(name: string, options: ExportFlags, extra?: Scenario[]): Promise<void> {
  const loaded = options.config ? await loadConfig({ file: options.config }) : undefined;
  const configured = loaded?.resolved.target;
  const s = findScenario(name, [
    ...(extra ?? []),
    ...((loaded?.resolved.scenarios.extra ?? []) as unknown as Scenario[]),
  ]);
  const orders = scenarioOrders({ load: s.load, seed: options.seed ?? s.name, scale: options.scale });
  const target =
    options.target ?? (configured?.kind === 'urls' ? configured.canary : 'http://127.0.0.1:8080');
  const platform = loaded ? await configuredPlatform(loaded.resolved) : sandboxPlatform;
  const { files, requests } = await exportK6(s, orders, options.k6, { target, shape: k6ShapeOf(platform) });
  output(options.json, { scenario: s.name, orders: orders.length, requests, files }, () =>
    [
      `wrote ${files.script}, ${files.requests} (${requests} requests from ${orders.length} orders), ${files.testRun}`,
      `run: cd ${options.k6} && k6 run script.ts; then: shipgate scenario import-k6 ${options.k6}/summary.json --exit-code $?`,
    ].join('\n'),
  );
}
