import type { BlastRadius } from '../../core/report/model.ts';
import {
  assessBlastRadius,
  type BlastRadiusAssessment,
  blastRadiusCsv,
  blastRadiusSection,
} from './assess.ts';
import { listOrders } from './collect.ts';
import { type CompensationPolicy, DEFAULT_COMPENSATION_POLICY } from './policy.ts';

export const BLAST_RADIUS_FILE = 'blast-radius.csv';

/** Where to write: the run folder (or anything with its `writeText`). */
export interface TextSink {
  writeText(name: string, text: string): string;
}

export interface BlastRadiusExport {
  assessment: BlastRadiusAssessment;
  section: BlastRadius;
  /** Path of blast-radius.csv. */
  file: string;
}

/**
 * After a rollback: list the canary platform's orders, assess them, write
 * blast-radius.csv into the run folder, and return the report section.
 */
export async function exportBlastRadius(options: {
  canaryUrl: string;
  sink: TextSink;
  policy?: CompensationPolicy;
}): Promise<BlastRadiusExport> {
  const orders = await listOrders(options.canaryUrl);
  const assessment = assessBlastRadius(orders, options.policy ?? DEFAULT_COMPENSATION_POLICY);
  const file = options.sink.writeText(BLAST_RADIUS_FILE, blastRadiusCsv(assessment));
  return { assessment, section: blastRadiusSection(assessment, BLAST_RADIUS_FILE), file };
}
