import { shipgateError } from '../../core/errors.ts';
import { SCENARIOS } from '../catalogue/catalogue.ts';
import type { Scenario } from '../catalogue/scenario.ts';
import { checkScenario } from '../catalogue/schema.ts';

/** The catalogue with the user's scenarios (from shipgate.config.ts) first: theirs win on a name clash. */
export function allScenarios(extra: readonly Scenario[] = []): Scenario[] {
  const names = new Set(extra.map((s) => s.name));
  return [...extra, ...SCENARIOS.filter((s) => !names.has(s.name))];
}

export function findScenario(name: string, extra: readonly Scenario[] = []): Scenario {
  const all = allScenarios(extra);
  const found = all.find((s) => s.name === name);
  if (!found) throw shipgateError('SG_UNKNOWN_SCENARIO', { name, known: all.map((s) => s.name).join(', ') });
  return found;
}

/**
 * Users' scenarios from the config file, checked field by field before anything runs:
 * `file` is the config file, `key` where the list sits in it (e.g. "scenarios.extra").
 */
export function validateExtraScenarios(
  values: readonly unknown[],
  file: string,
  key = 'scenarios.extra',
): Scenario[] {
  return values.map((value, i) => {
    const result = checkScenario(value);
    if (!result.ok)
      throw shipgateError('SG_CONFIG_INVALID', { file, key: `${key}[${i}]`, problem: result.message });
    return result.value as Scenario;
  });
}
