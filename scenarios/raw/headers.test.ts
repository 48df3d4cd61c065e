import { describe, expect, it } from 'vitest';
import { isShipgateError } from '../../core/errors.ts';
import { parseHeaderFlag, prepareHeaders, resolveHeaderRules } from './headers.ts';

describe('raw replay headers', () => {
  const recorded: [string, string][] = [
    ['Host', 'shop.example.com'],
    ['Connection', 'keep-alive, X-Hop'],
    ['Keep-Alive', 'timeout=5'],
    ['X-Hop', 'per-connection'],
    ['Transfer-Encoding', 'chunked'],
    ['TE', 'trailers'],
    ['Upgrade', 'h2c'],
    ['Proxy-Authorization', 'Basic c2VjcmV0'],
    ['Content-Length', '12'],
    ['traceparent', '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'],
    ['Authorization', 'Bearer recorded-token'],
    ['Cookie', 'session=abc'],
    ['X-Api-Key', 'k-123'],
    ['Accept', 'application/json'],
    ['Accept', 'text/plain'],
    ['Content-Type', 'application/json'],
  ];

  it('drops hop-by-hop, client-set and unrewritten credential headers; sets the rules', () => {
    const { headers, droppedCredentials } = prepareHeaders(recorded, [
      { name: 'Authorization', value: 'Bearer from-env' },
      { name: 'X-Tenant', value: 'eu' },
    ]);
    expect(headers).toEqual({
      accept: 'application/json, text/plain',
      'content-type': 'application/json',
      authorization: 'Bearer from-env',
      'x-tenant': 'eu',
    });
    expect(droppedCredentials.sort()).toEqual(['cookie', 'x-api-key']);
  });

  it('reads rule values from the environment when the replay starts', () => {
    const rules = resolveHeaderRules(
      { Authorization: { env: 'TOKEN', prefix: 'Bearer ' }, 'X-Tenant': 'eu' },
      'replay.headers',
      { TOKEN: 's3cret' },
    );
    expect(rules).toEqual([
      { name: 'Authorization', value: 'Bearer s3cret' },
      { name: 'X-Tenant', value: 'eu' },
    ]);
  });

  it('refuses an unset variable (naming it and the key) and a literal credential', () => {
    const missing = (() => {
      try {
        resolveHeaderRules({ Authorization: { env: 'NOPE' } }, '--header', {});
      } catch (error) {
        return error;
      }
    })();
    expect(isShipgateError(missing) && missing.code).toBe('SG_ENV_MISSING');
    expect(String(missing)).toMatch(/NOPE.*--header\.Authorization/);
    expect(() => resolveHeaderRules({ 'X-Api-Key': 'literal' }, 'replay.headers', {})).toThrow(
      /never given as a literal/,
    );
  });

  it('parses --header flags into the config shape', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: ${VARIABLE} is the --header flag's own syntax
    expect(parseHeaderFlag('Authorization: Bearer ${API_TOKEN}')).toEqual([
      'Authorization',
      { env: 'API_TOKEN', prefix: 'Bearer ' },
    ]);
    // biome-ignore lint/suspicious/noTemplateCurlyInString: ${VARIABLE} is the --header flag's own syntax
    expect(parseHeaderFlag('X-Api-Key:${KEY}')).toEqual(['X-Api-Key', { env: 'KEY' }]);
    expect(parseHeaderFlag('X-Tenant: eu')).toEqual(['X-Tenant', 'eu']);
    expect(() => parseHeaderFlag('no colon')).toThrow(/Name: value/);
  });
});
