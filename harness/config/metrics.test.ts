import { describe, expect, it } from 'vitest';
import { KESTREL_LIKE } from '../../canary/metrics/fixtures/kestrel-like.ts';
import { CATALOGUE } from '../../canary/metrics/presets/builtin.ts';
import { validateConfig } from './load.ts';

/** canary.metrics / use / versions as a user writes them: resolved to MetricDecls, bad input named by key. */
const kestrelMetrics = [KESTREL_LIKE[0]!, KESTREL_LIKE[2]!];

const problemOf = (raw: unknown): string => {
  try {
    validateConfig(raw, 'shipgate.config.yaml');
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('accepted');
};

describe('canary metrics in the config', () => {
  it('defaults to the built-in preset, the version label and the release versions', () => {
    const { resolved } = validateConfig({ release: { candidateVersion: '2.5.0', baselineVersion: '2.4.1' } });
    expect(resolved.canary.metrics).toEqual(CATALOGUE);
    expect(resolved.canary.versions).toEqual({ label: 'version', canary: '2.5.0', baseline: '2.4.1' });
  });

  it("takes the platform's own definitions, label and values; `use` narrows and orders them", () => {
    const { resolved } = validateConfig({
      release: { candidateVersion: '2.5.0' },
      canary: {
        metrics: kestrelMetrics,
        use: ['fulfilment_p95'],
        versions: { label: 'release_track', canary: 'next', baseline: 'current' },
      },
    });
    expect(resolved.canary.versions).toEqual({ label: 'release_track', canary: 'next', baseline: 'current' });
    expect(resolved.canary.metrics).toEqual([
      expect.objectContaining({ id: 'fulfilment_p95', kind: 'quantile', unit: 'milliseconds' }),
    ]);
  });

  it('`use` picks from the built-in preset too, and names an unknown id', () => {
    const { resolved } = validateConfig({ canary: { use: ['error_rate', 'processing_p95'] } });
    expect(resolved.canary.metrics.map((m) => m.id)).toEqual(['error_rate', 'processing_p95']);
    expect(problemOf({ canary: { use: ['error_rate', 'eta'] } })).toMatch(
      /^shipgate\.config\.yaml: canary\.use\[1\]: no metric with id "eta"; defined: on_time_rate,/,
    );
  });

  it('names the key of a bad definition', () => {
    const bad = structuredClone(kestrelMetrics);
    (bad[0] as unknown as { bad: { series: string } }).bad.series = 'kestrel parcels';
    expect(problemOf({ canary: { metrics: bad } })).toMatch(
      /^shipgate\.config\.yaml: canary\.metrics\[0\]\.bad\.series: /,
    );
    expect(
      problemOf({ canary: { metrics: [kestrelMetrics[0], { ...kestrelMetrics[1], unit: 'us' }] } }),
    ).toMatch(/canary\.metrics\[1\]\.unit: must be one of seconds, milliseconds/);
    expect(problemOf({ canary: { metrics: 'sandbox' } })).toMatch(/canary\.metrics: /);
    expect(problemOf({ canary: { versions: { label: 'release-track' } } })).toMatch(
      /canary\.versions\.label: /,
    );
  });

  it('refuses a PromQL template with a direct-scrape source, naming the metric', () => {
    const templated = [
      { ...kestrelMetrics[0], bad: { promql: 'sum by ({{versionLabel}}) (x{ {{selector}} })' } },
    ];
    expect(problemOf({ canary: { metrics: templated, source: { kind: 'direct-scrape' } } })).toMatch(
      /canary\.metrics\[0\]\.bad\.promql: metric "late_parcels" uses a PromQL template, which the direct-scrape source cannot run/,
    );
    // A platform of your own with no Prometheus URL is read by direct scrape too.
    expect(
      problemOf({
        target: { kind: 'urls', stable: 'http://127.0.0.1:1', canary: 'http://127.0.0.1:2' },
        canary: { metrics: templated },
      }),
    ).toMatch(/direct-scrape source cannot run/);
    const { resolved } = validateConfig({
      canary: { metrics: templated, source: { kind: 'prometheus', url: 'http://127.0.0.1:9090' } },
    });
    expect(resolved.canary.metrics[0]).toMatchObject({
      bad: { promql: expect.stringContaining('{{selector}}') },
    });
  });

  it('names the index of other arrays the same way', () => {
    expect(problemOf({ canary: { steps: [10, 5] } })).toMatch(/canary\.steps\[1\]: weights must increase/);
  });
});
