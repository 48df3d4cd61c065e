import type { ProviderName } from '../../contracts/pact/types.ts';

/**
 * Each provider's own auth style, added to every replayed request by the verifier's
 * request filter (pacts record only an example credential).
 */
export function authHeaders(provider: ProviderName | string, apiKey: string): Record<string, string> {
  switch (provider) {
    case 'parcelly':
      return { authorization: `Basic ${Buffer.from(`${apiKey}:`).toString('base64')}` };
    case 'labelfast':
      return { 'api-key': apiKey };
    case 'inventory':
      return { 'x-api-key': apiKey };
    default:
      return { authorization: `Bearer ${apiKey}` };
  }
}
