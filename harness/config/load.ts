import { existsSync, readFileSync } from 'node:fs';
import { dirname, extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseDocument } from 'yaml';
import { definitionIssues } from '../../canary/metrics/from-definition.ts';
import { BUILTIN_DEFINITIONS } from '../../canary/metrics/presets/builtin.ts';
import { shipgateError } from '../../core/errors.ts';
import { validator } from '../../core/schema/validate.ts';
import { allScenarios, validateExtraScenarios } from '../../scenarios/run/select.ts';
import { literalCredentials } from './contracts.ts';
import { type GateLayer, LAYER_NAMES } from './layers.ts';
import { type ResolvedConfig, resolveConfig } from './resolve.ts';
import { type ShipgateConfig, ShipgateConfigSchema } from './schema.ts';

/** Looked for, in this order, in the working directory when no --config is given. */
export const CONFIG_FILES = [
  'shipgate.config.ts',
  'shipgate.config.mts',
  'shipgate.config.js',
  'shipgate.config.mjs',
  'shipgate.config.json',
  'shipgate.config.yaml',
  'shipgate.config.yml',
] as const;

export interface LoadedConfig {
  /** Absolute path, or undefined when no file exists and the defaults apply. */
  file?: string;
  config: ShipgateConfig;
  resolved: ResolvedConfig;
}

const check = validator(ShipgateConfigSchema);

/**
 * Finds, imports and validates the config. An explicit file that does not exist is an
 * error (SG_CONFIG_NOT_FOUND); no file at all in the directory means "all defaults"
 * (the embedded sandbox). Every problem names the file and the dotted key.
 */
export async function loadConfig(options: { file?: string; cwd?: string } = {}): Promise<LoadedConfig> {
  const cwd = options.cwd ?? process.cwd();
  let file: string | undefined;
  if (options.file) {
    file = resolve(cwd, options.file);
    if (!existsSync(file)) throw shipgateError('SG_CONFIG_NOT_FOUND', { file });
  } else {
    file = CONFIG_FILES.map((name) => resolve(cwd, name)).find((path) => existsSync(path));
  }
  if (!file) return { config: {}, resolved: resolveConfig({}) };
  const raw = await readConfigFile(file);
  return { file, ...validateConfig(raw, file) };
}

/** Validates a config value (from any source) and fills in the defaults. */
export function validateConfig(
  raw: unknown,
  file = '(config)',
): { config: ShipgateConfig; resolved: ResolvedConfig } {
  // Metric definitions first, by their kind and selector form: the schema's union would
  // only say "does not match", where this names the field (canary.metrics[2].bad.series).
  const metricsIssue = metricDefinitionIssues(raw)[0];
  if (metricsIssue) throw shipgateError('SG_CONFIG_INVALID', { file, ...metricsIssue });
  const result = check(raw ?? {});
  if (!result.ok) {
    const issue = result.issues[0]!;
    const key = issue.path ? pointerKey(issue.path) : '(root)';
    const more = result.issues.length > 1 ? ` (and ${result.issues.length - 1} more)` : '';
    throw shipgateError('SG_CONFIG_INVALID', { file, key, problem: `${issue.message}${more}` });
  }
  const config = result.value;
  const target = config.target;
  const own = target?.kind === 'urls' || Boolean(target && !target.kind && (target.stable || target.canary));
  if (own) requireOrderUrls(target, config.layers ?? LAYER_NAMES, file);
  if (config.canary?.source?.kind === 'prometheus' && !config.canary.source.url)
    throw shipgateError('SG_CONFIG_INVALID', {
      file,
      key: 'canary.source.url',
      problem: 'is required with canary.source.kind "prometheus"',
    });
  for (const [key, problem] of literalCredentials(config.contracts?.providers, config.replay?.headers))
    throw shipgateError('SG_CONFIG_INVALID', { file, key, problem });
  if (config.replay?.mode === 'raw' && !/\.(har|gor)$/i.test(config.replay.traffic ?? ''))
    throw shipgateError('SG_CONFIG_INVALID', {
      file,
      key: 'replay.traffic',
      problem: 'replay.mode "raw" needs a recording to replay: a .har or .gor file',
    });
  const steps = config.canary?.steps;
  steps?.forEach((w, i) => {
    if (i > 0 && !(w > steps[i - 1]!))
      throw shipgateError('SG_CONFIG_INVALID', {
        file,
        key: `canary.steps[${i}]`,
        problem: 'weights must increase',
      });
  });
  // Users' own scenarios, field by field (the scenarios layer's schema), then every
  // name to run must exist: a typo is a config error before anything starts.
  const extra = validateExtraScenarios(config.scenarios?.extra ?? [], file);
  const known = allScenarios(extra).map((sc) => sc.name);
  config.scenarios?.run?.forEach((name, i) => {
    if (!known.includes(name))
      throw shipgateError('SG_CONFIG_INVALID', {
        file,
        key: `scenarios.run[${i}]`,
        problem: `no scenario named "${name}"; known: ${known.join(', ')}`,
      });
  });
  const platform = config.target?.platform;
  if (platform && !('builtin' in platform) && resolveConfig(config).target.kind === 'sandbox')
    throw shipgateError('SG_CONFIG_INVALID', {
      file,
      key: 'target.platform',
      problem: 'the embedded sandbox speaks its own API; a platform adapter needs target.kind "urls"',
    });
  try {
    const resolved = resolveConfig(config);
    // An adapter module's path is relative to the config file, wherever the gate runs.
    const target = resolved.target;
    if (target.kind === 'urls' && target.platform && 'module' in target.platform && file !== '(config)')
      target.platform = { module: resolve(dirname(file), target.platform.module) };
    return { config, resolved };
  } catch (error) {
    throw shipgateError('SG_CONFIG_INVALID', { file, key: '(root)', problem: (error as Error).message });
  }
}

/** The layers that send orders to the platform's two builds; the canary layer only reads metrics and moves traffic. */
const ORDER_LAYERS: readonly GateLayer[] = ['replay', 'scenarios'];

/**
 * target.stable and target.canary (the order APIs) are required of a platform you run
 * only when a layer that sends orders runs: a canary-only gate needs a metric source
 * and an actuator, not these. Called again after `--layers` changes the plan.
 */
export function requireOrderUrls(
  target: { stable?: string; canary?: string } | undefined,
  layers: readonly GateLayer[],
  file: string,
): void {
  const sending = layers.filter((l) => ORDER_LAYERS.includes(l));
  if (sending.length === 0) return;
  for (const key of ['stable', 'canary'] as const)
    if (!target?.[key])
      throw shipgateError('SG_CONFIG_INVALID', {
        file,
        key: `target.${key}`,
        problem: `is required when the target is a platform you run (target.kind "urls") and the ${sending.join(' and ')} layer${sending.length > 1 ? 's run' : ' runs'}`,
      });
}

/** `/canary/metrics/2/bad` → `canary.metrics[2].bad` */
function pointerKey(pointer: string): string {
  return pointer
    .slice(1)
    .split('/')
    .reduce((key, p) => (/^\d+$/.test(p) ? `${key}[${p}]` : key ? `${key}.${p}` : p), '');
}

/**
 * Problems with canary.metrics / canary.use as written (before the schema, which cannot
 * name a field inside a union). A direct-scrape source (named, or implied by a target of
 * your own with no Prometheus URL) cannot run PromQL templates.
 */
function metricDefinitionIssues(raw: unknown): { key: string; problem: string }[] {
  const canary = (raw as { canary?: unknown } | undefined)?.canary;
  if (typeof canary !== 'object' || canary === null) return [];
  const k = canary as { metrics?: unknown; use?: unknown; source?: { kind?: unknown; url?: unknown } };
  const use = Array.isArray(k.use) && k.use.every((u) => typeof u === 'string') ? k.use : undefined;
  const target = (raw as { target?: { kind?: unknown; stable?: unknown; canary?: unknown } }).target;
  const ownTarget = target?.kind === 'urls' || (!target?.kind && Boolean(target?.stable || target?.canary));
  const sourceKind = k.source?.kind ?? 'auto';
  const directScrape =
    sourceKind === 'direct-scrape' || (sourceKind === 'auto' && ownTarget && !k.source?.url);
  if (Array.isArray(k.metrics)) return definitionIssues(k.metrics, { ...(use ? { use } : {}), directScrape });
  if (k.metrics === undefined || k.metrics === 'builtin')
    return use ? definitionIssues(BUILTIN_DEFINITIONS, { use }) : [];
  return [];
}

/**
 * YAML whose parse has warnings (a tag shipgate cannot resolve, such as `!!js/function`, or
 * an unknown YAML version) is refused rather than read with the tag ignored: the user
 * hears about it as SG_CONFIG_INVALID with the line, not as a Node warning on stderr.
 */
function parseYamlStrictly(text: string): unknown {
  const doc = parseDocument(text, { logLevel: 'silent', prettyErrors: true });
  const [problem] = [...doc.errors, ...doc.warnings];
  if (problem) throw problem;
  return doc.toJS();
}

async function readConfigFile(file: string): Promise<unknown> {
  const ext = extname(file);
  if (ext === '.json' || ext === '.yaml' || ext === '.yml') {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw shipgateError('SG_FILE_UNREADABLE', { file, reason: (error as Error).message });
    }
    try {
      return ext === '.json' ? JSON.parse(text) : parseYamlStrictly(text);
    } catch (error) {
      throw shipgateError('SG_CONFIG_INVALID', { file, key: '(root)', problem: (error as Error).message });
    }
  }
  // A TypeScript (or JS) module: tsx compiles it on the fly, resolving its imports
  // (e.g. `shipgate/config`) from the user's directory.
  let module: { default?: unknown };
  try {
    const { tsImport } = await import('tsx/esm/api');
    module = (await tsImport(pathToFileURL(file).href, import.meta.url)) as { default?: unknown };
  } catch (error) {
    throw shipgateError('SG_CONFIG_INVALID', {
      file,
      key: '(module)',
      problem: `cannot load it: ${(error as Error).message.split('\n')[0]}`,
    });
  }
  // Outside an ESM package tsx compiles the file as CommonJS: `default` is then the
  // whole exports object, with the real default export one level deeper.
  let value = module.default;
  if (
    value &&
    typeof value === 'object' &&
    ('__esModule' in value || Object.keys(value).join() === 'default')
  )
    value = (value as { default?: unknown }).default;
  if (value === undefined)
    throw shipgateError('SG_CONFIG_INVALID', {
      file,
      key: '(module)',
      problem: 'has no default export; end it with `export default defineConfig({ ... })`',
    });
  return value;
}
