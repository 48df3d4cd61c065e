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
  type CreateShipmentBody,
  OUNCES_PER_KG,
  PARCELLY_SERVICES,
  ParcellyShipment,
  type ParcellyStatus,
  ParcellyTracker,
} from './api.ts';

const checkShipment = validator(ParcellyShipment);
const checkTracker = validator(ParcellyTracker);

const STATUS: Record<ParcellyStatus, TrackingStatus> = {
  unknown: 'created',
  pre_transit: 'created',
  in_transit: 'in_transit',
  out_for_delivery: 'out_for_delivery',
  delivered: 'delivered',
  failure: 'exception',
  return_to_sender: 'exception',
  cancelled: 'cancelled',
};

/** The platform's client for parcelly: kg → ounces, rates as decimal strings, quoteRef = "shipmentId:rateId". */
export function createParcellyClient(options: CarrierClientOptions): CarrierClient {
  const auth = { authorization: `Basic ${Buffer.from(`${options.apiKey}:`).toString('base64')}` };
  const call = <T>(
    operation: CarrierOperation,
    request: { method: 'GET' | 'POST'; path: string; body?: unknown },
    ok: number[],
    check: (body: unknown) => Validated<T>,
    callOptions?: CallOptions,
  ) =>
    carrierCall({
      carrier: 'parcelly',
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

  const createQuotedShipment = async (parcel: ParcelRequest, callOptions?: CallOptions) => {
    const body: CreateShipmentBody = {
      shipment: {
        to_address: {
          name: parcel.recipient.name,
          street1: parcel.recipient.line1,
          city: parcel.recipient.city,
          zip: parcel.toPostcode,
          country: parcel.recipient.country,
          phone: parcel.recipient.phone,
          email: parcel.recipient.email,
        },
        from_address: { company: 'Warehouse', zip: parcel.fromPostcode, country: parcel.recipient.country },
        parcel: { weight: Math.max(0.1, round(parcel.weightKg * OUNCES_PER_KG, 1)) },
        reference: parcel.orderId,
        options: { label_date: parcel.shipDate },
      },
    };
    const { body: shipment } = await call(
      'quote',
      { method: 'POST', path: '/v2/shipments', body },
      [201, 200],
      checkShipment,
      callOptions,
    );
    return shipment;
  };

  return {
    carrier: 'parcelly',

    async quote(parcel, callOptions) {
      const shipment = await createQuotedShipment(parcel, callOptions);
      return shipment.rates.map(
        (rate): RateQuote => ({
          carrier: 'parcelly',
          service: rate.service,
          serviceLevel: PARCELLY_SERVICES[rate.service],
          quoteRef: `${shipment.id}:${rate.id}`,
          price: Number(rate.rate),
          currency: rate.currency,
          transitDays: rate.delivery_days,
        }),
      );
    },

    async createShipment(parcel, quote, callOptions) {
      let [shipmentId, rateId] = quote.quoteRef.split(':');
      if (!shipmentId || !rateId) {
        // A quote from elsewhere: rate the parcel now and buy the same service.
        const shipment = await createQuotedShipment(parcel, callOptions);
        const rate = shipment.rates.find((r) => r.service === quote.service);
        if (!rate)
          throw new CarrierError(
            'parcelly',
            'create_shipment',
            `service ${quote.service} not offered`,
            undefined,
            false,
          );
        shipmentId = shipment.id;
        rateId = rate.id;
      }
      const { body: bought } = await call(
        'create_shipment',
        {
          method: 'POST',
          path: `/v2/shipments/${encodeURIComponent(shipmentId)}/buy`,
          body: { rate: { id: rateId } },
        },
        [200, 201],
        checkShipment,
        callOptions,
      );
      if (!bought.tracking_code || !bought.selected_rate) {
        throw new CarrierError(
          'parcelly',
          'create_shipment',
          'bought shipment has no tracking code',
          200,
          false,
        );
      }
      const shipment: Shipment = {
        carrier: 'parcelly',
        service: bought.selected_rate.service,
        shipmentId: bought.id,
        trackingNumber: bought.tracking_code,
        price: Number(bought.selected_rate.rate),
        currency: bought.selected_rate.currency,
      };
      return shipment;
    },

    async cancel(shipment, callOptions) {
      await call(
        'cancel',
        { method: 'POST', path: `/v2/shipments/${encodeURIComponent(shipment.shipmentId)}/refund` },
        [200],
        checkShipment,
        callOptions,
      );
    },

    async track(shipment, callOptions) {
      const { body: tracker } = await call(
        'track',
        { method: 'GET', path: `/v2/trackers/${encodeURIComponent(shipment.trackingNumber)}` },
        [200],
        checkTracker,
        callOptions,
      );
      const events = [...tracker.tracking_details]
        .sort((a, b) => Date.parse(a.datetime) - Date.parse(b.datetime))
        .map((detail) => ({
          status: STATUS[detail.status],
          at: detail.datetime,
          carrierStatus: detail.status,
          ...(detail.tracking_location.city ? { location: detail.tracking_location.city } : {}),
        }));
      const delivered = tracker.tracking_details.find((detail) => detail.status === 'delivered');
      const tracking: Tracking = {
        carrier: 'parcelly',
        trackingNumber: tracker.tracking_code,
        status: STATUS[tracker.status],
        events,
        ...(delivered ? { deliveredAt: delivered.datetime } : {}),
      };
      return tracking;
    },
  };
}

function describeError(body: unknown): string | undefined {
  const error = (
    body as { error?: { code?: string; message?: string; errors?: { field: string }[] } } | undefined
  )?.error;
  if (!error?.message) return undefined;
  const fields = error.errors?.map((e) => e.field).filter(Boolean) ?? [];
  return `${error.code ?? 'error'}: ${error.message}${fields.length ? ` (field ${fields.join(', ')})` : ''}`;
}
