import type { Command } from 'commander';

/** Registers the contract tests (issue 3) subcommands. */
export function registerContracts(_program: Command): void {}
