import type { Command } from 'commander';

/** Registers the traffic replay (issue 4) subcommands. */
export function registerReplay(_program: Command): void {}
