import fc from 'fast-check';
import { REGIONS, SERVICE_LEVELS } from '../domain/order.ts';
import type { ParcelRequest } from '../domain/shipping.ts';
import type { ReserveRequest } from '../inventory/client.ts';

/**
 * Generated inputs for the generative contract checks: what real orders throw at the
 * integrations. Names and addresses in any script (and grapheme clusters, emoji,
 * empty strings, over-long ones); weights from a gram to far past every carrier's
 * limit; dates at the edges (epoch, leap days, 2038, far future); many order lines.
 * All synthetic: no real person's data.
 */

const SCRIPTS = [
  'Zoë Ørsted-Ñúñez',
  '李小龙',
  'Ёжиков Пётр',
  'محمد عبد الله',
  'Nguyễn Thị Minh Khai',
  '👩🏽‍🚀 Ada',
  'O\'Brien & "Co" <b>',
  '',
];

export const text = (maxLength: number) =>
  fc.oneof(
    fc.constantFrom(...SCRIPTS),
    fc.string({ unit: 'grapheme', maxLength }),
    fc.string({ unit: 'binary', maxLength: Math.min(maxLength, 40) }),
    // Past the carriers' field limits: a documented validation error, never a 5xx.
    fc.string({ unit: 'grapheme-ascii', minLength: 201, maxLength: 300 }),
  );

/** Six-digit postcodes, mostly in the sandbox's regions (first digit 1–9), some outside (0…). */
export const postcode = fc
  .oneof(
    {
      weight: 9,
      arbitrary: fc.tuple(fc.integer({ min: 1, max: REGIONS.length }), fc.integer({ min: 0, max: 99_999 })),
    },
    { weight: 1, arbitrary: fc.tuple(fc.constant(0), fc.integer({ min: 0, max: 99_999 })) },
  )
  .map(([region, rest]) => `${region}${String(rest).padStart(5, '0')}`);

/** Kilograms: a gram up to 120 kg (every carrier's limit is below), with the boundaries. */
export const weightKg = fc.oneof(
  fc.double({ min: 0.001, max: 120, noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0.001, 0.01, 0.1, 2.5, 20, 31.75, 31.76, 50, 50.001, 68, 68.01, 120),
);

export const edgeDate = fc.oneof(
  fc.constantFrom(
    '1970-01-01T00:00:00.000Z',
    '2028-02-29T23:59:59.999Z',
    '2038-01-19T03:14:08.000Z',
    '2099-12-31T23:59:59.999Z',
  ),
  fc
    .date({
      min: new Date('1970-01-01T00:00:00Z'),
      max: new Date('2100-01-01T00:00:00Z'),
      noInvalidDate: true,
    })
    .map((d) => d.toISOString()),
);

export const parcel: fc.Arbitrary<ParcelRequest> = fc.record({
  orderId: fc.oneof(fc.uuid(), fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 64 })),
  weightKg,
  serviceLevel: fc.constantFrom(...SERVICE_LEVELS),
  fromPostcode: postcode,
  toPostcode: postcode,
  recipient: fc.record({
    name: text(80),
    phone: fc.oneof(fc.constant('+10000000000'), fc.string({ unit: 'grapheme-ascii', maxLength: 40 })),
    email: fc.oneof(fc.emailAddress(), text(30)),
    line1: text(120),
    city: text(60),
    country: fc.constantFrom('XX', 'DE', 'JP', 'BR'),
  }),
  shipDate: edgeDate,
});

/** A reservation of many lines: catalogue SKUs and unknown ones, small and large quantities. */
export function reservation(skus: readonly string[]): fc.Arbitrary<ReserveRequest> {
  const sku = fc.oneof(
    { weight: 9, arbitrary: fc.constantFrom(...skus) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 20 }) },
  );
  return fc.record({
    orderId: fc.uuid(),
    idempotencyKey: fc.uuid(),
    lines: fc.uniqueArray(fc.record({ sku, qty: fc.integer({ min: 1, max: 500 }) }), {
      minLength: 1,
      maxLength: 60,
      selector: (l) => l.sku,
    }),
    ttlSeconds: fc.integer({ min: 1, max: 86_400 }),
  });
}
