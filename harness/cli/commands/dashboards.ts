import type { Command } from 'commander';

/** Registers the dashboards export (issue 7) subcommands. */
export function registerDashboards(_program: Command): void {}
