import { type Validated, validator } from '../../../core/schema/validate.ts';
import type { ParcelRequest, RateQuote, Shipment, Tracking, TrackingStatus } from '../../domain/shipping.ts';
import { carrierCall, round } from '../call.ts';
import {
  type CallOptions,
  type CarrierClient,
  type CarrierClientOptions,
  CarrierError,
  type CarrierOperation,
} from '../client.ts';
import {
  type CreateLabelBody,
  LABELFAST_SERVICES,
  Label,
  type LabelfastEventCode,
  type LabelfastService,
  type LabelfastStatusCode,
  type RatesBody,
  RatesResponse,
  TrackResponse,
  VoidResponse,
} from './api.ts';

const checkRates = validator(RatesResponse);
const checkLabel = validator(Label);
const checkVoid = validator(VoidResponse);
const checkTrack = validator(TrackResponse);

const EVENT_STATUS: Record<LabelfastEventCode, TrackingStatus> = {
  LC: 'created',
  PU: 'picked_up',
  DP: 'in_transit',
  AR: 'in_transit',
  OD: 'out_for_delivery',
  DL: 'delivered',
  EX: 'exception',
  VD: 'cancelled',
};

/** The status code says where the parcel is; the last event code refines IT (out for delivery) and UN (voided). */
function overallStatus(code: LabelfastStatusCode, lastEvent: LabelfastEventCode | undefined): TrackingStatus {
  if (code === 'DE') return 'delivered';
  if (code === 'EX') return 'exception';
  if (code === 'AC') return 'picked_up';
  if (code === 'IT') return lastEvent === 'OD' ? 'out_for_delivery' : 'in_transit';
  return lastEvent === 'VD' ? 'cancelled' : 'created';
}

/** The platform's client for labelfast: weights as {value, unit: 'kilogram'}, money as {amount, currency}. */
export function createLabelfastClient(options: CarrierClientOptions): CarrierClient {
  const auth = { 'api-key': options.apiKey };
  const call = <T>(
    operation: CarrierOperation,
    request: { method: 'GET' | 'POST' | 'PUT'; path: string; body?: unknown },
    check: (body: unknown) => Validated<T>,
    callOptions?: CallOptions,
  ) =>
    carrierCall({
      carrier: 'labelfast',
      operation,
      baseUrl: options.baseUrl,
      timeoutMs: options.timeoutMs,
      auth,
      request,
      ok: [200],
      check,
      describeError,
      options: callOptions,
    });

  return {
    carrier: 'labelfast',

    async quote(parcel, callOptions) {
      const body: RatesBody = { shipment: shipmentOf(parcel) };
      const { body: rates } = await call(
        'quote',
        { method: 'POST', path: '/v1/rates', body },
        checkRates,
        callOptions,
      );
      return rates.rate_response.rates.map(
        (rate): RateQuote => ({
          carrier: 'labelfast',
          service: rate.service_code,
          serviceLevel: LABELFAST_SERVICES[rate.service_code],
          quoteRef: rate.rate_id,
          price: rate.shipping_amount.amount,
          currency: rate.shipping_amount.currency.toUpperCase(),
          transitDays: rate.delivery_days,
        }),
      );
    },

    async createShipment(parcel, quote, callOptions) {
      if (!(quote.service in LABELFAST_SERVICES)) {
        throw new CarrierError(
          'labelfast',
          'create_shipment',
          `unknown service_code ${quote.service}`,
          undefined,
          false,
        );
      }
      const body: CreateLabelBody = {
        shipment: { service_code: quote.service as LabelfastService, ...shipmentOf(parcel) },
        label_format: 'pdf',
        external_order_id: parcel.orderId,
      };
      const { body: label } = await call(
        'create_shipment',
        { method: 'POST', path: '/v1/labels', body },
        checkLabel,
        callOptions,
      );
      const shipment: Shipment = {
        carrier: 'labelfast',
        service: label.service_code,
        shipmentId: label.label_id,
        trackingNumber: label.tracking_number,
        price: label.shipment_cost.amount,
        currency: label.shipment_cost.currency.toUpperCase(),
      };
      return shipment;
    },

    async cancel(shipment, callOptions) {
      const path = `/v1/labels/${encodeURIComponent(shipment.shipmentId)}/void`;
      const { body } = await call('cancel', { method: 'PUT', path }, checkVoid, callOptions);
      // labelfast refuses a void with a 200 and approved: false.
      if (!body.approved)
        throw new CarrierError('labelfast', 'cancel', `void refused: ${body.message}`, 200, false);
    },

    async track(shipment, callOptions) {
      const path = `/v1/labels/${encodeURIComponent(shipment.shipmentId)}/track`;
      const { body } = await call('track', { method: 'GET', path }, checkTrack, callOptions);
      const sorted = [...body.events].sort((a, b) => Date.parse(a.occurred_at) - Date.parse(b.occurred_at));
      const tracking: Tracking = {
        carrier: 'labelfast',
        trackingNumber: body.tracking_number,
        status: overallStatus(body.status_code, sorted[sorted.length - 1]?.event_code),
        events: sorted.map((event) => ({
          status: EVENT_STATUS[event.event_code],
          at: event.occurred_at,
          carrierStatus: `${event.status_code}/${event.event_code}`,
          location: event.city_locality,
        })),
        ...(body.actual_delivery_date ? { deliveredAt: body.actual_delivery_date } : {}),
      };
      return tracking;
    },
  };
}

function shipmentOf(parcel: ParcelRequest): RatesBody['shipment'] {
  return {
    ship_to: {
      name: parcel.recipient.name,
      phone: parcel.recipient.phone,
      email: parcel.recipient.email,
      address_line1: parcel.recipient.line1,
      city_locality: parcel.recipient.city,
      postal_code: parcel.toPostcode,
      country_code: parcel.recipient.country,
    },
    ship_from: { postal_code: parcel.fromPostcode, country_code: parcel.recipient.country },
    ship_date: parcel.shipDate,
    packages: [{ weight: { value: Math.max(0.001, round(parcel.weightKg, 3)), unit: 'kilogram' } }],
  };
}

function describeError(body: unknown): string | undefined {
  const errors = (
    body as { errors?: { error_code?: string; message?: string; field_name?: string }[] } | undefined
  )?.errors;
  const first = errors?.[0];
  if (!first?.message) return undefined;
  return `${first.error_code ?? 'error'}: ${first.message}${first.field_name ? ` (field ${first.field_name})` : ''}`;
}
