import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import {
  CreateLabelBody,
  KG_PER_UNIT,
  type Label,
  type LabelfastEvent,
  type LabelfastEventCode,
  type LabelfastService,
  type LabelfastStatusCode,
  LabelParams,
  Label as LabelSchema,
  RatesBody,
  RatesResponse,
  TrackResponse,
  VoidResponse,
  type Weight,
} from '../../../contracts/carriers/labelfast/api.ts';
import { regionOfPostcode } from '../../../contracts/domain/order.ts';
import type { TrackingStatus } from '../../../contracts/domain/shipping.ts';
import { secretMatches } from '../../admin/secret.ts';
import { validationIssues } from '../../admin/validation-issues.ts';
import {
  type CarrierContext,
  countShipment,
  findService,
  laneOf,
  newShipmentRecord,
  placeAtStage,
  type SeedShipment,
  seededShipmentRecord,
} from '../context.ts';
import { hubCity } from '../geography.ts';
import { quoteAll } from '../rates.ts';
import { DAY_MS, type ShipmentRecord } from '../shipments.ts';
import { type StageCodes, timeline } from '../timeline.ts';

/** labelfast names stages by event code; the status code follows from the event. */
const STAGES: StageCodes<LabelfastEventCode> = {
  created: ['LC'],
  pickedUp: 'PU',
  transit: ['DP', 'AR'],
  outForDelivery: 'OD',
  delivered: 'DL',
  failed: 'EX',
  cancelled: 'VD',
};

const STATUS_OF: Record<TrackingStatus, LabelfastStatusCode> = {
  created: 'UN',
  picked_up: 'AC',
  in_transit: 'IT',
  out_for_delivery: 'IT',
  delivered: 'DE',
  exception: 'EX',
  cancelled: 'UN',
};

const DESCRIPTIONS: Record<LabelfastEventCode, string> = {
  LC: 'Shipping label created',
  PU: 'Picked up',
  DP: 'Departed facility',
  AR: 'Arrived at facility',
  OD: 'Out for delivery',
  DL: 'Delivered',
  EX: 'Exception: recipient not available',
  VD: 'Label voided',
};

interface LabelRecord extends ShipmentRecord {
  shipmentId: string;
}

function labelfastError(
  reply: FastifyReply,
  status: number,
  errorType: 'validation' | 'business_rules' | 'security' | 'system',
  errorCode: string,
  message: string,
  fieldName?: string,
) {
  return reply.code(status).send({
    request_id: crypto.randomUUID(),
    errors: [
      {
        error_source: 'labelfast',
        error_type: errorType,
        error_code: errorCode,
        message,
        ...(fieldName ? { field_name: fieldName } : {}),
      },
    ],
  });
}

function kilograms(weight: Weight): number {
  return weight.value * KG_PER_UNIT[weight.unit];
}

export function labelfastRoutes(app: FastifyInstance, ctx: CarrierContext<LabelRecord>): void {
  app.addHook('onRequest', async (request, reply) => {
    const key = request.headers['api-key'];
    if (!secretMatches(typeof key === 'string' ? key : undefined, ctx.apiKey)) {
      return labelfastError(
        reply,
        401,
        'security',
        'unauthorized',
        'The API key is invalid. Please see https://labelfast.example/keys',
      );
    }
  });
  app.setErrorHandler((error: FastifyError, _request, reply) => {
    if (error.validation) {
      const [first] = validationIssues(error);
      return labelfastError(
        reply,
        400,
        'validation',
        'invalid_field_value',
        first?.message ?? error.message,
        first?.field,
      );
    }
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    return labelfastError(
      reply,
      status,
      status >= 500 ? 'system' : 'validation',
      'request_invalid',
      error.message,
    );
  });

  /** Validates lane and weight the same way for rates and labels. */
  const check = (reply: FastifyReply, shipment: RatesBody['shipment'], prefix: string) => {
    const pkg = shipment.packages[0]!;
    const weightKg = kilograms(pkg.weight);
    const lane = laneOf(shipment.ship_from.postal_code, shipment.ship_to.postal_code, weightKg);
    if ('problem' in lane) {
      const field = `${prefix}.${lane.field === 'to' ? 'ship_to' : 'ship_from'}.postal_code`;
      labelfastError(reply, 400, 'business_rules', 'unsupported_destination', lane.problem, field);
      return undefined;
    }
    if (weightKg > ctx.maxWeightKg) {
      const message = `package weight ${weightKg.toFixed(3)} kg exceeds the limit of ${ctx.maxWeightKg} kg`;
      labelfastError(
        reply,
        400,
        'business_rules',
        'package_too_heavy',
        message,
        `${prefix}.packages[0].weight`,
      );
      return undefined;
    }
    return lane;
  };

  app.post(
    '/v1/rates',
    {
      schema: { body: RatesBody, response: { 200: RatesResponse } },
      config: {
        operation: 'quote',
        region: (request) => regionOfPostcode((request.body as RatesBody).shipment.ship_to.postal_code),
      },
    },
    async (request, reply) => {
      const body = request.body as RatesBody;
      const lane = check(reply, body.shipment, 'shipment');
      if (!lane) return reply;
      const shipDate = body.shipment.ship_date ? Date.parse(body.shipment.ship_date) : ctx.clock.now();
      const wanted = body.rate_options?.service_codes;
      const rates = quoteAll(ctx.spec, lane)
        .filter((quote) => !wanted || wanted.includes(quote.service.code as LabelfastService))
        .map((quote) => ({
          rate_id: `se-${ctx.book.hex(20)}`,
          service_code: quote.service.code as LabelfastService,
          service_type: `labelfast ${quote.service.level}`,
          shipping_amount: { amount: quote.price, currency: ctx.spec.currency.toLowerCase() },
          delivery_days: quote.advertisedDays,
          estimated_delivery_date: new Date(
            Math.max(shipDate, ctx.clock.now()) + quote.advertisedDays * DAY_MS,
          ).toISOString(),
        }));
      return { rate_response: { status: 'completed', rates, errors: [] } };
    },
  );

  const toLabel = (record: LabelRecord): Label => ({
    label_id: record.id,
    status: record.cancelledAt === undefined ? 'completed' : 'voided',
    shipment_id: record.shipmentId,
    ship_date: new Date(record.shipDate).toISOString(),
    created_at: new Date(record.createdAt).toISOString(),
    tracking_number: record.trackingNumber,
    service_code: record.serviceCode as LabelfastService,
    shipment_cost: { amount: record.price, currency: record.currency.toLowerCase() },
    voided: record.cancelledAt !== undefined,
    label_download: { href: `/v1/downloads/${record.id}.pdf` },
  });

  app.post(
    '/v1/labels',
    {
      schema: { body: CreateLabelBody, response: { 200: LabelSchema } },
      config: {
        operation: 'create_shipment',
        region: (request) => regionOfPostcode((request.body as CreateLabelBody).shipment.ship_to.postal_code),
      },
    },
    async (request, reply) => {
      const body = request.body as CreateLabelBody;
      const lane = check(reply, body.shipment, 'shipment');
      if (!lane) return reply;
      const service = findService(ctx.spec, body.shipment.service_code)!;
      const record = newShipmentRecord(ctx, {
        id: `se-${ctx.book.hex(20)}`,
        trackingNumber: `1LF${ctx.book.hex(16).toUpperCase()}`,
        service,
        lane,
        fromPostcode: body.shipment.ship_from.postal_code,
        toPostcode: body.shipment.ship_to.postal_code,
        shipDate: body.shipment.ship_date ? Date.parse(body.shipment.ship_date) : ctx.clock.now(),
        reference: body.external_order_id,
      }) as LabelRecord;
      record.shipmentId = `se-${ctx.book.hex(20)}`;
      ctx.book.add(record);
      countShipment(ctx, record);
      return toLabel(record);
    },
  );

  const regionOfLabel = (request: { params: unknown }) =>
    ctx.book.get((request.params as { label_id: string }).label_id)?.to;

  app.put(
    '/v1/labels/:label_id/void',
    {
      schema: { params: LabelParams, response: { 200: VoidResponse } },
      config: { operation: 'cancel', region: regionOfLabel },
    },
    async (request, reply) => {
      const { label_id } = request.params as { label_id: string };
      const record = ctx.book.get(label_id);
      if (!record)
        return labelfastError(reply, 404, 'validation', 'label_not_found', `label ${label_id} not found`);
      const result = ctx.book.cancel(record, ctx.clock.now());
      ctx.cancellations.inc({ carrier: ctx.spec.name, result });
      // As in the style it follows, a refused void is still a 200, with approved: false.
      if (result === 'too_late')
        return { approved: false, message: 'The label has already been used and cannot be voided.' };
      return { approved: true, message: 'Request for refund submitted. This label has been voided.' };
    },
  );

  app.get(
    '/v1/labels/:label_id/track',
    {
      schema: { params: LabelParams, response: { 200: TrackResponse } },
      config: { operation: 'track', region: regionOfLabel },
    },
    async (request, reply) => {
      const { label_id } = request.params as { label_id: string };
      const record = ctx.book.get(label_id);
      if (!record)
        return labelfastError(reply, 404, 'validation', 'label_not_found', `label ${label_id} not found`);
      const events = timeline(record, STAGES, ctx.clock.now());
      const last = events[events.length - 1];
      const delivered = events.find((event) => event.status === 'delivered');
      const wire: LabelfastEvent[] = events.map((event) => ({
        occurred_at: new Date(event.at).toISOString(),
        status_code: STATUS_OF[event.status],
        event_code: event.code,
        description: DESCRIPTIONS[event.code],
        city_locality: hubCity(event.region),
        postal_code: event.region === record.to ? record.toPostcode : record.fromPostcode,
      }));
      return {
        tracking_number: record.trackingNumber,
        status_code: last ? STATUS_OF[last.status] : 'UN',
        status_description: last ? DESCRIPTIONS[last.code] : 'Unknown',
        ship_date: new Date(record.shipDate).toISOString(),
        estimated_delivery_date:
          record.cancelledAt === undefined ? new Date(record.deliverAt).toISOString() : null,
        actual_delivery_date: delivered ? new Date(delivered.at).toISOString() : null,
        events: wire,
      };
    },
  );
}

/** Provider state: a labelfast label with a given id (and tracking number) at a given stage. */
export function seedLabelfastShipment(ctx: CarrierContext<LabelRecord>, params: SeedShipment): void {
  const record = seededShipmentRecord(ctx, params, {
    service: 'lf_ground',
    trackingNumber: () => `1LF${ctx.book.hex(16).toUpperCase()}`,
  }) as LabelRecord;
  record.shipmentId = `se-${ctx.book.hex(20)}`;
  placeAtStage(record, params.stage, ctx.clock.now());
  ctx.book.add(record);
}

export type { LabelRecord };
