import { describe, expect, it } from 'vitest';
import { endpointNamer } from './endpoint.ts';

describe('endpoint names', () => {
  const name = endpointNamer(['/users/{user}/orders']);

  it('collapses ids in paths and drops the query', () => {
    expect(name('GET', '/fulfilment/tickets/FT-0000001/status?x=1')).toBe(
      'GET /fulfilment/tickets/{id}/status',
    );
    expect(name('PUT', '/fulfilment/requests/shop-1001')).toBe('PUT /fulfilment/requests/{id}');
    expect(name('GET', '/v2/orders/123')).toBe('GET /v2/orders/{id}');
    expect(name('GET', '/a/3f2b8c1e-9d4a-4e5f-8a7b-1c2d3e4f5a6b')).toBe('GET /a/{id}');
    expect(name('GET', '/a/deadbeefdeadbeef00')).toBe('GET /a/{id}');
    expect(name('GET', '/customers/ada%40example.test/orders')).toBe('GET /customers/{id}/orders');
    expect(name('GET', '/')).toBe('GET /');
  });

  it('uses the user templates first', () => {
    expect(name('GET', '/users/alice/orders')).toBe('GET /users/{user}/orders');
    expect(name('GET', '/users/alice')).toBe('GET /users/alice');
  });
});
