import type { Command } from 'commander';

/** Registers the sandbox up, down and defects (issue 2) subcommands. */
export function registerSandbox(_program: Command): void {}
