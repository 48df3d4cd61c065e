import type { Command } from 'commander';

/** Registers the traffic generate and scrub (issue 4) subcommands. */
export function registerTraffic(_program: Command): void {}
