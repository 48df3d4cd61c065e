import type { Report } from '../../core/report/model.ts';
import type { GateLayer } from '../config/layers.ts';

type Section = NonNullable<Report['layers'][GateLayer]>;

/**
 * What `shipgate gate --resume` does with each layer, decided from the journal alone
 * (pure: journal events and the current config in, plan out), the way Argo Rollouts'
 * controller rebuilds a rollout's state from its status after a restart:
 *
 * - a layer with `gate.layer.finished` (and its section) is restored, never re-run;
 * - the layer that was running when the gate died is resumed where its own journal
 *   allows it (canary: the controller's resume, exactly one promotion or rollback;
 *   replay: its results file, no order sent twice) against a platform that outlived
 *   the gate (`target.kind: urls`), and re-run from scratch otherwise (contracts and
 *   scenarios are idempotent; the embedded sandbox died with the process);
 * - every later layer runs as usual.
 */

export interface GateJournalEvent {
  type: string;
  [key: string]: unknown;
}

/** What the current config says, compared with the journaled `gate.started`. */
export interface ResumeIdentity {
  release: string;
  layers: readonly GateLayer[];
  target: 'sandbox' | 'urls';
  canaryDefect?: string;
}

export type LayerAction =
  | { layer: GateLayer; action: 'restore'; section: Section }
  | { layer: GateLayer; action: 'resume' }
  | { layer: GateLayer; action: 'rerun'; why: string }
  | { layer: GateLayer; action: 'run' };

export type ResumePlan =
  | { kind: 'nothing'; reason: string }
  | { kind: 'finished'; verdict: string; exitCode: number }
  | { kind: 'mismatch'; differences: string[] }
  | { kind: 'resume'; startedAt?: string; layers: LayerAction[] };

/** Layers whose own journal lets them continue against a platform that outlived the gate. */
const RESUMABLE: ReadonlySet<GateLayer> = new Set(['canary', 'replay']);

export function planResume(events: readonly GateJournalEvent[], current: ResumeIdentity): ResumePlan {
  const started = events.find((e) => e.type === 'gate.started');
  if (!started) return { kind: 'nothing', reason: 'the journal holds no gate run (no gate.started event)' };
  const finished = events.findLast((e) => e.type === 'gate.finished');
  if (finished)
    return { kind: 'finished', verdict: String(finished.verdict), exitCode: Number(finished.exitCode ?? 3) };

  const differences = differ(started, current);
  if (differences.length > 0) return { kind: 'mismatch', differences };

  const done = new Map<GateLayer, GateJournalEvent>();
  let running: GateLayer | undefined;
  for (const e of events) {
    const layer = e.layer as GateLayer;
    if (e.type === 'gate.layer.started') running = layer;
    if (e.type === 'gate.layer.finished') {
      done.set(layer, e);
      if (running === layer) running = undefined;
    }
  }
  const layers = current.layers.map((layer): LayerAction => {
    const finishedEvent = done.get(layer);
    if (finishedEvent) {
      if (isSection(finishedEvent.section))
        return { layer, action: 'restore', section: finishedEvent.section };
      return {
        layer,
        action: 'rerun',
        why: 'its journal line holds no section (written by an older shipgate)',
      };
    }
    if (layer !== running) return { layer, action: 'run' };
    if (RESUMABLE.has(layer) && current.target === 'urls') return { layer, action: 'resume' };
    return {
      layer,
      action: 'rerun',
      why:
        current.target === 'sandbox'
          ? 'the embedded sandbox it ran against died with the interrupted process (its router is gone: nothing to roll back there)'
          : `the ${layer} layer is idempotent`,
    };
  });
  return { kind: 'resume', ...(typeof started.at === 'string' ? { startedAt: started.at } : {}), layers };
}

function differ(started: GateJournalEvent, current: ResumeIdentity): string[] {
  const out: string[] = [];
  if (started.release !== current.release)
    out.push(`release is "${current.release}", the interrupted run's was "${String(started.release)}"`);
  const before = Array.isArray(started.layers) ? (started.layers as string[]) : [];
  if (before.join(',') !== current.layers.join(','))
    out.push(`layers are ${current.layers.join(',')}, the interrupted run's were ${before.join(',')}`);
  if (started.target !== current.target)
    out.push(`target kind is ${current.target}, the interrupted run's was ${String(started.target)}`);
  else if (current.target === 'sandbox' && started.canaryDefect !== current.canaryDefect)
    out.push(
      `the sandbox canary defect is ${String(current.canaryDefect)}, the interrupted run's was ${String(started.canaryDefect)}`,
    );
  return out;
}

function isSection(value: unknown): value is Section {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { status?: unknown }).status === 'string' &&
    Array.isArray((value as { checks?: unknown }).checks)
  );
}
