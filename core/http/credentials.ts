/**
 * Header names that carry credentials (Authorization, X-Api-Key, Cookie, X-Depot-Token…):
 * their values are secrets. A config may not hold one as a literal, and raw replay
 * drops a recorded one unless the config rewrites it from the environment.
 */
export const CREDENTIAL_HEADER = /authorization|token|key|secret|password|cookie|signature|session/i;
