import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  CreateOrderBody,
  MAX_GRAMS,
  MIN_GRAMS,
  OrderEntityResponse,
  OrderInfoResponse,
  OrderParams,
  STEPPE_TARIFFS,
  type SteppeRequest,
  type SteppeStatusCode,
  type SteppeTariffCode,
  TariffListBody,
  TariffListResponse,
} from '../../../contracts/carriers/steppe/api.ts';
import { regionOfPostcode } from '../../../contracts/domain/order.ts';
import { bearerToken, secretMatches } from '../../admin/secret.ts';
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
import type { ShipmentRecord } from '../shipments.ts';
import { type StageCodes, timeline } from '../timeline.ts';

const STAGES: StageCodes<SteppeStatusCode> = {
  created: ['CREATED', 'ACCEPTED'],
  pickedUp: 'RECEIVED_AT_SHIPMENT_WAREHOUSE',
  transit: ['TAKEN_BY_TRANSPORTER_FROM_SENDER_CITY', 'SENT_TO_TRANSIT_CITY', 'ACCEPTED_IN_TRANSIT_CITY'],
  outForDelivery: 'ACCEPTED_AT_PICK_UP_POINT',
  delivered: 'DELIVERED',
  failed: 'NOT_DELIVERED',
  cancelled: 'CANCELLED',
};

const NAMES: Record<SteppeStatusCode, string> = {
  CREATED: 'Created',
  ACCEPTED: 'Accepted',
  RECEIVED_AT_SHIPMENT_WAREHOUSE: 'Received at the sender warehouse',
  TAKEN_BY_TRANSPORTER_FROM_SENDER_CITY: 'Taken by the transporter from the sender city',
  SENT_TO_TRANSIT_CITY: 'Sent to the transit city',
  ACCEPTED_IN_TRANSIT_CITY: 'Accepted in the transit city',
  ACCEPTED_AT_PICK_UP_POINT: 'Accepted at the delivery point',
  DELIVERED: 'Delivered',
  NOT_DELIVERED: 'Not delivered',
  CANCELLED: 'Cancelled',
};

type RequestType = SteppeRequest['type'];

interface SteppeRecord extends ShipmentRecord {
  steppeNumber: string;
  createRequest: SteppeRequest;
}

export function steppeRoutes(app: FastifyInstance, ctx: CarrierContext<SteppeRecord>): void {
  const request = (
    type: RequestType,
    state: SteppeRequest['state'],
    errors?: SteppeRequest['errors'],
  ): SteppeRequest => ({
    request_uuid: ctx.book.uuid(),
    type,
    date_time: new Date(ctx.clock.now()).toISOString(),
    state,
    ...(errors ? { errors } : {}),
  });
  const invalid = (
    reply: FastifyReply,
    status: number,
    type: RequestType,
    errors: { code: string; message: string; field?: string }[],
  ) => reply.code(status).send({ requests: [request(type, 'INVALID', errors)] });
  const typeOf = (req: FastifyRequest): RequestType =>
    req.method === 'DELETE'
      ? 'DELETE'
      : req.method === 'GET'
        ? 'GET'
        : req.url.includes('calculator')
          ? 'CALCULATE'
          : 'CREATE';

  app.addHook('onRequest', async (req, reply) => {
    if (!secretMatches(bearerToken(req.headers.authorization), ctx.apiKey)) {
      return invalid(reply, 401, typeOf(req), [
        { code: 'v2_token_expired', message: 'access token is missing, invalid or expired' },
      ]);
    }
  });
  app.setErrorHandler((error: FastifyError, req, reply) => {
    if (error.validation) {
      const errors = validationIssues(error).map((issue) => ({
        code: 'v2_field_is_invalid',
        message: issue.field.endsWith('.weight')
          ? `${issue.message} (integer grams, ${MIN_GRAMS}..${MAX_GRAMS})`
          : issue.message,
        field: issue.field,
      }));
      return invalid(reply, 400, typeOf(req), errors);
    }
    const status = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    return invalid(reply, status, typeOf(req), [
      { code: status >= 500 ? 'v2_internal_error' : 'v2_bad_request', message: error.message },
    ]);
  });

  /** The business checks shared by the calculator and order creation. */
  const checkParcel = (reply: FastifyReply, type: RequestType, body: TariffListBody) => {
    const grams = body.packages[0]!.weight;
    const lane = laneOf(body.from_location.postal_code, body.to_location.postal_code, grams / 1000);
    if ('problem' in lane) {
      const field = `${lane.field === 'to' ? 'to_location' : 'from_location'}.postal_code`;
      invalid(reply, 400, type, [{ code: 'v2_location_not_served', message: lane.problem, field }]);
      return undefined;
    }
    if (lane.weightKg > ctx.maxWeightKg) {
      const limit = Math.round(ctx.maxWeightKg * 1000);
      const message = `packages[0].weight ${grams} g exceeds the tariff limit of ${limit} g`;
      invalid(reply, 400, type, [{ code: 'v2_weight_exceeded', message, field: 'packages[0].weight' }]);
      return undefined;
    }
    return lane;
  };

  app.post(
    '/v2/calculator/tarifflist',
    {
      schema: { body: TariffListBody, response: { 200: TariffListResponse } },
      config: {
        operation: 'quote',
        region: (req) => regionOfPostcode((req.body as TariffListBody).to_location.postal_code),
      },
    },
    async (req, reply) => {
      const body = req.body as TariffListBody;
      const lane = checkParcel(reply, 'CALCULATE', body);
      if (!lane) return reply;
      return {
        tariff_codes: quoteAll(ctx.spec, lane).map((quote) => {
          const code = Number(quote.service.code) as SteppeTariffCode;
          return {
            tariff_code: code,
            tariff_name: STEPPE_TARIFFS[code].name,
            delivery_mode: 1,
            delivery_sum: quote.price,
            currency: ctx.spec.currency,
            period_min: quote.minDays,
            period_max: quote.advertisedDays,
          };
        }),
      };
    },
  );

  app.post(
    '/v2/orders',
    {
      schema: { body: CreateOrderBody, response: { 202: OrderEntityResponse } },
      config: {
        operation: 'create_shipment',
        region: (req) => regionOfPostcode((req.body as CreateOrderBody).to_location.postal_code),
      },
    },
    async (req, reply) => {
      const body = req.body as CreateOrderBody;
      const service = findService(ctx.spec, String(body.tariff_code));
      if (!service) {
        return invalid(reply, 400, 'CREATE', [
          {
            code: 'v2_tariff_not_available',
            message: `tariff_code ${body.tariff_code} is not offered`,
            field: 'tariff_code',
          },
        ]);
      }
      const lane = checkParcel(reply, 'CREATE', body);
      if (!lane) return reply;
      const record = newShipmentRecord(ctx, {
        id: ctx.book.uuid(),
        trackingNumber: ctx.book.digits(10),
        service,
        lane,
        fromPostcode: body.from_location.postal_code,
        toPostcode: body.to_location.postal_code,
        shipDate: body.planned_shipment_date ? Date.parse(body.planned_shipment_date) : ctx.clock.now(),
        reference: body.number,
      }) as SteppeRecord;
      record.steppeNumber = record.trackingNumber;
      record.createRequest = request('CREATE', 'ACCEPTED');
      ctx.book.add(record);
      countShipment(ctx, record);
      return reply.code(202).send({ entity: { uuid: record.id }, requests: [record.createRequest] });
    },
  );

  const regionOfOrder = (req: FastifyRequest) => ctx.book.get((req.params as { uuid: string }).uuid)?.to;

  app.get(
    '/v2/orders/:uuid',
    {
      schema: { params: OrderParams, response: { 200: OrderInfoResponse } },
      config: { operation: 'track', region: regionOfOrder },
    },
    async (req, reply) => {
      const { uuid } = req.params as { uuid: string };
      const record = ctx.book.get(uuid);
      if (!record) {
        return invalid(reply, 404, 'GET', [
          { code: 'v2_entity_not_found', message: `order ${uuid} not found`, field: 'uuid' },
        ]);
      }
      const statuses = timeline(record, STAGES, ctx.clock.now())
        .reverse()
        .map((event) => ({
          code: event.code,
          name: NAMES[event.code],
          date_time: new Date(event.at).toISOString(),
          city: hubCity(event.region),
        }));
      return {
        entity: {
          uuid: record.id,
          steppe_number: record.steppeNumber,
          ...(record.reference ? { number: record.reference } : {}),
          tariff_code: Number(record.serviceCode),
          delivery_sum: record.price,
          currency: record.currency,
          planned_delivery_date: new Date(record.deliverAt).toISOString(),
          statuses,
        },
        requests: [record.createRequest],
      };
    },
  );

  app.delete(
    '/v2/orders/:uuid',
    {
      schema: { params: OrderParams, response: { 202: OrderEntityResponse } },
      config: { operation: 'cancel', region: regionOfOrder },
    },
    async (req, reply) => {
      const { uuid } = req.params as { uuid: string };
      const record = ctx.book.get(uuid);
      if (!record) {
        return invalid(reply, 404, 'DELETE', [
          { code: 'v2_entity_not_found', message: `order ${uuid} not found`, field: 'uuid' },
        ]);
      }
      const result = ctx.book.cancel(record, ctx.clock.now());
      ctx.cancellations.inc({ carrier: ctx.spec.name, result });
      if (result === 'too_late') {
        return invalid(reply, 400, 'DELETE', [
          {
            code: 'v2_order_not_deletable',
            message: `order ${uuid} is already with the carrier and cannot be deleted`,
          },
        ]);
      }
      return reply.code(202).send({ entity: { uuid }, requests: [request('DELETE', 'ACCEPTED')] });
    },
  );
}

/** Provider state: a steppe order with a given uuid at a given stage. */
export function seedSteppeShipment(ctx: CarrierContext<SteppeRecord>, params: SeedShipment): void {
  const record = seededShipmentRecord(ctx, params, {
    service: '137',
    trackingNumber: () => ctx.book.digits(10),
  }) as SteppeRecord;
  record.steppeNumber = record.trackingNumber;
  record.createRequest = {
    request_uuid: ctx.book.uuid(),
    type: 'CREATE',
    date_time: new Date(ctx.clock.now()).toISOString(),
    state: 'ACCEPTED',
  };
  placeAtStage(record, params.stage, ctx.clock.now());
  ctx.book.add(record);
}

export type { SteppeRecord };
