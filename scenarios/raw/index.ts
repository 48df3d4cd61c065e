/** Raw HTTP replay: recorded requests (HAR, GoReplay) replayed as recorded and their answers diffed. */
export { type ComparedRequest, diffResponses, type RawDiffResult, type RawFieldGroup } from './diff.ts';
export { endpointNamer, isIdSegment } from './endpoint.ts';
export { GOR_SEPARATOR } from './gor.ts';
export { type HeaderValue, parseHeaderFlag, prepareHeaders, resolveHeaderRules } from './headers.ts';
export { detectRawFormat, readRaw } from './read.ts';
export { RAW_FORMATS, type RawFormat, type RawRecord } from './record.ts';
export { type RawProgress, type RawReplayResult, replayRaw } from './replayer.ts';
export { type RawRunOptions, type RawRunResult, runRawReplayLayer } from './run.ts';
export { rawReplaySection } from './section.ts';
