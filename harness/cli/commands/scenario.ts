import type { Command } from 'commander';

/** Registers the load and fault scenarios (issue 5) subcommands. */
export function registerScenario(_program: Command): void {}
