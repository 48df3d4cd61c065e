import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Pact files of any specification (V2, V3, V4) as shipgate reads them: who the consumer
 * and provider are, and each HTTP interaction's description and provider states. The
 * versions differ in small ways that matter here: V2 has one `providerState` string,
 * V3 and V4 a `providerStates` list with params; V4 may hold message interactions,
 * which an HTTP verification does not replay.
 */
export interface PactSummary {
  file: string;
  consumer: string;
  provider: string;
  /** "2.0.0", "3.0.0", "4.0"… as the file says (absent in some V1/V2 files). */
  specification?: string;
  interactions: { description: string; states: { name: string; params?: Record<string, unknown> }[] }[];
}

interface RawPact {
  consumer?: { name?: unknown };
  provider?: { name?: unknown };
  metadata?: Record<string, { version?: unknown } | undefined>;
  interactions?: RawInteraction[];
}

interface RawInteraction {
  type?: string;
  description?: unknown;
  providerState?: unknown;
  providerStates?: { name?: unknown; params?: Record<string, unknown> }[];
}

/** The pact's summary, or undefined for a file that is not a pact (any JSON else, or not JSON). */
export function readPactSummary(file: string): PactSummary | undefined {
  let raw: RawPact;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8')) as RawPact;
  } catch {
    return undefined;
  }
  if (typeof raw?.consumer?.name !== 'string' || typeof raw.provider?.name !== 'string') return undefined;
  if (!Array.isArray(raw.interactions)) return undefined;
  const spec = raw.metadata?.pactSpecification?.version ?? raw.metadata?.['pact-specification']?.version;
  return {
    file,
    consumer: raw.consumer.name,
    provider: raw.provider.name,
    ...(typeof spec === 'string' ? { specification: spec } : {}),
    interactions: raw.interactions
      // Not an object: the verifier refuses the file itself, naming it; nothing to summarise.
      .filter(
        (i) => i !== null && typeof i === 'object' && (i.type === undefined || i.type === 'Synchronous/HTTP'),
      )
      .map((i) => ({ description: String(i.description ?? ''), states: statesOf(i) })),
  };
}

function statesOf(interaction: RawInteraction): PactSummary['interactions'][number]['states'] {
  if (Array.isArray(interaction.providerStates))
    return interaction.providerStates
      .filter((s) => typeof s?.name === 'string')
      .map((s) => ({ name: s.name as string, ...(s.params ? { params: s.params } : {}) }));
  return typeof interaction.providerState === 'string' && interaction.providerState
    ? [{ name: interaction.providerState }]
    : [];
}

/** Every pact in a folder (not recursive; staging folders and other JSON are ignored). */
export function readPactFolder(pactDir: string): PactSummary[] {
  const dir = resolve(pactDir);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .flatMap((name) => readPactSummary(join(dir, name)) ?? []);
}
