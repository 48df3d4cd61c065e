/**
 * pino's `redact` option for every logger in shipgate: the paths where orders and
 * parcels carry PII, at the depths our log objects put them (`{ order }`, `{ body }`,
 * `{ req: { body } }`, arrays of orders). Use as `pino({ redact: pinoRedaction })`.
 * Paths cannot catch PII inside a message string: pass such strings through
 * scrubText (text.ts) first.
 */
const FIELDS = ['customer', 'recipient', 'notes'];
const PARENTS = [
  '',
  'order.',
  'body.',
  'req.body.',
  'request.body.',
  'payload.',
  'record.order.',
  'orders[*].',
  'parcel.',
];

export const PII_LOG_PATHS: readonly string[] = [
  ...PARENTS.flatMap((parent) => FIELDS.map((field) => `${parent}${field}`)),
  // Loose fields of a flattened customer, or an error that copied one.
  'email',
  'phone',
  '*.email',
  '*.phone',
  '*.customer',
  '*.recipient',
  '*.notes',
];

export const pinoRedaction: { paths: string[]; censor: string } = {
  paths: [...PII_LOG_PATHS],
  censor: '[redacted]',
};
