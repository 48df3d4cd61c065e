import Type, { type Static } from 'typebox';

/**
 * The order, as the store's front end sends it to the logistics platform.
 * One definition: TypeScript type, runtime validator and fastify route schema.
 * Everything under `customer` (and free text in `notes`) is PII and is scrubbed
 * before anything shipgate writes (see scenarios/pii).
 */

export const SERVICE_LEVELS = ['express', 'standard', 'economy'] as const;
export const ServiceLevel = Type.Enum(SERVICE_LEVELS);
export type ServiceLevel = Static<typeof ServiceLevel>;

/** Delivery regions of the sandbox world; a postcode's first digit names its region. */
export const REGIONS = ['C', 'N', 'NE', 'E', 'SE', 'S', 'SW', 'W', 'NW'] as const;
export const Region = Type.Enum(REGIONS);
export type Region = Static<typeof Region>;

export const Postcode = Type.String({
  pattern: '^[0-9]{6}$',
  description: 'six digits; the first names the region',
});

export const Address = Type.Object(
  {
    line1: Type.String({ minLength: 1, maxLength: 200 }),
    line2: Type.Optional(Type.String({ maxLength: 200 })),
    city: Type.String({ minLength: 1, maxLength: 100 }),
    postcode: Postcode,
    country: Type.String({ pattern: '^[A-Z]{2}$' }),
  },
  { additionalProperties: false },
);
export type Address = Static<typeof Address>;

export const Customer = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    phone: Type.String({ pattern: '^\\+[1-9][0-9]{6,14}$', description: 'E.164' }),
    email: Type.String({ format: 'email', maxLength: 254 }),
    address: Address,
    vip: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type Customer = Static<typeof Customer>;

export const OrderItem = Type.Object(
  {
    sku: Type.String({ pattern: '^[A-Z0-9][A-Z0-9-]{1,39}$' }),
    qty: Type.Integer({ minimum: 1, maximum: 1000 }),
    weightKg: Type.Number({ exclusiveMinimum: 0, maximum: 1000, description: 'weight of one unit' }),
  },
  { additionalProperties: false },
);
export type OrderItem = Static<typeof OrderItem>;

export const Order = Type.Object(
  {
    id: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$' }),
    createdAt: Type.String({ format: 'date-time' }),
    customer: Customer,
    items: Type.Array(OrderItem, { minItems: 1, maxItems: 200 }),
    destination: Type.Object({ region: Region, postcode: Postcode }, { additionalProperties: false }),
    serviceLevel: ServiceLevel,
    promisedBy: Type.String({ format: 'date-time', description: 'the delivery promise made at checkout' }),
    value: Type.Number({ minimum: 0, description: 'order value in the store currency' }),
    currency: Type.String({ pattern: '^[A-Z]{3}$' }),
    notes: Type.Optional(Type.String({ maxLength: 1000, description: 'free text; may hold PII' })),
  },
  { additionalProperties: false, $id: 'Order' },
);
export type Order = Static<typeof Order>;

/** Total parcel weight: one parcel per order in the sandbox world. */
export function orderWeightKg(order: Pick<Order, 'items'>): number {
  return order.items.reduce((sum, item) => sum + item.qty * item.weightKg, 0);
}

export function regionOfPostcode(postcode: string): Region | undefined {
  return REGIONS[Number(postcode[0]) - 1];
}
