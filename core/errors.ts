import { ExitCode } from './exit-codes.ts';

/**
 * The one catalogue of shipgate's user-facing errors (as fastify's lib/errors.js):
 * each has a stable code, a message template and the exit code it ends a command with.
 * The README's "Errors" table lists them; add new ones here, never inline.
 *
 * Templates name their parameters in braces; a message names the file, line and
 * field whenever the error is about input.
 */
const catalogue = {
  SG_USAGE: { exit: ExitCode.Usage, template: '{message}' },
  SG_CONFIG_NOT_FOUND: { exit: ExitCode.Usage, template: 'config file {file} not found' },
  SG_CONFIG_INVALID: { exit: ExitCode.Usage, template: '{file}: {key}: {problem}' },
  SG_INPUT_INVALID: { exit: ExitCode.Usage, template: '{file}:{line}: {field}: {problem}' },
  SG_PLATFORM_ADAPTER_INVALID: {
    exit: ExitCode.Usage,
    template: 'platform adapter {source}: {key}: {problem}',
  },
  SG_FILE_UNREADABLE: { exit: ExitCode.Usage, template: 'cannot read {file}: {reason}' },
  SG_FILE_UNWRITABLE: { exit: ExitCode.Inconclusive, template: 'cannot write {file}: {reason}' },
  SG_SCRUB_KEY_MISSING: {
    exit: ExitCode.Usage,
    template:
      'SHIPGATE_SCRUB_KEY {problem}; set it to a secret of at least 16 characters (e.g. `openssl rand -hex 32`)',
  },
  SG_RUN_DIR_UNWRITABLE: {
    exit: ExitCode.Inconclusive,
    template: 'cannot write the run folder {dir}: {reason}',
  },
  SG_RUN_DIR_IN_USE: {
    exit: ExitCode.Usage,
    template: '{dir} already holds a run ({found}); continue it with --resume {dir}, or choose another --out',
  },
  SG_NOTHING_TO_RESUME: { exit: ExitCode.Usage, template: 'cannot resume {dir}: {reason}' },
  SG_RESUME_MISMATCH: {
    exit: ExitCode.Usage,
    template: 'cannot resume {dir} with this config: {differences}; resume with the config it started with',
  },
  SG_UNKNOWN_DEFECT: { exit: ExitCode.Usage, template: 'unknown defect "{name}"; known defects: {known}' },
  SG_UNKNOWN_SCENARIO: {
    exit: ExitCode.Usage,
    template: 'unknown scenario "{name}"; known scenarios: {known}',
  },
  SG_SCENARIO_FAULTS_UNSUPPORTED: {
    exit: ExitCode.Usage,
    template:
      'scenario {scenario} injects faults through the fault admin API ({faults}), and {target} has none for {missing}; run it against the embedded sandbox, point --admin SERVICE=URL at services that serve that API, or choose a scenario without faults',
  },
  SG_TARGET_NOT_ALLOWED: {
    exit: ExitCode.Usage,
    template:
      'target {url} is not on the allowlist ({allowlist}); add its host to replay.allowHosts to allow it',
  },
  SG_SANDBOX_NOT_RUNNING: { exit: ExitCode.Usage, template: 'no detached sandbox found ({stateFile})' },
  SG_SANDBOX_START_FAILED: {
    exit: ExitCode.Inconclusive,
    template: 'sandbox service {service} did not start: {reason}',
  },
  SG_SANDBOX_STOP_FAILED: {
    exit: ExitCode.Inconclusive,
    template: 'sandbox processes did not stop: {processes}; {stateFile} is kept, run `sandbox down` again',
  },
  SG_UPSTREAM_UNAVAILABLE: {
    exit: ExitCode.Inconclusive,
    template: '{service} at {url} is unavailable: {reason}',
  },
  SG_METRICS_QUERY_REJECTED: {
    exit: ExitCode.Usage,
    template: '{service} at {url} rejected the query {query}: {reason}',
  },
  SG_METRICS_NO_SERIES: {
    exit: ExitCode.Usage,
    template:
      'metric {metric}: {query} matched no series for {sides} in {source}; check the series name, its labels and canary.versions (the canary was rolled back)',
  },
  SG_METRICS_RESPONSE_INVALID: {
    exit: ExitCode.Inconclusive,
    template: '{service} at {url} answered {query} with an unreadable response: {reason}',
  },
  SG_ACTUATOR_FAILED: {
    exit: ExitCode.Inconclusive,
    template: '{action} through {actuator} failed after {attempts} attempts: {reason}',
  },
  SG_CANARY_TOKEN_MISSING: {
    exit: ExitCode.Usage,
    template: '{variable} is not set; {what} needs it and will not run without one',
  },
  SG_ENV_MISSING: {
    exit: ExitCode.Usage,
    template: 'environment variable {variable} is not set; {what} reads it (the config names it: {key})',
  },
  SG_REPORT_INVALID: {
    exit: ExitCode.Inconclusive,
    template: 'the report for {dir} does not match report schema {version}: {problem}',
  },
  SG_BROKER_FAILED: { exit: ExitCode.Inconclusive, template: 'Pact Broker {broker}: {reason}' },
  SG_DASHBOARDS_EXPORT_FAILED: {
    exit: ExitCode.Inconclusive,
    template: 'cannot export dashboards to {dir}: {reason}',
  },
} as const satisfies Record<string, { exit: ExitCode; template: string }>;

export type ErrorCode = keyof typeof catalogue;

type Params<T extends string> = T extends `${string}{${infer P}}${infer Rest}` ? P | Params<Rest> : never;
export type ErrorParams<C extends ErrorCode> = Record<
  Params<(typeof catalogue)[C]['template']>,
  string | number
>;

export class ShipgateError<C extends ErrorCode = ErrorCode> extends Error {
  readonly exitCode: ExitCode;
  constructor(
    readonly code: C,
    readonly params: ErrorParams<C>,
    options?: { cause?: unknown },
  ) {
    super(format(catalogue[code].template, params), options);
    this.name = 'ShipgateError';
    this.exitCode = catalogue[code].exit;
  }
}

export function shipgateError<C extends ErrorCode>(
  code: C,
  params: ErrorParams<C>,
  cause?: unknown,
): ShipgateError<C> {
  return new ShipgateError(code, params, cause === undefined ? undefined : { cause });
}

export function isShipgateError(error: unknown): error is ShipgateError {
  return error instanceof ShipgateError;
}

/** For the README's table and `shipgate --help`. */
export function errorCatalogue(): { code: ErrorCode; exit: ExitCode; template: string }[] {
  return Object.entries(catalogue).map(([code, entry]) => ({ code: code as ErrorCode, ...entry }));
}

function format(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => String(params[key] ?? `{${key}}`));
}
