import type { FastifyInstance } from 'fastify';
import Type, { type Static } from 'typebox';
import type { JudgeResult } from '../judges/types.ts';
import { type GateMetrics, recordJudgement } from './metrics.ts';
import type { GateSession } from './session.ts';

/**
 * Flagger's webhooks (Canary `spec.analysis.webhooks[].type`). Flagger POSTs
 * `{ name, namespace, phase, checksum, type?, metadata? }`; a 2xx lets the rollout
 * proceed, anything else counts as a failed check (for `rollback`: a 2xx means
 * "roll back now"). shipgate answers 412 when the gate says no, with the reason.
 *
 * - confirm-rollout: allowed unless the last verdict for this canary was a fail;
 * - pre-rollout: starts a fresh analysis for this canary (new checksum);
 * - rollout, confirm-traffic-increase: judge now; refused on fail or missing data;
 * - confirm-promotion: judge now; allowed only on pass (never promote without evidence);
 * - post-rollout: recorded;
 * - rollback: judge now; 2xx (roll back) only on fail.
 */
export const FLAGGER_HOOKS = [
  'confirm-rollout',
  'pre-rollout',
  'rollout',
  'confirm-traffic-increase',
  'confirm-promotion',
  'post-rollout',
  'rollback',
] as const;
export type FlaggerHook = (typeof FLAGGER_HOOKS)[number];

export const FlaggerPayload = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 253 }),
    namespace: Type.String({ minLength: 1, maxLength: 253 }),
    phase: Type.Optional(Type.String({ maxLength: 64 })),
    checksum: Type.Optional(Type.String({ maxLength: 256 })),
    type: Type.Optional(Type.String({ maxLength: 64 })),
    metadata: Type.Optional(Type.Record(Type.String(), Type.String({ maxLength: 1024 }))),
  },
  { additionalProperties: true },
);
export type FlaggerPayload = Static<typeof FlaggerPayload>;

export interface FlaggerDeps {
  session(key: string, fresh?: boolean): GateSession;
  metrics: GateMetrics;
}

type Answer = { allow: boolean; result?: JudgeResult; reason: string };

async function answer(hook: FlaggerHook, session: GateSession): Promise<Answer> {
  switch (hook) {
    case 'pre-rollout':
      return { allow: true, reason: 'analysis started' };
    case 'post-rollout':
      return { allow: true, reason: 'recorded' };
    case 'confirm-rollout': {
      const failed = session.last?.verdict === 'fail';
      return {
        allow: !failed,
        reason: failed ? `the last verdict was fail: ${session.last!.reason}` : 'no failed verdict on record',
      };
    }
    case 'rollout':
    case 'confirm-traffic-increase': {
      const result = await session.evaluate();
      const allow =
        result.verdict === 'pass' ||
        (result.verdict === 'inconclusive' && result.inconclusiveKind !== 'missing-data');
      return { allow, result, reason: result.reason };
    }
    case 'confirm-promotion': {
      const result = await session.evaluate();
      return { allow: result.verdict === 'pass', result, reason: result.reason };
    }
    case 'rollback': {
      const result = await session.evaluate();
      return { allow: result.verdict === 'fail', result, reason: result.reason };
    }
  }
}

export async function flaggerPlugin(app: FastifyInstance, deps: FlaggerDeps): Promise<void> {
  for (const hook of FLAGGER_HOOKS) {
    app.post(
      `/v1/flagger/${hook}`,
      { schema: { body: FlaggerPayload }, config: { bodyToken: true } },
      async (request, reply) => {
        const body = request.body as FlaggerPayload;
        const key = `${body.namespace}/${body.name}`;
        const session = deps.session(key, hook === 'pre-rollout');
        const weight = Number(body.metadata?.weight);
        if (body.metadata?.weight !== undefined && Number.isFinite(weight)) deps.metrics.weight.set(weight);
        const a = await answer(hook, session);
        if (a.result) recordJudgement(deps.metrics, a.result);
        deps.metrics.requests.inc({ hook: `flagger/${hook}`, answer: a.allow ? 'allowed' : 'refused' });
        return reply.code(a.allow ? 200 : 412).send({
          canary: key,
          hook,
          allowed: a.allow,
          verdict: a.result?.verdict ?? null,
          reason: a.reason,
        });
      },
    );
  }
}
