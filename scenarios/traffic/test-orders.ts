import fc from 'fast-check';
import { Order, REGIONS, SERVICE_LEVELS } from '../../contracts/domain/order.ts';
import { validator } from '../../core/schema/validate.ts';

/** Fixtures for tests of readers, scrubber and replay (imported by tests only). */

const validate = validator(Order);

export function sampleOrder(id = 'o-1', overrides: Partial<Order> = {}): Order {
  return {
    id,
    createdAt: '2026-11-23T10:00:00.000Z',
    customer: {
      name: 'Alice Marker',
      phone: '+447700900123',
      email: 'alice.marker@gmail.com',
      address: { line1: '221B Baker Street', city: 'Markerton', postcode: '312345', country: 'XS' },
    },
    items: [{ sku: 'TV-55', qty: 1, weightKg: 17.5 }],
    destination: { region: 'NE', postcode: '312345' },
    serviceLevel: 'standard',
    promisedBy: '2026-11-25T20:00:00.000Z',
    value: 499.99,
    currency: 'EUR',
    ...overrides,
  };
}

const postcode = fc.stringMatching(/^[1-9][0-9]{5}$/);
const text = (max: number) =>
  fc.oneof(
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: max }),
    fc.constantFrom(
      'Анна Петрова',
      '山田 太郎',
      'José Álvarez-Núñez',
      "Zoë O'Brien",
      'Łukasz Wójcik',
      'محمد الأحمد',
    ),
  );

export const orderArbitrary: fc.Arbitrary<Order> = fc
  .record({
    id: fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,30}$/),
    name: text(60),
    phone: fc.stringMatching(/^\+[1-9][0-9]{6,14}$/),
    email: fc.emailAddress(),
    line1: text(80),
    line2: fc.option(text(40), { nil: undefined }),
    city: text(40),
    postcode,
    vip: fc.option(fc.boolean(), { nil: undefined }),
    region: fc.constantFrom(...REGIONS),
    serviceLevel: fc.constantFrom(...SERVICE_LEVELS),
    qty: fc.integer({ min: 1, max: 1000 }),
    weightKg: fc.double({ min: 0.01, max: 1000, noNaN: true }),
    value: fc.double({ min: 0, max: 1e6, noNaN: true }),
    notes: fc.option(
      fc.oneof(
        fc.string({ maxLength: 200 }),
        fc
          .tuple(fc.emailAddress(), fc.stringMatching(/^\+[1-9][0-9]{9,12}$/))
          .map(([email, phone]) => `call ${phone} or write to ${email}; 12 Elm Street`),
      ),
      { nil: undefined },
    ),
  })
  .map(
    (r): Order => ({
      id: r.id,
      createdAt: '2026-11-23T10:00:00.000Z',
      customer: {
        name: r.name,
        phone: r.phone,
        email: r.email,
        address: {
          line1: r.line1,
          ...(r.line2 === undefined ? {} : { line2: r.line2 }),
          city: r.city,
          postcode: r.postcode,
          country: 'XS',
        },
        ...(r.vip === undefined ? {} : { vip: r.vip }),
      },
      items: [{ sku: 'SKU-1', qty: r.qty, weightKg: r.weightKg }],
      destination: { region: r.region, postcode: r.postcode },
      serviceLevel: r.serviceLevel,
      promisedBy: '2026-11-25T20:00:00.000Z',
      value: r.value,
      currency: 'EUR',
      ...(r.notes === undefined ? {} : { notes: r.notes }),
    }),
  )
  .filter((order) => validate(order).ok);
