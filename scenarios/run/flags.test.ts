import { afterEach, describe, expect, it } from 'vitest';
import { isShipgateError } from '../../core/errors.ts';
import { sandboxPlatform } from '../platform/sandbox.ts';
import { targetFromFlags } from './flags.ts';

const base = { admin: [], allowHost: [] };
const saved = process.env.SHIPGATE_ADMIN_TOKEN;
afterEach(() => {
  if (saved === undefined) delete process.env.SHIPGATE_ADMIN_TOKEN;
  else process.env.SHIPGATE_ADMIN_TOKEN = saved;
});

describe('a platform target from flags', () => {
  it('the built-in adapter unless one is given; admin URLs need the token from the environment', () => {
    delete process.env.SHIPGATE_ADMIN_TOKEN;
    const t = targetFromFlags({ ...base, target: 'http://127.0.0.1:9000/base' });
    expect(t.platform).toBeUndefined();
    expect(t.description).toBe('http://127.0.0.1:9000');
    expect(t.admin).toBeUndefined();
    const own = targetFromFlags({
      ...base,
      target: 'http://127.0.0.1:9000',
      platform: { ...sandboxPlatform, name: 'own' },
    });
    expect(own.platform?.name).toBe('own');
    expect(own.description).toBe('own at http://127.0.0.1:9000');
    try {
      targetFromFlags({
        ...base,
        target: 'http://127.0.0.1:9000',
        admin: ['parcelly=http://127.0.0.1:9001'],
      });
      expect.unreachable();
    } catch (error) {
      expect(isShipgateError(error) && error.code).toBe('SG_CANARY_TOKEN_MISSING');
    }
    process.env.SHIPGATE_ADMIN_TOKEN = 'secret-token-value';
    const withAdmin = targetFromFlags({
      ...base,
      target: 'http://127.0.0.1:9000',
      admin: ['parcelly=http://127.0.0.1:9001'],
    });
    expect(withAdmin.admin?.urls).toEqual({ parcelly: 'http://127.0.0.1:9001' });
    expect(() => targetFromFlags({ ...base, target: 'http://127.0.0.1:9000', admin: ['nope'] })).toThrow(
      /service=url/,
    );
  });
});
