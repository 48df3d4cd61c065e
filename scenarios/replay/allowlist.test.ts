import { describe, expect, it } from 'vitest';
import { isShipgateError } from '../../core/errors.ts';
import { assertTargetAllowed, createAllowlist } from './allowlist.ts';

describe('allowlist', () => {
  const loopback = createAllowlist();

  it('allows loopback by default', () => {
    for (const url of [
      'http://127.0.0.1:3000',
      'http://127.8.9.10',
      'http://[::1]:80',
      'http://localhost:1',
      'http://[::ffff:127.0.0.1]:9',
    ]) {
      expect(() => assertTargetAllowed(url, loopback), url).not.toThrow();
    }
  });

  it('refuses anything else with SG_TARGET_NOT_ALLOWED', () => {
    for (const url of [
      'http://10.0.0.1',
      'https://api.example.com',
      'http://localhost.evil.com',
      'http://[::2]',
      'http://128.0.0.1',
    ]) {
      try {
        assertTargetAllowed(url, loopback);
        expect.fail(`${url} was allowed`);
      } catch (error) {
        expect(isShipgateError(error) && error.code).toBe('SG_TARGET_NOT_ALLOWED');
      }
    }
  });

  it('allows hosts and ranges named explicitly', () => {
    const list = createAllowlist(['staging.internal', '10.1.0.0/16', 'fd00::/8']);
    expect(list.allows('STAGING.internal')).toBe(true);
    expect(list.allows('10.1.200.3')).toBe(true);
    expect(list.allows('10.2.0.1')).toBe(false);
    expect(list.allows('[fd00::5]')).toBe(true);
    expect(list.allows('prod.internal')).toBe(false);
  });

  it('rejects malformed targets as usage errors', () => {
    expect(() => assertTargetAllowed('not a url', loopback)).toThrow(/not a URL/);
    expect(() => assertTargetAllowed('ftp://127.0.0.1', loopback)).toThrow(/http or https/);
  });
});
