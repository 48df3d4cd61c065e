import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { FLAGGER_HOOKS } from './flagger.ts';

/** The Kubernetes examples must call routes the gate server actually has. */
const root = join(import.meta.dirname, '..', '..', 'examples', 'kubernetes');
const load = (file: string) =>
  parseAllDocuments(readFileSync(join(root, file), 'utf8')).map((d) => {
    expect(d.errors, file).toEqual([]);
    // biome-ignore lint/suspicious/noExplicitAny: walking free-form manifests
    return d.toJS() as Record<string, any>;
  });

describe('examples/kubernetes', () => {
  it('Flagger webhooks point at the gate server’s hooks, one per type', () => {
    const [canary] = load('flagger/canary.yaml');
    const hooks = canary!.spec.analysis.webhooks as {
      type: string;
      url: string;
      metadata: { token: string };
    }[];
    for (const hook of hooks) {
      expect(FLAGGER_HOOKS).toContain(hook.type);
      expect(new URL(hook.url).pathname).toBe(`/v1/flagger/${hook.type}`);
      expect(hook.metadata.token).toBeTruthy();
    }
  });

  it('the Argo web provider calls the verdict endpoint and tests result.verdict', () => {
    const [web, job] = load('argo/analysis-templates.yaml');
    const metric = web!.spec.metrics[0];
    expect(new URL(metric.provider.web.url.replace(/\{\{[^}]+\}\}/g, 'x')).pathname).toBe('/v1/argo/verdict');
    expect(metric.failureCondition).toBe('result.verdict == "fail"');
    expect(job!.spec.metrics[0].provider.job.spec.template.spec.containers[0].args.slice(0, 2)).toEqual([
      'canary',
      'judge',
    ]);
  });

  it('the Rollout’s weights mirror shipgate’s default steps', () => {
    const [rollout] = load('argo/rollout.yaml');
    const weights = (rollout!.spec.strategy.canary.steps as { setWeight?: number }[]).flatMap((s) =>
      s.setWeight ? [s.setWeight] : [],
    );
    expect(weights).toEqual([1, 5, 25, 50, 100]);
  });
});
