import { afterEach, describe, expect, it } from 'vitest';
import { isShipgateError } from '../../core/errors.ts';
import { targetFromFlags } from './flags.ts';

const base = { scrape: [], admin: [], allowHost: [] };
const saved = process.env.SHIPGATE_ADMIN_TOKEN;
afterEach(() => {
  if (saved === undefined) delete process.env.SHIPGATE_ADMIN_TOKEN;
  else process.env.SHIPGATE_ADMIN_TOKEN = saved;
});

describe('a platform target from flags', () => {
  it('scrapes TARGET/metrics by default; admin URLs need the token from the environment', () => {
    delete process.env.SHIPGATE_ADMIN_TOKEN;
    const t = targetFromFlags({ ...base, target: 'http://127.0.0.1:9000/base' });
    expect(t.source.name).toBe('direct-scrape');
    expect(t.admin).toBeUndefined();
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
      prometheus: 'http://127.0.0.1:9090',
    });
    expect(withAdmin.admin?.urls).toEqual({ parcelly: 'http://127.0.0.1:9001' });
    expect(withAdmin.source.name).toBe('prometheus');
    expect(withAdmin.finalScrapeDelayMs).toBeGreaterThan(0);
    expect(() => targetFromFlags({ ...base, target: 'http://127.0.0.1:9000', admin: ['nope'] })).toThrow(
      /service=url/,
    );
  });
});
