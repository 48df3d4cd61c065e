import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readCanaryEvents } from '../../canary/journal/journal.ts';
import { shipgateError } from '../../core/errors.ts';
import type { ResolvedConfig } from '../config/resolve.ts';
import { type GateJournalEvent, planResume, type ResumePlan } from './resume-plan.ts';

export type ResumableGate = Extract<ResumePlan, { kind: 'resume' }>;
export type FinishedGate = Extract<ResumePlan, { kind: 'finished' }>;

/**
 * Reads the run folder of an interrupted gate and plans its resume, refusing (exit 2,
 * naming the folder) a folder with no gate journal or a config that is not the one the
 * gate started with. A gate that already finished is returned as such: the caller
 * repeats its recorded verdict and exit code, so a retried CI job gets the same answer.
 */
export function prepareResume(dir: string, config: ResolvedConfig): ResumableGate | FinishedGate {
  const file = join(dir, 'journal.jsonl');
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw shipgateError('SG_NOTHING_TO_RESUME', { dir, reason: 'no such folder' });
  if (!existsSync(file))
    throw shipgateError('SG_NOTHING_TO_RESUME', { dir, reason: 'no journal.jsonl there to resume from' });
  const plan = planResume(readGateJournal(file), {
    release: config.release.name,
    layers: config.layers,
    target: config.target.kind,
    ...(config.target.kind === 'sandbox' ? { canaryDefect: config.target.canaryDefect } : {}),
  });
  if (plan.kind === 'nothing') throw shipgateError('SG_NOTHING_TO_RESUME', { dir, reason: plan.reason });
  if (plan.kind === 'mismatch')
    throw shipgateError('SG_RESUME_MISMATCH', { dir, differences: plan.differences.join('; ') });
  return plan;
}

/**
 * Every event of the journal, oldest first. The canary reader goes first: it cuts a
 * line torn by the kill (so the resumed gate appends on a fresh line) and checks the
 * canary events resume will fold, naming the line and field of a damaged one.
 */
export function readGateJournal(file: string): GateJournalEvent[] {
  readCanaryEvents(file, { repair: true });
  const events: GateJournalEvent[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line) => {
      if (line.trim() === '') return;
      const value = JSON.parse(line) as unknown;
      if (typeof value === 'object' && value !== null && typeof (value as GateJournalEvent).type === 'string')
        events.push(value as GateJournalEvent);
    });
  return events;
}
