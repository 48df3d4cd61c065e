export {
  assessBlastRadius,
  type BlastRadiusAssessment,
  type BlastRadiusGroup,
  blastRadiusCsv,
  blastRadiusSection,
} from './assess.ts';
export { listOrders } from './collect.ts';
export { BLAST_RADIUS_FILE, exportBlastRadius } from './export.ts';
export * from './policy.ts';
