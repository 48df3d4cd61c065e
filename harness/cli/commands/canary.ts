import type { Command } from 'commander';

/** Registers the canary gate (issue 6) subcommands. */
export function registerCanary(_program: Command): void {}
