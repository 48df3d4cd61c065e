import type { Command } from 'commander';

/** Registers the report re-rendering (issue 7) subcommands. */
export function registerReport(_program: Command): void {}
