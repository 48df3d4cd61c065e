import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { type GateMetrics, recordJudgement } from './metrics.ts';
import type { GateSession } from './session.ts';

/**
 * The Argo Rollouts web metric provider: the AnalysisTemplate GETs (or POSTs) this URL
 * and tests the JSON with `successCondition: result.verdict == "pass"` and
 * `failureCondition: result.verdict == "fail"`; anything else is inconclusive, which
 * Argo counts against `inconclusiveLimit`. Always 200 with the verdict: an HTTP error
 * would read to Argo as an errored measurement, not as a judgement.
 */
export const ArgoQuery = Type.Object(
  {
    rollout: Type.Optional(Type.String({ maxLength: 253 })),
    namespace: Type.Optional(Type.String({ maxLength: 253 })),
    weight: Type.Optional(Type.Number({ minimum: 0, maximum: 100 })),
  },
  { additionalProperties: false },
);

export interface ArgoDeps {
  session(key: string): GateSession;
  metrics: GateMetrics;
}

export async function argoPlugin(app: FastifyInstance, deps: ArgoDeps): Promise<void> {
  const handler = async (query: { rollout?: string; namespace?: string; weight?: number }) => {
    const key = `${query.namespace ?? 'default'}/${query.rollout ?? 'rollout'}`;
    if (query.weight !== undefined) deps.metrics.weight.set(query.weight);
    const result = await deps.session(key).evaluate();
    recordJudgement(deps.metrics, result);
    deps.metrics.requests.inc({ hook: 'argo/web', answer: result.verdict });
    return {
      rollout: key,
      verdict: result.verdict,
      pass: result.verdict === 'pass',
      fail: result.verdict === 'fail',
      inconclusiveKind: result.inconclusiveKind ?? null,
      reason: result.reason,
      eValue: result.combined?.eValue ?? null,
      metrics: result.metrics.map((m) => ({
        metric: m.metricId,
        verdict: m.verdict,
        canary: m.canary.value,
        baseline: m.baseline.value,
        canarySamples: m.canary.samples,
        baselineSamples: m.baseline.samples,
      })),
    };
  };
  app.get('/v1/argo/verdict', { schema: { querystring: ArgoQuery } }, async (request) =>
    handler(request.query as never),
  );
  app.post('/v1/argo/verdict', { schema: { querystring: ArgoQuery } }, async (request) =>
    handler(request.query as never),
  );
}
