import { PARCELLY_SERVICES, PARCELLY_STATUSES } from '../../carriers/parcelly/api.ts';
import { EXAMPLE_PARCEL, EXAMPLE_TIME, IDS, OVERSIZE_LIMIT_KG, OVERSIZE_PARCEL } from '../examples.ts';
import { expectCarrierRefusal, expectThat } from '../expect.ts';
import {
  boolean,
  currencyCode,
  eachLike,
  integer,
  isoDateTime,
  number,
  oneOf,
  regex,
  string,
} from '../matchers.ts';
import type { CarrierInteraction } from '../types.ts';

/** parcelly: shipment with rates → buy a rate → refund → tracker. Weights in ounces. */

const SERVICES = Object.keys(PARCELLY_SERVICES) as (keyof typeof PARCELLY_SERVICES)[];
const basicAuth = regex('^Basic [A-Za-z0-9+/=]+$', `Basic ${Buffer.from('test-key:').toString('base64')}`);
const headers = { authorization: basicAuth };

const address = (parcel = EXAMPLE_PARCEL) => ({
  to_address: {
    name: string(parcel.recipient.name),
    street1: string(parcel.recipient.line1),
    city: string(parcel.recipient.city),
    zip: regex('^[0-9]{6}$', parcel.toPostcode),
    country: regex('^[A-Z]{2}$', parcel.recipient.country),
    phone: string(parcel.recipient.phone),
    email: string(parcel.recipient.email),
  },
  from_address: {
    company: string('Warehouse'),
    zip: regex('^[0-9]{6}$', parcel.fromPostcode),
    country: regex('^[A-Z]{2}$', 'XX'),
  },
});

const createBody = (parcel: typeof EXAMPLE_PARCEL, ounces: number) => ({
  shipment: {
    ...address(parcel),
    parcel: { weight: number(ounces) },
    reference: string(parcel.orderId),
    options: { label_date: isoDateTime(parcel.shipDate) },
  },
});

const rate = (id: string = IDS.parcellyRate) => ({
  id: regex('^rate_[0-9a-f]+$', id),
  object: 'Rate',
  shipment_id: string(IDS.parcellyShipment),
  carrier: string('Parcelly'),
  service: oneOf(SERVICES, 'Ground'),
  rate: regex('^[0-9]+\\.[0-9]{2}$', '9.85'),
  currency: currencyCode('USD'),
  delivery_days: integer(2),
  delivery_date_guaranteed: boolean(false),
});

const shipment = (overrides: Record<string, unknown>) => ({
  id: regex('^shp_[0-9a-f]+$', IDS.parcellyShipment),
  object: 'Shipment',
  created_at: isoDateTime(EXAMPLE_TIME),
  parcel: { weight: number(88.2) },
  rates: eachLike(rate()),
  status: oneOf(PARCELLY_STATUSES, 'unknown'),
  ...overrides,
});

export const parcellyInteractions: CarrierInteraction[] = [
  {
    id: 'parcelly/quote',
    provider: 'parcelly',
    description: 'a rate quote for a 2.5 kg parcel',
    states: [],
    request: { method: 'POST', path: '/v2/shipments', headers, body: createBody(EXAMPLE_PARCEL, 88.2) },
    response: {
      status: 201,
      body: shipment({ selected_rate: null, tracking_code: null, refund_status: null }),
    },
    async exercise(client) {
      const quotes = await client.quote(EXAMPLE_PARCEL);
      expectThat(quotes.length > 0, 'no quotes');
      expectThat(
        quotes[0]?.quoteRef === `${IDS.parcellyShipment}:${IDS.parcellyRate}`,
        `quoteRef ${quotes[0]?.quoteRef}`,
      );
    },
  },
  {
    id: 'parcelly/quote-oversize',
    provider: 'parcelly',
    description: 'a rate quote for a parcel over the weight limit',
    states: [{ name: 'carrier rejects oversize parcels', params: { maxWeightKg: OVERSIZE_LIMIT_KG } }],
    request: { method: 'POST', path: '/v2/shipments', headers, body: createBody(OVERSIZE_PARCEL, 881.8) },
    response: {
      status: 422,
      body: {
        error: {
          code: string('PARCEL.WEIGHT.EXCEEDED'),
          message: string('parcel weight 881.8 oz exceeds the limit of 705.5 oz'),
          errors: eachLike({ field: string('shipment.parcel.weight'), message: string('too heavy') }),
        },
      },
    },
    exercise: (client) => expectCarrierRefusal(client.quote(OVERSIZE_PARCEL), 422),
  },
  {
    id: 'parcelly/create-shipment',
    provider: 'parcelly',
    description: 'buying a quoted rate',
    states: [
      {
        name: `shipment ${IDS.parcellyShipment} is quoted`,
        params: {
          rateId: IDS.parcellyRate,
          toPostcode: EXAMPLE_PARCEL.toPostcode,
          weightKg: EXAMPLE_PARCEL.weightKg,
        },
      },
    ],
    request: {
      method: 'POST',
      path: `/v2/shipments/${IDS.parcellyShipment}/buy`,
      headers,
      body: { rate: { id: IDS.parcellyRate } },
    },
    response: {
      status: 200,
      body: shipment({
        selected_rate: rate(),
        tracking_code: string(IDS.parcellyTracking),
        status: oneOf(PARCELLY_STATUSES, 'pre_transit'),
        refund_status: null,
      }),
    },
    async exercise(client) {
      const bought = await client.createShipment(EXAMPLE_PARCEL, {
        carrier: 'parcelly',
        service: 'Ground',
        serviceLevel: 'standard',
        quoteRef: `${IDS.parcellyShipment}:${IDS.parcellyRate}`,
        price: 9.85,
        currency: 'USD',
        transitDays: 2,
      });
      expectThat(bought.trackingNumber === IDS.parcellyTracking, `trackingNumber ${bought.trackingNumber}`);
    },
  },
  {
    id: 'parcelly/cancel',
    provider: 'parcelly',
    description: 'refunding a bought shipment before pickup',
    states: [
      {
        name: `shipment ${IDS.parcellyShipment} is created`,
        params: { trackingNumber: IDS.parcellyTracking },
      },
    ],
    request: { method: 'POST', path: `/v2/shipments/${IDS.parcellyShipment}/refund`, headers },
    response: {
      status: 200,
      body: shipment({
        selected_rate: rate(),
        tracking_code: string(IDS.parcellyTracking),
        refund_status: oneOf(['submitted', 'refunded', 'rejected'], 'refunded'),
      }),
    },
    exercise: (client) =>
      client.cancel({ shipmentId: IDS.parcellyShipment, trackingNumber: IDS.parcellyTracking }),
  },
  {
    id: 'parcelly/track',
    provider: 'parcelly',
    description: 'tracking a shipment in transit',
    states: [
      {
        name: `shipment ${IDS.parcellyShipment} is in_transit`,
        params: { trackingNumber: IDS.parcellyTracking },
      },
    ],
    request: { method: 'GET', path: `/v2/trackers/${IDS.parcellyTracking}`, headers },
    response: {
      status: 200,
      body: {
        id: regex('^trk_[0-9a-f]+$', 'trk_0c0ffee0c0ffee0c0ffee003'),
        object: 'Tracker',
        tracking_code: string(IDS.parcellyTracking),
        shipment_id: string(IDS.parcellyShipment),
        carrier: string('Parcelly'),
        status: oneOf(PARCELLY_STATUSES, 'in_transit'),
        est_delivery_date: isoDateTime('2026-03-04T12:00:00.000Z'),
        tracking_details: eachLike({
          object: 'TrackingDetail',
          status: oneOf(PARCELLY_STATUSES, 'in_transit'),
          message: string('Departed facility'),
          datetime: isoDateTime(EXAMPLE_TIME),
          tracking_location: { city: string('Centreville'), zip: null },
        }),
        updated_at: isoDateTime(EXAMPLE_TIME),
      },
    },
    async exercise(client) {
      const tracking = await client.track({
        shipmentId: IDS.parcellyShipment,
        trackingNumber: IDS.parcellyTracking,
      });
      expectThat(tracking.status === 'in_transit', `status ${tracking.status}`);
      expectThat(tracking.events.length > 0, 'no events');
    },
  },
];
