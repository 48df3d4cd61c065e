/** Exit codes, as in the design: CI pipelines branch on them. */
export const ExitCode = {
  /** Pass: the release may go ahead. */
  Pass: 0,
  /** The gate failed: release blocked or rolled back. */
  GateFailed: 1,
  /** Usage or configuration error: the command could not start. */
  Usage: 2,
  /** Inconclusive, or an infrastructure failure: no verdict could be reached. */
  Inconclusive: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
