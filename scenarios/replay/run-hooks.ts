import type { RunFolder } from '../../core/run/run-folder.ts';

/** What a replay run tells its caller, whatever it replays (orders, or raw HTTP requests). */
export interface RunHooks<Format, Progress> {
  /** Called once the folder exists and before anything is sent. */
  onStart?: (info: { run: RunFolder; format: Format }) => void | Promise<void>;
  /** The candidate's running totals. */
  onProgress?: (progress: Progress) => void;
  signal?: AbortSignal;
  /** The section's summary when the run was interrupted (default: no verdict). */
  interruptedSummary?: (run: RunFolder) => string;
}
