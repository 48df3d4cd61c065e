import { shipgateError } from '../../core/errors.ts';

export const SCRUB_KEY_ENV = 'SHIPGATE_SCRUB_KEY';
export const MIN_SCRUB_KEY_LENGTH = 16;

/**
 * The scrubbing key, from SHIPGATE_SCRUB_KEY. There is deliberately no default: a
 * pseudonym keyed with a published default can be reversed by anyone who hashes
 * candidate names, so a missing key is a usage error (exit 2), never a fallback.
 * Tests use TEST_SCRUB_KEY from test-key.ts.
 */
export function scrubKeyFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  const key = env[SCRUB_KEY_ENV];
  if (key === undefined || key === '') {
    throw shipgateError('SG_SCRUB_KEY_MISSING', {
      problem: 'is not set, and scrubbing PII needs a secret key',
    });
  }
  if (key.length < MIN_SCRUB_KEY_LENGTH) {
    throw shipgateError('SG_SCRUB_KEY_MISSING', {
      problem: `is too short (${key.length} characters): a short key makes pseudonyms guessable`,
    });
  }
  return key;
}
