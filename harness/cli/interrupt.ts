/**
 * Ctrl-C and SIGTERM for commands that do long work: the work gets an AbortSignal the
 * first signal aborts (it stops, cleans up what it started and reports "interrupted");
 * a second signal quits at once. The listeners are removed however the work ends.
 */
export async function withInterrupt<T>(
  work: (signal: AbortSignal) => Promise<T>,
  /** What an interrupted run ends in instead of the error the abort caused (default: that error). */
  interrupted?: () => T,
): Promise<T> {
  const stop = new AbortController();
  const onSignal = () => {
    if (stop.signal.aborted) process.exit(130);
    process.stderr.write(
      '\ninterrupted: stopping and cleaning up what shipgate started (Ctrl-C again to quit now)\n',
    );
    stop.abort(new Error('interrupted'));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await work(stop.signal);
  } catch (error) {
    if (!stop.signal.aborted || !interrupted) throw error;
    return interrupted();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/** Resolves at the first Ctrl-C or SIGTERM (servers that run until stopped). */
export function untilInterrupted(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
