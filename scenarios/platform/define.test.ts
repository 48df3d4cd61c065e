import { describe, expect, it } from 'vitest';
import { isShipgateError } from '../../core/errors.ts';
import { checkRequest, definePlatform } from './define.ts';
import { sandboxPlatform } from './sandbox.ts';
import type { PlatformAdapter } from './types.ts';

const minimal: PlatformAdapter = {
  name: 'tiny',
  idempotency: { kind: 'path' },
  submit: (order, { key }) => ({ method: 'PUT', path: `/orders/${key}`, body: { ref: order.id } }),
  readSubmit: (answer) => (answer.status === 201 ? { kind: 'accepted' } : { kind: 'refused', reason: 'no' }),
  outcome: { kind: 'answer' },
  decisions: { groupBy: [] },
};

function problem(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (isShipgateError(error)) return `${error.code}: ${error.message}`;
    throw error;
  }
  return 'no error';
}

describe('definePlatform', () => {
  it('returns a well-formed adapter unchanged, the built-in one included', () => {
    expect(definePlatform(minimal)).toBe(minimal);
    expect(definePlatform(sandboxPlatform)).toBe(sandboxPlatform);
  });

  it('names the key of each mistake', () => {
    const bad = (over: Record<string, unknown>) => () =>
      definePlatform({ ...minimal, ...over } as unknown as PlatformAdapter);
    expect(problem(bad({ submit: 'PUT /x' }))).toBe(
      'SG_PLATFORM_ADAPTER_INVALID: platform adapter tiny: submit: must be a function',
    );
    expect(problem(bad({ idempotency: { kind: 'cookie' } }))).toContain('idempotency.kind: must be one of');
    expect(problem(bad({ idempotency: { kind: 'header' } }))).toContain('idempotency.header');
    expect(problem(bad({ outcome: { kind: 'poll', request: () => undefined } }))).toContain(
      'outcome.read: must be a function',
    );
    expect(
      problem(bad({ outcome: { kind: 'batch', request: () => 1, read: () => 1, maxBatch: 0 } })),
    ).toContain('outcome.maxBatch');
    expect(problem(bad({ clock: { request: () => 1 } }))).toContain('clock.read');
    expect(problem(bad({ acceptedStatuses: ['201'] }))).toContain('acceptedStatuses');
    expect(problem(bad({ decisions: { fields: [''], groupBy: [] } }))).toContain('decisions.fields');
    expect(problem(() => definePlatform(undefined as unknown as PlatformAdapter))).toContain('(adapter)');
  });

  it('refuses a request that would leave the target', () => {
    expect(checkRequest({ method: 'GET', path: '/a' }, 'tiny', 'submit').path).toBe('/a');
    expect(
      problem(() => checkRequest({ method: 'GET', path: 'http://elsewhere/a' }, 'tiny', 'submit')),
    ).toContain('submit: path must start with a single "/"');
    expect(problem(() => checkRequest({ method: 'GET', path: '//elsewhere/a' }, 'tiny', 'submit'))).toContain(
      'path must start',
    );
    expect(
      problem(() => checkRequest({ method: 'TRACE', path: '/a' } as never, 'tiny', 'outcome.request')),
    ).toContain('outcome.request: method must be one of');
  });
});
