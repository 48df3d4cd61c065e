/** PII scrubbing: keyed pseudonyms for traffic, keyless redaction for logs. */
export { EMAIL, PHONE, STREET } from './detect.ts';
export { type EmailClass, emailClass } from './email.ts';
export { MIN_SCRUB_KEY_LENGTH, SCRUB_KEY_ENV, scrubKeyFromEnv } from './key.ts';
export { countryCode } from './phone.ts';
export { PII_LOG_PATHS, pinoRedaction } from './pino.ts';
export { createScrubber, type NotesPolicy, type Scrubber } from './scrub.ts';
export { type ScrubFileOptions, type ScrubFileResult, scrubFile } from './scrub-file.ts';
export { redact, scrubText } from './text.ts';
