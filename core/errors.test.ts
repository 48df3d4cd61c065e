import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorCatalogue, ShipgateError, shipgateError } from './errors.ts';
import { ExitCode } from './exit-codes.ts';

describe('error catalogue', () => {
  it('formats the template with the parameters and carries code and exit code', () => {
    const error = shipgateError('SG_INPUT_INVALID', {
      file: 'orders.jsonl',
      line: 12,
      field: 'customer.email',
      problem: 'must match format "email"',
    });
    expect(error).toBeInstanceOf(ShipgateError);
    expect(error.message).toBe('orders.jsonl:12: customer.email: must match format "email"');
    expect(error.code).toBe('SG_INPUT_INVALID');
    expect(error.exitCode).toBe(ExitCode.Usage);
  });

  it('has unique codes, each with an exit code of the design', () => {
    const entries = errorCatalogue();
    expect(new Set(entries.map((e) => e.code)).size).toBe(entries.length);
    for (const entry of entries) expect(Object.values(ExitCode)).toContain(entry.exit);
  });
});

describe('README', () => {
  it('documents every error code with its exit status', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    for (const entry of errorCatalogue()) expect(readme).toContain(`| ${entry.code} | ${entry.exit} |`);
  });
});
