import { POSTCODE_PATTERN, SPEEDS, type Speed } from './zones.ts';

/**
 * The body of `PUT /fulfilment/requests/:clientRef`. Weights in grams and prices in
 * cents, both integers. Everything under `recipient` is personal data.
 */
export interface FulfilmentRequest {
  speed: Speed;
  recipient: { fullName: string; email: string; street: string; town: string; postcode: string };
  lines: { article: string; units: number; unitGrams: number; unitPriceCents: number }[];
}

export const CLIENT_REF_PATTERN = '^[A-Za-z0-9_-]{4,64}$';

export const fulfilmentRequestSchema = {
  type: 'object',
  required: ['speed', 'recipient', 'lines'],
  additionalProperties: false,
  properties: {
    speed: { enum: [...SPEEDS] },
    recipient: {
      type: 'object',
      required: ['fullName', 'email', 'street', 'town', 'postcode'],
      additionalProperties: false,
      properties: {
        fullName: { type: 'string', minLength: 1, maxLength: 120 },
        email: { type: 'string', pattern: '^[^@\\s]+@[^@\\s]+$', maxLength: 254 },
        street: { type: 'string', minLength: 1, maxLength: 200 },
        town: { type: 'string', minLength: 1, maxLength: 100 },
        postcode: { type: 'string', pattern: POSTCODE_PATTERN },
      },
    },
    lines: {
      type: 'array',
      minItems: 1,
      maxItems: 50,
      items: {
        type: 'object',
        required: ['article', 'units', 'unitGrams', 'unitPriceCents'],
        additionalProperties: false,
        properties: {
          article: { type: 'string', pattern: '^KS-[0-9]{4}$' },
          units: { type: 'integer', minimum: 1, maximum: 999 },
          unitGrams: { type: 'integer', minimum: 1, maximum: 50_000 },
          unitPriceCents: { type: 'integer', minimum: 0, maximum: 10_000_000 },
        },
      },
    },
  },
} as const;
