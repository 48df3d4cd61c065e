import { isShipgateError } from '../../core/errors.ts';
import { ExitCode } from '../../core/exit-codes.ts';

/**
 * Wraps a command's action: its resolved value is the exit code; a ShipgateError
 * prints its code and message and exits with its catalogued exit code; anything else
 * is an infrastructure failure (exit 3) with the stack, because that is a shipgate bug
 * or an outage, never a verdict.
 */
// biome-ignore lint/suspicious/noConfusingVoidType: actions that print and return nothing are Promise<void>, which `undefined` does not accept
export function action<A extends unknown[]>(run: (...args: A) => Promise<ExitCode | undefined | void>) {
  return async (...args: A): Promise<void> => {
    try {
      const code = await run(...args);
      process.exitCode = code ?? ExitCode.Pass;
    } catch (error) {
      if (isShipgateError(error)) {
        process.stderr.write(`shipgate: ${error.code}: ${error.message}\n`);
        process.exitCode = error.exitCode;
      } else {
        process.stderr.write(
          `shipgate: unexpected failure: ${error instanceof Error ? error.stack : String(error)}\n`,
        );
        process.exitCode = ExitCode.Inconclusive;
      }
    }
  };
}

/** Prints data as JSON (for `--json`) or as the command's human-readable lines. */
export function output(json: boolean | undefined, data: unknown, human: () => string): void {
  process.stdout.write(json ? `${JSON.stringify(data, null, 2)}\n` : `${human()}\n`);
}
