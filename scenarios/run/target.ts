import type { MetricSource } from '../../canary/sources/source.ts';
import type { AdminTarget } from './faults.ts';

/**
 * Where a scenario runs: the platform's order API (the router or one build), where its
 * metrics come from (direct scrape by default, or Prometheus), and the admin APIs that
 * take faults. A staging platform is one; the embedded sandbox is another, started by
 * the harness (harness/targets/sandbox-scenario.ts) when the runner asks for it.
 */
export interface ScenarioTarget {
  /** Platform base URL (contracts/platform/api.ts). */
  url: string;
  description?: string;
  source: MetricSource;
  /** The `version` label value of the build under test in the metrics; default the version run. */
  metricsVersion?: string;
  /** Needed only by scenarios that inject faults. */
  admin?: AdminTarget;
  /** Hosts besides loopback the replayer may send to. */
  allowHosts?: string[];
  /**
   * Real ms to wait before the final metrics snapshot, so Prometheus has scraped the
   * end of the run (a scrape interval or two). Default 0 (direct scrape reads live values).
   */
  finalScrapeDelayMs?: number;
}

/** A target the runner starts for one run (and stops after it), once it knows the run's pace. */
export interface OwnedTarget extends ScenarioTarget {
  stop(): Promise<void>;
}

export interface TargetPlan {
  /** Virtual seconds per real second the run needs. */
  speed: number;
  version: 'stable' | 'canary';
  /** Virtual epoch ms the target's clock should show `leadMs` from now. */
  virtualStartMs: number;
  /** Real ms the target has to come up before its clock reaches `virtualStartMs`. */
  leadMs: number;
}

/**
 * How a scenario is handed its target: one already running, or a way to start one at
 * the run's pace (the sandbox's clock must start at the scenario's window). Either way
 * the layer never starts a platform of its own accord.
 */
export type TargetSpec = ScenarioTarget | ((plan: TargetPlan) => Promise<OwnedTarget>);
