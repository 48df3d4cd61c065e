import type { ParcelRequest } from '../domain/shipping.ts';

/**
 * The example data of the consumer specs. Fictional (no real person), and valid for the
 * sandbox's world (postcodes in its regions), because provider verification replays
 * these exact requests against a real provider.
 *
 * 2.5 kg is chosen so that kilograms and grams differ in TYPE, not only in value: steppe
 * wants integer grams (2500); a client sending kilograms sends 2.5, which no integer
 * matcher accepts.
 */
export const EXAMPLE_PARCEL: ParcelRequest = {
  orderId: 'ORD-CONTRACT-0001',
  weightKg: 2.5,
  serviceLevel: 'standard',
  fromPostcode: '100000',
  toPostcode: '200000',
  recipient: {
    name: 'Contract Example',
    phone: '+10000000000',
    email: 'contract@example.test',
    line1: '1 Example Street',
    city: 'Northgate',
    country: 'XX',
  },
  shipDate: '2026-03-02T17:00:00.000Z',
};

/** A parcel over the lowered limit of the "carrier rejects oversize parcels" state. */
export const OVERSIZE_LIMIT_KG = 20;
export const OVERSIZE_PARCEL: ParcelRequest = {
  ...EXAMPLE_PARCEL,
  orderId: 'ORD-CONTRACT-0002',
  weightKg: 25,
};

export const EXAMPLE_TIME = '2026-03-02T08:00:00.000Z';

export const IDS = {
  parcellyShipment: 'shp_0c0ffee0c0ffee0c0ffee001',
  parcellyRate: 'rate_0c0ffee0c0ffee0c0ffee002',
  parcellyTracking: 'PC00000000000001',
  labelfastLabel: 'se-0c0ffee0c0ffee0c0ff',
  labelfastTracking: '1LF0C0FFEE0C0FFEE0',
  steppeOrder: '6f1c2a9e-3b7d-4c1e-9a2f-0d8e7b6c5a41',
} as const;
