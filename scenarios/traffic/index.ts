/** The traffic-file API the replayer, scrubber and CLI use. */
export { type Failure, type LedgerCounts, LedgerError, TrafficLedger } from './accounting.ts';
export { CSV_COLUMNS, csvLine, orderToRow, rowToOrder } from './csv-layout.ts';
export { jsonExcerpt, textExcerpt } from './excerpt.ts';
export { openQuarantine, type QuarantineEntry, type QuarantineWriter } from './quarantine.ts';
export {
  assertTrafficFile,
  detectFormat,
  type ReadTrafficOptions,
  readTraffic,
  type TrafficReader,
} from './read.ts';
export type {
  Normalisation,
  QuarantineCode,
  QuarantinedRecord,
  TrafficFormat,
  TrafficRecord,
  ValidRecord,
} from './record.ts';
export { TRAFFIC_FORMATS } from './record.ts';
export type { ReaderStats } from './stats.ts';
export { writeTraffic } from './write.ts';
