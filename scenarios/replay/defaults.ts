/**
 * The replay's defaults users see in `--help`, the config table and the README, in a
 * module that loads nothing (the CLI and the config import it eagerly).
 */

/** Most requests in flight per target: `replay --concurrency` and `replay.concurrency`. */
export const DEFAULT_REPLAY_CONCURRENCY = 64;
