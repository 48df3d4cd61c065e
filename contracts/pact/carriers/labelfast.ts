import {
  LABELFAST_EVENT_CODES,
  LABELFAST_SERVICES,
  LABELFAST_STATUS_CODES,
} from '../../carriers/labelfast/api.ts';
import type { ParcelRequest } from '../../domain/shipping.ts';
import { EXAMPLE_PARCEL, EXAMPLE_TIME, IDS, OVERSIZE_LIMIT_KG, OVERSIZE_PARCEL } from '../examples.ts';
import { expectCarrierRefusal, expectThat } from '../expect.ts';
import { boolean, eachLike, integer, isoDateTime, number, oneOf, regex, string } from '../matchers.ts';
import type { CarrierInteraction } from '../types.ts';

/** labelfast: optional rates, one-call labels, void, tracking with two-letter codes. Weights {value, unit}. */

const SERVICES = Object.keys(LABELFAST_SERVICES) as (keyof typeof LABELFAST_SERVICES)[];
const headers = { 'api-key': string('test-key') };
const money = (amount: number) => ({ amount: number(amount), currency: regex('^[a-z]{3}$', 'usd') });

const shipmentInput = (parcel: ParcelRequest) => ({
  ship_to: {
    name: string(parcel.recipient.name),
    phone: string(parcel.recipient.phone),
    email: string(parcel.recipient.email),
    address_line1: string(parcel.recipient.line1),
    city_locality: string(parcel.recipient.city),
    postal_code: regex('^[0-9]{6}$', parcel.toPostcode),
    country_code: regex('^[A-Z]{2}$', parcel.recipient.country),
  },
  ship_from: {
    postal_code: regex('^[0-9]{6}$', parcel.fromPostcode),
    country_code: regex('^[A-Z]{2}$', parcel.recipient.country),
  },
  ship_date: isoDateTime(parcel.shipDate),
  // The platform speaks kilograms to labelfast; the unit is part of the contract.
  packages: [{ weight: { value: number(parcel.weightKg), unit: 'kilogram' } }],
});

const quoteFor = (service: string) => ({
  carrier: 'labelfast' as const,
  service,
  serviceLevel: 'standard' as const,
  quoteRef: 'se-0c0ffee1',
  price: 8.9,
  currency: 'USD',
  transitDays: 2,
});

export const labelfastInteractions: CarrierInteraction[] = [
  {
    id: 'labelfast/quote',
    provider: 'labelfast',
    description: 'rates for a 2.5 kg parcel',
    states: [],
    request: {
      method: 'POST',
      path: '/v1/rates',
      headers,
      body: { shipment: shipmentInput(EXAMPLE_PARCEL) },
    },
    response: {
      status: 200,
      body: {
        rate_response: {
          status: oneOf(['completed', 'partial', 'error'], 'completed'),
          rates: eachLike({
            rate_id: regex('^se-[0-9a-f]+$', 'se-0c0ffee1'),
            service_code: oneOf(SERVICES, 'lf_ground'),
            service_type: string('labelfast Ground'),
            shipping_amount: money(8.9),
            delivery_days: integer(2),
            estimated_delivery_date: isoDateTime('2026-03-04T12:00:00.000Z'),
          }),
          errors: [],
        },
      },
    },
    async exercise(client) {
      const quotes = await client.quote(EXAMPLE_PARCEL);
      expectThat(quotes.length > 0, 'no quotes');
      expectThat(quotes[0]?.currency === 'USD', `currency ${quotes[0]?.currency}`);
    },
  },
  {
    id: 'labelfast/quote-oversize',
    provider: 'labelfast',
    description: 'rates for a parcel over the weight limit',
    states: [{ name: 'carrier rejects oversize parcels', params: { maxWeightKg: OVERSIZE_LIMIT_KG } }],
    request: {
      method: 'POST',
      path: '/v1/rates',
      headers,
      body: { shipment: shipmentInput(OVERSIZE_PARCEL) },
    },
    response: {
      status: 400,
      body: {
        request_id: string('req-1'),
        errors: eachLike({
          error_source: string('labelfast'),
          error_type: oneOf(['validation', 'business_rules', 'security', 'system'], 'business_rules'),
          error_code: string('package_too_heavy'),
          message: string('package weight 25.000 kg exceeds the limit of 20 kg'),
        }),
      },
    },
    exercise: (client) => expectCarrierRefusal(client.quote(OVERSIZE_PARCEL), 400),
  },
  {
    id: 'labelfast/create-shipment',
    provider: 'labelfast',
    description: 'buying a ground label',
    states: [],
    request: {
      method: 'POST',
      path: '/v1/labels',
      headers,
      body: {
        shipment: { service_code: oneOf(SERVICES, 'lf_ground'), ...shipmentInput(EXAMPLE_PARCEL) },
        label_format: 'pdf',
        external_order_id: string(EXAMPLE_PARCEL.orderId),
      },
    },
    response: {
      status: 200,
      body: {
        label_id: regex('^se-[0-9a-f]+$', IDS.labelfastLabel),
        status: oneOf(['processing', 'completed', 'error', 'voided'], 'completed'),
        shipment_id: string('se-0c0ffee2'),
        ship_date: isoDateTime(EXAMPLE_PARCEL.shipDate),
        created_at: isoDateTime(EXAMPLE_TIME),
        tracking_number: string(IDS.labelfastTracking),
        service_code: oneOf(SERVICES, 'lf_ground'),
        shipment_cost: money(8.9),
        voided: boolean(false),
        label_download: { href: string('https://labelfast.example/labels/se-0c0ffee1.pdf') },
      },
    },
    async exercise(client) {
      const shipment = await client.createShipment(EXAMPLE_PARCEL, quoteFor('lf_ground'));
      expectThat(shipment.shipmentId === IDS.labelfastLabel, `shipmentId ${shipment.shipmentId}`);
      expectThat(shipment.currency === 'USD', `currency ${shipment.currency}`);
    },
  },
  {
    id: 'labelfast/cancel',
    provider: 'labelfast',
    description: 'voiding a label before pickup',
    states: [
      {
        name: `shipment ${IDS.labelfastLabel} is created`,
        params: { trackingNumber: IDS.labelfastTracking },
      },
    ],
    request: { method: 'PUT', path: `/v1/labels/${IDS.labelfastLabel}/void`, headers },
    response: { status: 200, body: { approved: true, message: string('This label has been voided.') } },
    exercise: (client) =>
      client.cancel({ shipmentId: IDS.labelfastLabel, trackingNumber: IDS.labelfastTracking }),
  },
  {
    id: 'labelfast/track',
    provider: 'labelfast',
    description: 'tracking a label in transit',
    states: [
      {
        name: `shipment ${IDS.labelfastLabel} is in_transit`,
        params: { trackingNumber: IDS.labelfastTracking },
      },
    ],
    request: { method: 'GET', path: `/v1/labels/${IDS.labelfastLabel}/track`, headers },
    response: {
      status: 200,
      body: {
        tracking_number: string(IDS.labelfastTracking),
        status_code: oneOf(LABELFAST_STATUS_CODES, 'IT'),
        status_description: string('In transit'),
        ship_date: isoDateTime(EXAMPLE_TIME),
        estimated_delivery_date: isoDateTime('2026-03-04T12:00:00.000Z'),
        actual_delivery_date: null,
        events: eachLike({
          occurred_at: isoDateTime(EXAMPLE_TIME),
          status_code: oneOf(LABELFAST_STATUS_CODES, 'IT'),
          event_code: oneOf(LABELFAST_EVENT_CODES, 'DP'),
          description: string('Departed facility'),
          city_locality: string('Centreville'),
          postal_code: regex('^[0-9]{6}$', '100000'),
        }),
      },
    },
    async exercise(client) {
      const tracking = await client.track({
        shipmentId: IDS.labelfastLabel,
        trackingNumber: IDS.labelfastTracking,
      });
      expectThat(tracking.status === 'in_transit', `status ${tracking.status}`);
    },
  },
];
