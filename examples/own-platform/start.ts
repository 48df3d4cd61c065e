import { parseArgs } from 'node:util';
import { DEFECTS, type DefectName, isDefectName } from './defects.ts';

/**
 * npx tsx examples/own-platform/start.ts [--defect NAME]… [--time-scale N] [--seed N]
 *   [--next-percent P] [--ops-key KEY]
 *
 * Starts the platform, prints one JSON line with every URL and key when ready, and stops
 * every server on SIGINT or SIGTERM. The ops key may also come from KESTREL_OPS_KEY.
 */
const STOP_WITHIN_MS = 10_000;

function fail(message: string): never {
  console.error(`start.ts: ${message}`);
  process.exit(2);
}

function numberFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) fail(`--${name} must be a positive number, got "${value}"`);
  return n;
}

function flags() {
  try {
    return parseArgs({
      options: {
        defect: { type: 'string', multiple: true },
        'time-scale': { type: 'string' },
        seed: { type: 'string' },
        'next-percent': { type: 'string' },
        'ops-key': { type: 'string' },
      },
      strict: true,
    }).values;
  } catch (error) {
    return fail((error as Error).message);
  }
}
const values = flags();

const defects = (values.defect ?? []).map((name): DefectName => {
  if (!isDefectName(name)) fail(`unknown defect "${name}"; known: ${Object.keys(DEFECTS).join(', ')}`);
  return name;
});
const nextPercent = values['next-percent'] === undefined ? undefined : Number(values['next-percent']);
if (nextPercent !== undefined && !(Number.isInteger(nextPercent) && nextPercent >= 0 && nextPercent <= 100)) {
  fail(`--next-percent must be an integer 0..100, got "${values['next-percent']}"`);
}
const timeScale = numberFlag('time-scale', values['time-scale']);
const seed = numberFlag('seed', values.seed);
const opsKey = values['ops-key'] ?? process.env.KESTREL_OPS_KEY;

// Loaded after the flags are checked: a refusal answers without loading the servers.
const { startPlatform } = await import('./platform.ts');
const platform = await startPlatform({
  defects,
  ...(timeScale === undefined ? {} : { timeScale }),
  ...(seed === undefined ? {} : { seed }),
  ...(nextPercent === undefined ? {} : { nextPercent }),
  ...(opsKey ? { opsKey } : {}),
});

console.log(
  JSON.stringify({
    ready: true,
    pid: process.pid,
    ...platform.urls,
    opsKey: platform.opsKey,
    depotToken: platform.depotToken,
    timeScale: platform.timeScale,
    defects: platform.defects,
  }),
);

let stopping = false;
const shutdown = (signal: string) => {
  if (stopping) return;
  stopping = true;
  const deadline = setTimeout(() => {
    console.error(`start.ts: not stopped within ${STOP_WITHIN_MS} ms after ${signal}`);
    process.exit(1);
  }, STOP_WITHIN_MS);
  deadline.unref();
  platform.stop().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(`start.ts: stopping failed: ${String(error)}`);
      process.exit(1);
    },
  );
};
process.once('SIGINT', () => shutdown('SIGINT'));
process.once('SIGTERM', () => shutdown('SIGTERM'));
