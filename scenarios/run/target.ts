import type { MetricSource } from '../../canary/sources/source.ts';
import type { AdminTarget } from './faults.ts';

/**
 * Where a scenario runs: the platform's order API (the router or one build), where its
 * metrics come from (direct scrape by default, or Prometheus), and the admin APIs that
 * take faults. The embedded sandbox is one (sandbox.ts); a staging platform is another.
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
