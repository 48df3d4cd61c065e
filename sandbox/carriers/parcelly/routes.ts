import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import {
  BuyBody,
  CreateShipmentBody,
  OUNCES_PER_KG,
  type ParcellyRate,
  type ParcellyShipment,
  ParcellyShipment as ParcellyShipmentSchema,
  type ParcellyStatus,
  ParcellyTracker,
  type ParcellyTrackingDetail,
  ShipmentParams,
  TrackerParams,
} from '../../../contracts/carriers/parcelly/api.ts';
import type { Region } from '../../../contracts/domain/order.ts';
import { secretMatches } from '../../admin/secret.ts';
import { validationIssues } from '../../admin/validation-issues.ts';
import {
  type CarrierContext,
  countShipment,
  findService,
  laneOf,
  newShipmentRecord,
  placeAtStage,
  type ShipmentStage,
} from '../context.ts';
import { hubCity } from '../geography.ts';
import { type Lane, quoteAll } from '../rates.ts';
import { type StageCodes, timeline } from '../timeline.ts';

/** parcelly's vocabulary for the parcel's life. */
const STAGES: StageCodes<ParcellyStatus> = {
  created: ['pre_transit'],
  pickedUp: 'in_transit',
  transit: ['in_transit', 'in_transit'],
  outForDelivery: 'out_for_delivery',
  delivered: 'delivered',
  failed: 'failure',
  cancelled: 'cancelled',
};

const MESSAGES: Record<string, string> = {
  created: 'Shipping label created',
  picked_up: 'Picked up by the carrier',
  in_transit: 'Arrived at sort facility',
  out_for_delivery: 'Out for delivery',
  delivered: 'Delivered',
  exception: 'Delivery failed: address issue',
  cancelled: 'Label refunded',
};

/** A shipment before (and after) a rate is bought: parcelly's own state. */
interface Quoted {
  id: string;
  createdAt: number;
  shipDate: number;
  lane: Lane;
  fromPostcode: string;
  toPostcode: string;
  weightOz: number;
  reference?: string;
  rates: ParcellyRate[];
  bought?: { rateId: string; trackerId: string };
}

export interface ParcellyState {
  quoted: Map<string, Quoted>;
  /** Ids of shipments not bought yet, in creation order (for forgetting stale quotes). */
  unbought: Map<string, number>;
}

function parcellyError(
  reply: FastifyReply,
  status: number,
  code: string,
  message: string,
  errors: { field: string; message: string }[] = [],
) {
  return reply.code(status).send({ error: { code, message, errors } });
}

export function parcellyRoutes(app: FastifyInstance, ctx: CarrierContext, state: ParcellyState): void {
  app.addHook('onRequest', async (request, reply) => {
    const basic = /^Basic\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const user = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':')[0] : undefined;
    if (!secretMatches(user, ctx.apiKey)) {
      reply.header('www-authenticate', 'Basic realm="parcelly"');
      return parcellyError(reply, 401, 'APIKEY.INACTIVE', 'the API key is missing or not valid');
    }
  });
  app.setErrorHandler((error: FastifyError, _request, reply) => {
    if (error.validation) {
      const issues = validationIssues(error);
      return parcellyError(reply, 422, 'PARAMETER.INVALID', issues.map((i) => i.message).join('; '), issues);
    }
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    return parcellyError(
      reply,
      status,
      status >= 500 ? 'INTERNAL_SERVER_ERROR' : 'REQUEST.INVALID',
      error.message,
    );
  });

  const view = (quoted: Quoted): ParcellyShipment => {
    const record = ctx.book.get(quoted.id);
    const selected = quoted.bought
      ? (quoted.rates.find((r) => r.id === quoted.bought?.rateId) ?? null)
      : null;
    const events = record ? timeline(record, STAGES, ctx.clock.now()) : [];
    return {
      id: quoted.id,
      object: 'Shipment',
      created_at: new Date(quoted.createdAt).toISOString(),
      ...(quoted.reference ? { reference: quoted.reference } : {}),
      parcel: { weight: quoted.weightOz },
      rates: quoted.rates,
      selected_rate: selected,
      tracking_code: record?.trackingNumber ?? null,
      status: events[events.length - 1]?.code ?? 'unknown',
      refund_status: record?.cancelledAt !== undefined ? 'refunded' : null,
    };
  };

  const regionOfShipment = (id: string): Region | undefined => state.quoted.get(id)?.lane.to;

  app.post(
    '/v2/shipments',
    {
      schema: { body: CreateShipmentBody, response: { 201: ParcellyShipmentSchema } },
      config: {
        operation: 'quote',
        region: (request) => laneRegion((request.body as CreateShipmentBody).shipment.to_address.zip),
      },
    },
    async (request, reply) => {
      const { shipment } = request.body as CreateShipmentBody;
      const weightKg = shipment.parcel.weight / OUNCES_PER_KG;
      const lane = laneOf(shipment.from_address.zip, shipment.to_address.zip, weightKg);
      if ('problem' in lane) {
        const field = lane.field === 'to' ? 'shipment.to_address.zip' : 'shipment.from_address.zip';
        return parcellyError(reply, 422, 'ADDRESS.ZIP.UNSERVED', lane.problem, [
          { field, message: lane.problem },
        ]);
      }
      if (weightKg > ctx.maxWeightKg) {
        const message = `parcel weight ${shipment.parcel.weight} oz exceeds the limit of ${(ctx.maxWeightKg * OUNCES_PER_KG).toFixed(1)} oz`;
        return parcellyError(reply, 422, 'PARCEL.WEIGHT.EXCEEDED', message, [
          { field: 'shipment.parcel.weight', message },
        ]);
      }
      const now = ctx.clock.now();
      const id = `shp_${ctx.book.hex(24)}`;
      const quoted: Quoted = {
        id,
        createdAt: now,
        shipDate: shipment.options?.label_date ? Date.parse(shipment.options.label_date) : now,
        lane,
        fromPostcode: shipment.from_address.zip,
        toPostcode: shipment.to_address.zip,
        weightOz: shipment.parcel.weight,
        reference: shipment.reference,
        rates: quoteAll(ctx.spec, lane).map((quote) => ({
          id: `rate_${ctx.book.hex(24)}`,
          object: 'Rate',
          shipment_id: id,
          carrier: 'Parcelly',
          service: quote.service.code as ParcellyRate['service'],
          rate: quote.price.toFixed(2),
          currency: ctx.spec.currency,
          delivery_days: quote.advertisedDays,
          delivery_date_guaranteed: false,
        })),
      };
      state.quoted.set(id, quoted);
      state.unbought.set(id, now);
      forgetStaleQuotes(state, now);
      return reply.code(201).send(view(quoted));
    },
  );

  app.post(
    '/v2/shipments/:id/buy',
    {
      schema: { params: ShipmentParams, body: BuyBody, response: { 200: ParcellyShipmentSchema } },
      config: {
        operation: 'create_shipment',
        region: (request) => regionOfShipment((request.params as { id: string }).id),
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const { rate } = request.body as BuyBody;
      const quoted = state.quoted.get(id);
      if (!quoted) return parcellyError(reply, 404, 'SHIPMENT.NOT_FOUND', `shipment ${id} not found`);
      if (quoted.bought) {
        return parcellyError(reply, 422, 'SHIPMENT.POSTAGE.EXISTS', `shipment ${id} already has postage`);
      }
      const chosen = quoted.rates.find((r) => r.id === rate.id);
      const service = chosen && findService(ctx.spec, chosen.service);
      if (!chosen || !service) {
        const message = `rate ${rate.id} does not belong to shipment ${id}`;
        return parcellyError(reply, 422, 'SHIPMENT.RATE.INVALID', message, [{ field: 'rate.id', message }]);
      }
      const record = newShipmentRecord(ctx, {
        id,
        trackingNumber: `PC${ctx.book.digits(14)}`,
        service,
        lane: quoted.lane,
        fromPostcode: quoted.fromPostcode,
        toPostcode: quoted.toPostcode,
        shipDate: quoted.shipDate,
        reference: quoted.reference,
      });
      record.price = Number(chosen.rate);
      ctx.book.add(record);
      quoted.bought = { rateId: chosen.id, trackerId: `trk_${ctx.book.hex(24)}` };
      state.unbought.delete(id);
      countShipment(ctx, record);
      return view(quoted);
    },
  );

  app.post(
    '/v2/shipments/:id/refund',
    {
      schema: { params: ShipmentParams, response: { 200: ParcellyShipmentSchema } },
      config: {
        operation: 'cancel',
        region: (request) => regionOfShipment((request.params as { id: string }).id),
      },
    },
    async (request, reply) => {
      const { id } = request.params as { id: string };
      const quoted = state.quoted.get(id);
      const record = ctx.book.get(id);
      if (!quoted) return parcellyError(reply, 404, 'SHIPMENT.NOT_FOUND', `shipment ${id} not found`);
      if (!record)
        return parcellyError(
          reply,
          422,
          'SHIPMENT.REFUND.UNPURCHASED',
          `shipment ${id} has no postage to refund`,
        );
      const result = ctx.book.cancel(record, ctx.clock.now());
      ctx.cancellations.inc({ carrier: ctx.spec.name, result });
      if (result === 'too_late') {
        return parcellyError(
          reply,
          422,
          'SHIPMENT.REFUND.REJECTED',
          `shipment ${id} is already with the carrier`,
        );
      }
      return view(quoted);
    },
  );

  app.get(
    '/v2/trackers/:tracking_code',
    {
      schema: { params: TrackerParams, response: { 200: ParcellyTracker } },
      config: {
        operation: 'track',
        region: (request) =>
          ctx.book.byTracking((request.params as { tracking_code: string }).tracking_code)?.to,
      },
    },
    async (request, reply) => {
      const { tracking_code } = request.params as { tracking_code: string };
      const record = ctx.book.byTracking(tracking_code);
      const quoted = record && state.quoted.get(record.id);
      if (!record || !quoted)
        return parcellyError(reply, 404, 'TRACKER.NOT_FOUND', `no tracker for ${tracking_code}`);
      const now = ctx.clock.now();
      const events = timeline(record, STAGES, now);
      const details: ParcellyTrackingDetail[] = events.map((event) => ({
        object: 'TrackingDetail',
        status: event.code,
        message: MESSAGES[event.status] ?? event.code,
        datetime: new Date(event.at).toISOString(),
        tracking_location: { city: hubCity(event.region), zip: null },
      }));
      return {
        id: quoted.bought?.trackerId ?? `trk_${record.id.slice(4)}`,
        object: 'Tracker',
        tracking_code,
        shipment_id: record.id,
        carrier: 'Parcelly',
        status: events[events.length - 1]?.code ?? 'unknown',
        est_delivery_date: record.cancelledAt === undefined ? new Date(record.deliverAt).toISOString() : null,
        tracking_details: details,
        updated_at: new Date(events[events.length - 1]?.at ?? record.createdAt).toISOString(),
      };
    },
  );
}

/** Quotes never bought are forgotten after two virtual days, so a long run does not grow without bound. */
const STALE_QUOTE_MS = 2 * 86_400_000;
function forgetStaleQuotes(state: ParcellyState, now: number): void {
  for (const [id, createdAt] of state.unbought) {
    if (createdAt > now - STALE_QUOTE_MS) return; // insertion order is creation order
    state.unbought.delete(id);
    state.quoted.delete(id);
  }
}

function laneRegion(zip: string): Region | undefined {
  const lane = laneOf(zip, zip, 0);
  return 'problem' in lane ? undefined : lane.to;
}

/** Provider state: a parcelly shipment with a given id (and tracking code) at a given stage. */
export function seedParcellyShipment(
  ctx: CarrierContext,
  state: ParcellyState,
  params: {
    shipmentId: string;
    trackingNumber?: string;
    rateId?: string;
    stage: ShipmentStage;
    toPostcode: string;
    weightKg: number;
  },
): void {
  const now = ctx.clock.now();
  const lane = laneOf('100000', params.toPostcode, params.weightKg);
  if ('problem' in lane) throw new Error(lane.problem);
  const quotes = quoteAll(ctx.spec, lane);
  const rates: ParcellyRate[] = quotes.map((quote, i) => ({
    id: i === 0 && params.rateId ? params.rateId : `rate_${ctx.book.hex(24)}`,
    object: 'Rate',
    shipment_id: params.shipmentId,
    carrier: 'Parcelly',
    service: quote.service.code as ParcellyRate['service'],
    rate: quote.price.toFixed(2),
    currency: ctx.spec.currency,
    delivery_days: quote.advertisedDays,
    delivery_date_guaranteed: false,
  }));
  const quoted: Quoted = {
    id: params.shipmentId,
    createdAt: now,
    shipDate: now + 3_600_000,
    lane,
    fromPostcode: '100000',
    toPostcode: params.toPostcode,
    weightOz: Math.round(params.weightKg * OUNCES_PER_KG * 10) / 10,
    rates,
  };
  state.quoted.set(quoted.id, quoted);
  if (params.stage === 'quoted') return;
  const service = findService(ctx.spec, rates[0]!.service)!;
  const record = newShipmentRecord(ctx, {
    id: params.shipmentId,
    trackingNumber: params.trackingNumber ?? `PC${ctx.book.digits(14)}`,
    service,
    lane,
    fromPostcode: quoted.fromPostcode,
    toPostcode: quoted.toPostcode,
    shipDate: quoted.shipDate,
  });
  placeAtStage(record, params.stage, now);
  ctx.book.add(record);
  quoted.bought = { rateId: rates[0]!.id, trackerId: `trk_${ctx.book.hex(24)}` };
}
