import Fastify, { type FastifyInstance } from 'fastify';
import { CARRIERS, type CarrierName } from '../../contracts/domain/shipping.ts';
import { recordRoutes } from '../../core/http/route-table.ts';
import { DEFAULT_PROFILE, type ServiceProfile } from '../admin/faults.ts';
import { numberParam, optionalString, type ProviderStates, stringParam } from '../admin/provider-states.ts';
import { installSandboxService, type SandboxServiceKit } from '../admin/service.ts';
import type { VirtualClock } from '../clock/clock.ts';
import { CARRIER_CATALOGUE } from './catalogue.ts';
import { type CarrierContext, createCarrierContext, SHIPMENT_STAGES, type ShipmentStage } from './context.ts';
import { type LabelRecord, labelfastRoutes, seedLabelfastShipment } from './labelfast/routes.ts';
import { type ParcellyState, parcellyRoutes, seedParcellyShipment } from './parcelly/routes.ts';
import { type SteppeRecord, seedSteppeShipment, steppeRoutes } from './steppe/routes.ts';

export interface CarrierServiceOptions {
  clock: Pick<VirtualClock, 'now'>;
  /** The key the carrier's API accepts, in its own auth style. */
  apiKey: string;
  /** Bearer token of the /admin routes. */
  adminToken: string;
  seed?: number;
  /** Value of the `version` label on every series (default `stable`). */
  version?: string;
  /** Real-time API latency per request (default: the carrier's, 5–40 ms; tests pass { minMs: 0, maxMs: 0 }). */
  latency?: { minMs: number; maxMs: number };
  /** Share of requests answered 503 without any fault set (default 0). */
  errorRate?: number;
  logger?: boolean;
}

export interface CarrierApp {
  app: FastifyInstance;
  kit: SandboxServiceKit;
  context: CarrierContext;
}

/** A carrier's fastify app, ready for `app.inject` or `listen`. */
export async function buildCarrierApp(
  name: CarrierName,
  options: CarrierServiceOptions,
): Promise<FastifyInstance> {
  return (await buildCarrier(name, options)).app;
}

export async function buildCarrier(name: CarrierName, options: CarrierServiceOptions): Promise<CarrierApp> {
  if (!CARRIERS.includes(name)) throw new Error(`unknown carrier "${name}"; known: ${CARRIERS.join(', ')}`);
  if (!options.apiKey) throw new Error(`${name}: apiKey must not be empty`);
  const seed = options.seed ?? 1;
  const app = Fastify({
    logger: options.logger ?? false,
    // close() ends the service now: in-flight requests (a fault's hang included) are cut.
    forceCloseConnections: true,
    // Bodies are JSON objects; never coerce a wrong type into the right one (a contract break must show).
    ajv: { customOptions: { coerceTypes: false, removeAdditional: false } },
  });
  recordRoutes(app);
  const profile: ServiceProfile = {
    ...DEFAULT_PROFILE,
    latency: options.latency ?? CARRIER_CATALOGUE[name].latency,
    ...(options.errorRate !== undefined ? { errorRate: options.errorRate } : {}),
  };
  const providerStates: ProviderStates = {};
  const kit = installSandboxService(app, {
    service: name,
    version: options.version ?? 'stable',
    clock: options.clock,
    adminToken: options.adminToken,
    profile,
    seed,
    providerStates,
  });
  // One context per carrier; labelfast and steppe keep a few extra fields on their records.
  const context = createCarrierContext(name, {
    clock: options.clock,
    apiKey: options.apiKey,
    seed,
    registry: kit.metrics.registry,
  });
  const parcelly: ParcellyState = { quoted: new Map(), unbought: new Map() };

  // The carrier's own API lives in its own scope: its auth and error shapes stay there.
  await app.register(async (scope) => {
    if (name === 'parcelly') parcellyRoutes(scope, context, parcelly);
    else if (name === 'labelfast') labelfastRoutes(scope, context as CarrierContext<LabelRecord>);
    else steppeRoutes(scope, context as CarrierContext<SteppeRecord>);
  });

  const seedShipment = (params: Record<string, unknown>) => {
    const stage = (optionalString(params, 'stage') ?? 'created') as ShipmentStage;
    if (!SHIPMENT_STAGES.includes(stage))
      throw new Error(`stage must be one of ${SHIPMENT_STAGES.join(', ')}`);
    const input = {
      shipmentId: stringParam(params, 'shipmentId'),
      trackingNumber: optionalString(params, 'trackingNumber'),
      rateId: optionalString(params, 'rateId'),
      service: optionalString(params, 'service'),
      stage,
      toPostcode: optionalString(params, 'toPostcode') ?? '200000',
      weightKg: numberParam(params, 'weightKg', 1.2),
    };
    if (name === 'parcelly') seedParcellyShipment(context, parcelly, input);
    else if (name === 'labelfast') seedLabelfastShipment(context as CarrierContext<LabelRecord>, input);
    else seedSteppeShipment(context as CarrierContext<SteppeRecord>, input);
  };

  Object.assign(providerStates, {
    default: {
      description: 'a fresh carrier: no shipments, no faults, the catalogue weight limit',
      setup: () => {
        context.book.clear();
        parcelly.quoted.clear();
        parcelly.unbought.clear();
        kit.faults.clear();
        context.maxWeightKg = context.spec.maxWeightKg;
      },
    },
    'carrier rejects oversize parcels': {
      description: `parcels heavier than params.maxWeightKg (default: the carrier's limit) get the carrier's oversize error`,
      setup: (params) => {
        context.maxWeightKg = numberParam(params, 'maxWeightKg', context.spec.maxWeightKg);
      },
      teardown: () => {
        context.maxWeightKg = context.spec.maxWeightKg;
      },
    },
    'shipment exists': {
      description:
        'params: shipmentId (parcelly shp_…, labelfast se-…, steppe a uuid), trackingNumber?, rateId? (parcelly), ' +
        `service?, toPostcode? (default 200000), weightKg?, stage? (${SHIPMENT_STAGES.join(' | ')}; default created)`,
      pattern:
        /^shipment (?<shipmentId>\S+) (?:exists|is (?<stage>quoted|created|in_transit|delivered|cancelled))$/,
      setup: seedShipment,
    },
    'carrier is down': {
      description: 'every API request answers 503 until the state is torn down (a full outage)',
      setup: () => kit.faults.replace([{ id: 'provider-state-outage', kind: 'outage' }]),
      teardown: () => kit.faults.clear(),
    },
  } satisfies ProviderStates);

  return { app, kit, context };
}
