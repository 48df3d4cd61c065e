import type { FulfilmentRequest } from './desk/request-schema.ts';

/** A valid fulfilment request for tests and for trying the API by hand. */
export function sampleRequest(
  postcode = 'CQ-118',
  overrides: Partial<FulfilmentRequest> = {},
): FulfilmentRequest {
  return {
    speed: 'next-day',
    recipient: {
      fullName: 'Ada Quill',
      email: 'ada@example.test',
      street: '4 Harbour Row',
      town: 'Saltby',
      postcode,
    },
    lines: [{ article: 'KS-0007', units: 2, unitGrams: 350, unitPriceCents: 1299 }],
    ...overrides,
  };
}

/** PUT a fulfilment request and read the answer. */
export async function putRequest(baseUrl: string, clientRef: string, body: unknown) {
  const response = await fetch(`${baseUrl}/fulfilment/requests/${clientRef}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return {
    status: response.status,
    track: response.headers.get('x-release-track'),
    replay: response.headers.get('idempotent-replay'),
    json: (await response.json()) as Record<string, unknown>,
  };
}
