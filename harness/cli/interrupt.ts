/**
 * Ctrl-C and SIGTERM for commands that do long work: the work gets an AbortSignal the
 * first signal aborts, and the listeners are removed however the work ends.
 */
export async function withInterrupt<T>(
  work: (signal: AbortSignal) => Promise<T>,
  /** What an interrupted run ends in instead of the error the abort caused. */
  interrupted: () => T,
): Promise<T> {
  const stop = new AbortController();
  const onSignal = () => stop.abort(new Error('interrupted'));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await work(stop.signal);
  } catch (error) {
    if (!stop.signal.aborted) throw error;
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
