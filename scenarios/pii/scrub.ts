import type { Order } from '../../contracts/domain/order.ts';
import { EMAIL, PHONE, STREET } from './detect.ts';
import { scrubEmail } from './email.ts';
import { Keyed } from './keyed.ts';
import { scrubPhone } from './phone.ts';
import { CITIES, FAMILY, GIVEN, STREET_TYPES, STREETS, scriptOf } from './pools.ts';

/**
 * Keyed, format-preserving pseudonyms for every PII field of an order. Same key and
 * input → same output (stable diffs between baseline and candidate runs); a different
 * key → unrelated output; without the key, the mapping cannot be reversed short of
 * guessing the original and the key. The scrubbed order still validates as an Order:
 * a phone stays E.164 in its country, an email keeps its class, a postcode its region.
 */
export interface Scrubber {
  order(order: Order): Order;
  name(name: string): string;
  phone(phone: string): string;
  email(email: string): string;
  street(line1: string): string;
  line2(line2: string): string;
  city(city: string): string;
  postcode(postcode: string): string;
  /** Free text: known values of `context` and anything that looks like an email, phone or street. */
  text(text: string, context?: Order['customer']): string;
}

const NOTES_MAX = 1000;

/**
 * What happens to an order's free-text `notes`:
 * - `replace` (default): the whole note becomes a neutral delivery phrase picked by the
 *   key. Free text can hold PII no pattern recognises (a neighbour's name, a door
 *   code), and no platform decision depends on a note's wording, so this is the only
 *   policy under which nothing of the original can survive.
 * - `detect`: keep the text, replacing this customer's own values and anything that
 *   looks like an email, phone or street address (scrubber.text). For debugging how a
 *   platform handles notes; other PII in the prose survives.
 */
export type NotesPolicy = 'replace' | 'detect';

const NEUTRAL_NOTES = [
  'Leave at the door',
  'Please ring the bell',
  'Deliver to reception',
  'Call on arrival',
  'Leave with a neighbour if out',
  'No delivery before noon',
  'Side entrance please',
  'Fragile, handle with care',
];

function at<T>(list: readonly T[], bytes: Buffer, offset: number): T {
  return list[bytes.readUInt32BE(offset) % list.length]!;
}

export function createScrubber(
  key: string | Buffer,
  { notes = 'replace' }: { notes?: NotesPolicy } = {},
): Scrubber {
  const keyed = new Keyed(key);

  const differing = (original: string, draw: (attempt: number) => string): string => {
    for (let attempt = 0; attempt < 8; attempt++) {
      const out = draw(attempt);
      if (out !== original) return out;
    }
    return draw(8);
  };

  const name = (value: string): string => {
    const script = scriptOf(value);
    return differing(value, (attempt) => {
      // One HMAC per pseudonym; its bytes feed every pick (4 bytes each).
      const h = keyed.bytes('name', value, attempt);
      const given = at(GIVEN[script], h, 0);
      const family = at(FAMILY[script], h, 4);
      return script === 'cjk' ? `${family} ${given}` : `${given} ${family}`;
    });
  };

  const street = (value: string): string => {
    const cyrillic = scriptOf(value) === 'cyrillic';
    return differing(value, (attempt) => {
      const h = keyed.bytes('street', value, attempt);
      const number = 1 + (h.readUInt16BE(8) % 240);
      if (cyrillic) return `ул. ${at(STREETS.cyrillic, h, 0)}, д. ${number}`;
      return `${number} ${at(STREETS.latin, h, 0)} ${at(STREET_TYPES, h, 4)}`;
    });
  };

  const line2 = (value: string): string => {
    const number = 1 + (keyed.bytes('line2', value).readUInt16BE(0) % 300);
    return scriptOf(value) === 'cyrillic' ? `кв. ${number}` : `Apt ${number}`;
  };

  const city = (value: string): string => {
    const pool = scriptOf(value) === 'cyrillic' ? CITIES.cyrillic : CITIES.latin;
    return differing(value, (attempt) => keyed.pick(pool, 'city', value, attempt));
  };

  /** Keeps the first digit (the region), draws the other five. */
  const postcode = (value: string): string =>
    differing(
      value,
      (attempt) =>
        `${value.slice(0, 1)}${keyed.digits('postcode', value, Math.max(0, value.length - 1), attempt)}`,
    );

  const phone = (value: string) => scrubPhone(keyed, value);
  const email = (value: string) => scrubEmail(keyed, value);

  const text = (value: string, context?: Order['customer']): string => {
    let out = value;
    if (context) {
      // Values we know are this customer's: replace them wherever they appear, even
      // where no pattern would spot them (a bare first name in "leave with Anna").
      const known: [string, string][] = [
        [context.email, email(context.email)],
        [context.phone, phone(context.phone)],
        [context.address.line1, street(context.address.line1)],
        [context.address.city, city(context.address.city)],
        [context.name, name(context.name)],
      ];
      const pseudoParts = name(context.name).split(' ');
      context.name.split(/\s+/).forEach((part, index) => {
        if (part.length >= 3) known.push([part, pseudoParts[Math.min(index, pseudoParts.length - 1)]!]);
      });
      for (const [original, pseudonym] of known) {
        if (original.length >= 3) out = out.split(original).join(pseudonym);
      }
    }
    out = out
      .replace(EMAIL, (match) => email(match))
      .replace(STREET, (match) => street(match))
      .replace(PHONE, (match) => phone(match));
    return out.length > NOTES_MAX ? out.slice(0, NOTES_MAX) : out;
  };

  const order = (input: Order): Order => {
    const { customer } = input;
    const address = {
      ...customer.address,
      line1: street(customer.address.line1),
      ...(customer.address.line2 === undefined ? {} : { line2: line2(customer.address.line2) }),
      city: city(customer.address.city),
      postcode: postcode(customer.address.postcode),
    };
    const scrubbed: Order = {
      ...input,
      customer: {
        ...customer,
        name: name(customer.name),
        phone: phone(customer.phone),
        email: email(customer.email),
        address,
      },
      destination: { ...input.destination, postcode: postcode(input.destination.postcode) },
    };
    if (input.notes !== undefined) {
      scrubbed.notes =
        notes === 'detect'
          ? text(input.notes, customer)
          : at(NEUTRAL_NOTES, keyed.bytes('notes', input.notes), 0);
    }
    return scrubbed;
  };

  return { order, name, phone, email, street, line2, city, postcode, text };
}
