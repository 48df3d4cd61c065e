import { describe, expect, it } from 'vitest';
import { type GateJournalEvent, planResume, type ResumeIdentity } from './resume-plan.ts';
import { skippedSection } from './skipped.ts';

const started = (over: Partial<GateJournalEvent> = {}): GateJournalEvent => ({
  type: 'gate.started',
  at: '2026-11-23T20:00:00.000Z',
  release: 'r1',
  layers: ['contracts', 'replay', 'canary'],
  target: 'urls',
  ...over,
});
const passed = (layer: 'contracts' | 'replay' | 'scenarios' | 'canary') => ({
  ...skippedSection(layer, `${layer} passed`),
  status: 'pass' as const,
});
const finished = (
  layer: 'contracts' | 'replay' | 'scenarios' | 'canary',
  section: unknown = passed(layer),
) => ({
  type: 'gate.layer.finished',
  layer,
  status: 'pass',
  section,
});
const current: ResumeIdentity = { release: 'r1', layers: ['contracts', 'replay', 'canary'], target: 'urls' };
const actions = (plan: ReturnType<typeof planResume>) =>
  plan.kind === 'resume' ? plan.layers.map((l) => `${l.layer}:${l.action}`) : plan.kind;

describe('planResume: which layers to restore, resume, re-run or run', () => {
  it('nothing to resume without gate.started (a canary-run or replay folder)', () => {
    expect(planResume([{ type: 'canary.started' }], current)).toMatchObject({ kind: 'nothing' });
  });

  it('a finished gate is reported with its recorded verdict and exit code', () => {
    const plan = planResume(
      [started(), finished('contracts'), { type: 'gate.finished', verdict: 'fail', exitCode: 1 }],
      current,
    );
    expect(plan).toEqual({ kind: 'finished', verdict: 'fail', exitCode: 1 });
  });

  it('names every difference between the config and the journaled run', () => {
    const plan = planResume([started()], { release: 'r2', layers: ['canary'], target: 'sandbox' });
    expect(plan.kind).toBe('mismatch');
    const text = plan.kind === 'mismatch' ? plan.differences.join('\n') : '';
    expect(text).toMatch(/release is "r2", the interrupted run's was "r1"/);
    expect(text).toMatch(/layers are canary, the interrupted run's were contracts,replay,canary/);
    expect(text).toMatch(/target kind is sandbox, the interrupted run's was urls/);
  });

  it('a sandbox canary defect that differs is a mismatch too', () => {
    const plan = planResume([started({ target: 'sandbox', canaryDefect: 'none' })], {
      ...current,
      target: 'sandbox',
      canaryDefect: 'wrong-carrier',
    });
    expect(plan).toMatchObject({ kind: 'mismatch' });
  });

  it('external target, killed in the canary layer: finished layers restored, the canary resumed', () => {
    const events = [
      started(),
      { type: 'gate.layer.started', layer: 'contracts' },
      finished('contracts'),
      { type: 'gate.layer.started', layer: 'replay' },
      finished('replay'),
      { type: 'gate.layer.started', layer: 'canary' },
      { type: 'canary.started', t: 0 },
    ];
    const plan = planResume(events, current);
    expect(actions(plan)).toEqual(['contracts:restore', 'replay:restore', 'canary:resume']);
    expect(plan).toMatchObject({ startedAt: '2026-11-23T20:00:00.000Z' });
    if (plan.kind === 'resume' && plan.layers[0]?.action === 'restore')
      expect(plan.layers[0].section.summary).toBe('contracts passed');
  });

  it('sandbox target: the interrupted layer is re-run (its world died), later layers run', () => {
    const events = [
      started({ target: 'sandbox', canaryDefect: 'none' }),
      { type: 'gate.layer.started', layer: 'contracts' },
      finished('contracts'),
      { type: 'gate.layer.started', layer: 'replay' },
    ];
    const plan = planResume(events, { ...current, target: 'sandbox', canaryDefect: 'none' });
    expect(actions(plan)).toEqual(['contracts:restore', 'replay:rerun', 'canary:run']);
    if (plan.kind === 'resume' && plan.layers[1]?.action === 'rerun')
      expect(plan.layers[1].why).toMatch(/sandbox .* died/);
  });

  it('contracts and scenarios are re-run from scratch even against an external target', () => {
    const layers = ['contracts', 'scenarios'] as const;
    const plan = planResume([started({ layers }), { type: 'gate.layer.started', layer: 'contracts' }], {
      ...current,
      layers,
    });
    expect(actions(plan)).toEqual(['contracts:rerun', 'scenarios:run']);
  });

  it('a finished line without a section (an older journal) is re-run, not trusted as a pass', () => {
    const plan = planResume(
      [started(), { type: 'gate.layer.finished', layer: 'contracts', status: 'pass' }],
      current,
    );
    expect(actions(plan)).toEqual(['contracts:rerun', 'replay:run', 'canary:run']);
  });

  it('a second resume: a layer interrupted, resumed and finished is restored', () => {
    const events = [
      started(),
      finished('contracts'),
      finished('replay'),
      { type: 'gate.layer.started', layer: 'canary' },
      { type: 'gate.interrupted', verdict: 'inconclusive', exitCode: 3 },
      { type: 'gate.resumed' },
      { type: 'gate.layer.resumed', layer: 'canary' },
      finished('canary'),
    ];
    expect(actions(planResume(events, current))).toEqual([
      'contracts:restore',
      'replay:restore',
      'canary:restore',
    ]);
  });
});
