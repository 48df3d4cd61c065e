/**
 * The documented development key, for tests and local demos only: it is public, so
 * pseudonyms made with it protect nothing. Production runs set SHIPGATE_SCRUB_KEY.
 */
export const TEST_SCRUB_KEY = 'shipgate-test-scrub-key-not-secret';
