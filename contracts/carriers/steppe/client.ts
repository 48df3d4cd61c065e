import { type Validated, validator } from '../../../core/schema/validate.ts';
import type { ParcelRequest, RateQuote, Shipment, Tracking, TrackingStatus } from '../../domain/shipping.ts';
import { carrierCall } from '../call.ts';
import {
  type CallOptions,
  type CarrierClient,
  type CarrierClientOptions,
  CarrierError,
  type CarrierOperation,
} from '../client.ts';
import {
  type CreateOrderBody,
  OrderEntityResponse,
  OrderInfoResponse,
  STEPPE_TARIFFS,
  type SteppeStatusCode,
  type SteppeTariffCode,
  type TariffListBody,
  TariffListResponse,
} from './api.ts';
import { GRAMS, KILOGRAMS_IN_GRAMS_FIELD, nominalBoxCm, type SteppeUnits } from './units.ts';

const checkTariffs = validator(TariffListResponse);
const checkEntity = validator(OrderEntityResponse);
const checkInfo = validator(OrderInfoResponse);

const STATUS: Record<SteppeStatusCode, TrackingStatus> = {
  CREATED: 'created',
  ACCEPTED: 'created',
  RECEIVED_AT_SHIPMENT_WAREHOUSE: 'picked_up',
  TAKEN_BY_TRANSPORTER_FROM_SENDER_CITY: 'in_transit',
  SENT_TO_TRANSIT_CITY: 'in_transit',
  ACCEPTED_IN_TRANSIT_CITY: 'in_transit',
  ACCEPTED_AT_PICK_UP_POINT: 'out_for_delivery',
  DELIVERED: 'delivered',
  NOT_DELIVERED: 'exception',
  CANCELLED: 'cancelled',
};

export interface SteppeClientOptions extends CarrierClientOptions {
  /** Unit conversion strategy (default GRAMS). */
  units?: SteppeUnits;
  /** The canary's `unit-mismatch` defect: shorthand for `units: KILOGRAMS_IN_GRAMS_FIELD`. */
  weightUnitBug?: boolean;
}

/**
 * The platform's client for steppe: kg → integer grams (through the injectable units),
 * tariff codes as service codes, statuses sorted oldest first (steppe lists newest first).
 * Shipment id and tracking number are both the order uuid.
 */
export function createSteppeClient(options: SteppeClientOptions): CarrierClient {
  const units = options.units ?? (options.weightUnitBug ? KILOGRAMS_IN_GRAMS_FIELD : GRAMS);
  const auth = { authorization: `Bearer ${options.apiKey}` };
  const call = <T>(
    operation: CarrierOperation,
    request: { method: 'GET' | 'POST' | 'DELETE'; path: string; body?: unknown },
    ok: number[],
    check: (body: unknown) => Validated<T>,
    callOptions?: CallOptions,
  ) =>
    carrierCall({
      carrier: 'steppe',
      operation,
      baseUrl: options.baseUrl,
      timeoutMs: options.timeoutMs,
      auth,
      request,
      ok,
      check,
      describeError,
      options: callOptions,
    });

  const packageOf = (parcel: ParcelRequest) => ({
    number: '1',
    weight: units.weight(parcel.weightKg),
    ...nominalBoxCm(parcel.weightKg),
  });

  return {
    carrier: 'steppe',

    async quote(parcel, callOptions) {
      const body: TariffListBody = {
        date: parcel.shipDate,
        from_location: { postal_code: parcel.fromPostcode, country_code: parcel.recipient.country },
        to_location: { postal_code: parcel.toPostcode, country_code: parcel.recipient.country },
        packages: [packageOf(parcel)],
      };
      const { body: result } = await call(
        'quote',
        { method: 'POST', path: '/v2/calculator/tarifflist', body },
        [200],
        checkTariffs,
        callOptions,
      );
      // A tariff this client does not know cannot be mapped to a service level; skip it.
      return result.tariff_codes
        .filter((tariff) => tariff.tariff_code in STEPPE_TARIFFS)
        .map(
          (tariff): RateQuote => ({
            carrier: 'steppe',
            service: String(tariff.tariff_code),
            serviceLevel: STEPPE_TARIFFS[tariff.tariff_code as SteppeTariffCode].level,
            quoteRef: String(tariff.tariff_code),
            price: tariff.delivery_sum,
            currency: tariff.currency,
            transitDays: tariff.period_max,
          }),
        );
    },

    async createShipment(parcel, quote, callOptions) {
      const tariff = Number(quote.service);
      if (!Number.isInteger(tariff)) {
        throw new CarrierError(
          'steppe',
          'create_shipment',
          `service ${quote.service} is not a tariff code`,
          undefined,
          false,
        );
      }
      const body: CreateOrderBody = {
        tariff_code: tariff,
        number: parcel.orderId.slice(0, 40),
        planned_shipment_date: parcel.shipDate,
        recipient: {
          name: parcel.recipient.name,
          email: parcel.recipient.email,
          phones: [{ number: parcel.recipient.phone }],
        },
        from_location: { postal_code: parcel.fromPostcode, country_code: parcel.recipient.country },
        to_location: {
          postal_code: parcel.toPostcode,
          country_code: parcel.recipient.country,
          city: parcel.recipient.city,
          address: parcel.recipient.line1,
        },
        packages: [packageOf(parcel)],
      };
      const { body: created } = await call(
        'create_shipment',
        { method: 'POST', path: '/v2/orders', body },
        [200, 201, 202],
        checkEntity,
        callOptions,
      );
      const refused = created.requests.find((request) => request.state === 'INVALID');
      if (refused)
        throw new CarrierError('steppe', 'create_shipment', requestErrors(refused.errors), 202, false);
      const shipment: Shipment = {
        carrier: 'steppe',
        service: String(tariff),
        shipmentId: created.entity.uuid,
        trackingNumber: created.entity.uuid,
        // steppe does not price an order on creation; the calculator's sum is the price.
        price: quote.price,
        currency: quote.currency,
      };
      return shipment;
    },

    async cancel(shipment, callOptions) {
      const path = `/v2/orders/${encodeURIComponent(shipment.shipmentId)}`;
      const { body } = await call('cancel', { method: 'DELETE', path }, [200, 202], checkEntity, callOptions);
      const refused = body.requests.find((request) => request.state === 'INVALID');
      if (refused) throw new CarrierError('steppe', 'cancel', requestErrors(refused.errors), 202, false);
    },

    async track(shipment, callOptions) {
      const path = `/v2/orders/${encodeURIComponent(shipment.shipmentId)}`;
      const { body } = await call('track', { method: 'GET', path }, [200], checkInfo, callOptions);
      const statuses = [...body.entity.statuses].sort(
        (a, b) => Date.parse(a.date_time) - Date.parse(b.date_time),
      );
      const last = statuses[statuses.length - 1];
      const delivered = statuses.find((status) => status.code === 'DELIVERED');
      const tracking: Tracking = {
        carrier: 'steppe',
        trackingNumber: shipment.trackingNumber,
        status: last ? STATUS[last.code] : 'created',
        events: statuses.map((status) => ({
          status: STATUS[status.code],
          at: status.date_time,
          carrierStatus: status.code,
          location: status.city,
        })),
        ...(delivered ? { deliveredAt: delivered.date_time } : {}),
      };
      return tracking;
    },
  };
}

function requestErrors(errors: { code: string; message: string; field?: string }[] | undefined): string {
  if (!errors?.length) return 'request INVALID';
  return errors
    .map((error) => `${error.code}: ${error.message}${error.field ? ` (field ${error.field})` : ''}`)
    .join('; ');
}

function describeError(body: unknown): string | undefined {
  const requests = (
    body as { requests?: { errors?: { code: string; message: string; field?: string }[] }[] } | undefined
  )?.requests;
  const errors = requests?.flatMap((request) => request.errors ?? []);
  return errors?.length ? requestErrors(errors) : undefined;
}
