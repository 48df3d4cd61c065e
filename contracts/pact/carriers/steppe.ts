import { STEPPE_STATUSES, STEPPE_TARIFF_CODES } from '../../carriers/steppe/api.ts';
import { nominalBoxCm } from '../../carriers/steppe/units.ts';
import type { ParcelRequest } from '../../domain/shipping.ts';
import { EXAMPLE_PARCEL, EXAMPLE_TIME, IDS, OVERSIZE_LIMIT_KG, OVERSIZE_PARCEL } from '../examples.ts';
import { expectCarrierRefusal, expectThat } from '../expect.ts';
import { eachLike, integer, isoDateTime, number, oneOf, regex, string, uuid } from '../matchers.ts';
import type { CarrierInteraction } from '../types.ts';

/**
 * steppe: calculator, asynchronous orders, newest-first statuses. Weights are INTEGER
 * GRAMS: the `integer` matcher on packages[].weight is what catches a client that sends
 * kilograms (the canary's unit-mismatch defect).
 */

const headers = { authorization: regex('^Bearer \\S+$', 'Bearer test-key') };
const REQUEST_TYPES = ['CREATE', 'DELETE', 'GET', 'CALCULATE'] as const;
const REQUEST_STATES = ['ACCEPTED', 'WAITING', 'SUCCESSFUL', 'INVALID'] as const;

const grams = (kg: number) => Math.round(kg * 1000);
const packages = (parcel: ParcelRequest) => [
  {
    number: string('1'),
    weight: integer(grams(parcel.weightKg)),
    length: integer(nominalBoxCm(parcel.weightKg).length),
    width: integer(nominalBoxCm(parcel.weightKg).width),
    height: integer(nominalBoxCm(parcel.weightKg).height),
  },
];
const location = (postcode: string) => ({
  postal_code: regex('^[0-9]{6}$', postcode),
  country_code: regex('^[A-Z]{2}$', 'XX'),
});

const tariffBody = (parcel: ParcelRequest) => ({
  date: isoDateTime(parcel.shipDate),
  from_location: location(parcel.fromPostcode),
  to_location: location(parcel.toPostcode),
  packages: packages(parcel),
});

const requestState = (type: (typeof REQUEST_TYPES)[number]) => ({
  request_uuid: uuid('0b7e1a52-5c1d-4e8a-9d3c-2f6a7b8c9d01'),
  type: oneOf(REQUEST_TYPES, type),
  date_time: isoDateTime(EXAMPLE_TIME),
  state: oneOf(REQUEST_STATES, 'ACCEPTED'),
});

export const steppeInteractions: CarrierInteraction[] = [
  {
    id: 'steppe/quote',
    provider: 'steppe',
    description: 'a tariff list for a 2.5 kg parcel',
    states: [],
    request: { method: 'POST', path: '/v2/calculator/tarifflist', headers, body: tariffBody(EXAMPLE_PARCEL) },
    response: {
      status: 200,
      body: {
        tariff_codes: eachLike({
          tariff_code: integer(137),
          tariff_name: string('Parcel door-door'),
          delivery_mode: integer(1),
          delivery_sum: number(7.4),
          currency: regex('^[A-Z]{3}$', 'USD'),
          period_min: integer(1),
          period_max: integer(3),
        }),
      },
    },
    async exercise(client) {
      const quotes = await client.quote(EXAMPLE_PARCEL);
      expectThat(quotes.length > 0, 'no quotes');
      expectThat(
        quotes.every((q) => STEPPE_TARIFF_CODES.includes(Number(q.service) as never)),
        'unknown tariff',
      );
    },
  },
  {
    id: 'steppe/quote-oversize',
    provider: 'steppe',
    description: 'a tariff list for a parcel over the weight limit',
    states: [{ name: 'carrier rejects oversize parcels', params: { maxWeightKg: OVERSIZE_LIMIT_KG } }],
    request: {
      method: 'POST',
      path: '/v2/calculator/tarifflist',
      headers,
      body: tariffBody(OVERSIZE_PARCEL),
    },
    response: {
      status: 400,
      body: {
        requests: eachLike({
          ...requestState('CALCULATE'),
          state: 'INVALID',
          errors: eachLike({
            code: string('v2_weight_exceeded'),
            message: string('packages[0].weight 25000 g exceeds the tariff limit of 20000 g'),
            field: string('packages[0].weight'),
          }),
        }),
      },
    },
    exercise: (client) => expectCarrierRefusal(client.quote(OVERSIZE_PARCEL), 400),
  },
  {
    id: 'steppe/create-shipment',
    provider: 'steppe',
    description: 'registering an order for a 2.5 kg parcel',
    states: [],
    request: {
      method: 'POST',
      path: '/v2/orders',
      headers,
      body: {
        tariff_code: integer(137),
        number: string(EXAMPLE_PARCEL.orderId),
        planned_shipment_date: isoDateTime(EXAMPLE_PARCEL.shipDate),
        recipient: {
          name: string(EXAMPLE_PARCEL.recipient.name),
          email: string(EXAMPLE_PARCEL.recipient.email),
          phones: eachLike({ number: string(EXAMPLE_PARCEL.recipient.phone) }),
        },
        from_location: location(EXAMPLE_PARCEL.fromPostcode),
        to_location: {
          ...location(EXAMPLE_PARCEL.toPostcode),
          city: string(EXAMPLE_PARCEL.recipient.city),
          address: string(EXAMPLE_PARCEL.recipient.line1),
        },
        packages: packages(EXAMPLE_PARCEL),
      },
    },
    response: {
      status: 202,
      body: { entity: { uuid: uuid(IDS.steppeOrder) }, requests: eachLike(requestState('CREATE')) },
    },
    async exercise(client) {
      const shipment = await client.createShipment(EXAMPLE_PARCEL, {
        carrier: 'steppe',
        service: '137',
        serviceLevel: 'standard',
        quoteRef: '137',
        price: 7.4,
        currency: 'USD',
        transitDays: 3,
      });
      expectThat(shipment.shipmentId === IDS.steppeOrder, `shipmentId ${shipment.shipmentId}`);
    },
  },
  {
    id: 'steppe/cancel',
    provider: 'steppe',
    description: 'deleting an order before pickup',
    states: [{ name: `shipment ${IDS.steppeOrder} is created` }],
    request: { method: 'DELETE', path: `/v2/orders/${IDS.steppeOrder}`, headers },
    response: {
      status: 202,
      body: { entity: { uuid: uuid(IDS.steppeOrder) }, requests: eachLike(requestState('DELETE')) },
    },
    exercise: (client) => client.cancel({ shipmentId: IDS.steppeOrder, trackingNumber: IDS.steppeOrder }),
  },
  {
    id: 'steppe/track',
    provider: 'steppe',
    description: 'the statuses of an order in transit',
    states: [{ name: `shipment ${IDS.steppeOrder} is in_transit` }],
    request: { method: 'GET', path: `/v2/orders/${IDS.steppeOrder}`, headers },
    response: {
      status: 200,
      body: {
        entity: {
          uuid: uuid(IDS.steppeOrder),
          steppe_number: string('1000000001'),
          tariff_code: integer(137),
          delivery_sum: number(7.4),
          currency: string('USD'),
          planned_delivery_date: isoDateTime('2026-03-04T12:00:00.000Z'),
          statuses: eachLike({
            code: oneOf(STEPPE_STATUSES, 'SENT_TO_TRANSIT_CITY'),
            name: string('Sent to the transit city'),
            date_time: isoDateTime(EXAMPLE_TIME),
            city: string('Centreville'),
          }),
        },
        requests: eachLike(requestState('CREATE')),
      },
    },
    async exercise(client) {
      const tracking = await client.track({ shipmentId: IDS.steppeOrder, trackingNumber: IDS.steppeOrder });
      expectThat(tracking.status === 'in_transit', `status ${tracking.status}`);
    },
  },
];
