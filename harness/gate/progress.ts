/**
 * The gate's progress: one plain line per phase (CI logs read well), written to stderr
 * so `--json` on stdout stays machine-readable. Silent when `quiet`.
 */
export type GateProgress = (line: string) => void;

export function progressLines(
  options: { quiet?: boolean; stream?: NodeJS.WritableStream } = {},
): GateProgress {
  const stream = options.stream ?? process.stderr;
  const started = Date.now();
  return (line) => {
    if (options.quiet) return;
    const seconds = ((Date.now() - started) / 1000).toFixed(1).padStart(6);
    stream.write(`[${seconds}s] ${line}\n`);
  };
}
