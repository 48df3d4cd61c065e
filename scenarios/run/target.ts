import type { PlatformAdapter } from '../platform/types.ts';
import type { AdminTarget } from './faults.ts';

/**
 * Where a scenario runs: the platform's order API (the router or one build), how it is
 * spoken (its adapter: orders sent, outcomes read, its clock), and the fault admin APIs
 * that take faults. A staging platform is one; the embedded sandbox is another, started
 * by the harness (harness/targets/sandbox-scenario.ts) when the runner asks for it.
 */
export interface ScenarioTarget {
  /** The platform's base URL: its adapter's paths are relative to it. */
  url: string;
  description?: string;
  /** How the platform's order API is spoken; default the sandbox's built-in adapter. */
  platform?: PlatformAdapter;
  /** Needed only by scenarios that inject faults (the sandbox's fault admin API). */
  admin?: AdminTarget;
  /** Hosts besides loopback the replayer may send to. */
  allowHosts?: string[];
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
