import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Order } from '../../contracts/domain/order.ts';
import { validator } from '../../core/schema/validate.ts';
import { orderArbitrary, sampleOrder } from '../traffic/test-orders.ts';
import { emailClass } from './email.ts';
import { countryCode } from './phone.ts';
import { createScrubber } from './scrub.ts';
import { TEST_SCRUB_KEY } from './test-key.ts';

const validate = validator(Order);
const scrubber = createScrubber(TEST_SCRUB_KEY);

function marked(): Order {
  return sampleOrder('o-marker', {
    customer: {
      name: 'Mxname Mxsurname',
      phone: '+447700900777',
      email: 'mx.marker@bigcorp.test',
      address: {
        line1: '77 Mxstreet Road',
        line2: 'Flat Mx9',
        city: 'Mxcity',
        postcode: '512345',
        country: 'XS',
      },
      vip: true,
    },
    destination: { region: 'SE', postcode: '512345' },
    notes: 'Mxname says: ring +44 7700 900777 or mail mx.marker@bigcorp.test, back door of 77 Mxstreet Road',
  });
}

describe('createScrubber', () => {
  it('replaces every PII field of an order and keeps what the platform needs', () => {
    const original = marked();
    const scrubbed = scrubber.order(original);
    expect(validate(scrubbed).ok).toBe(true);
    const json = JSON.stringify(scrubbed);
    for (const marker of [
      'Mxname',
      'Mxsurname',
      '900777',
      'mx.marker',
      'bigcorp',
      'Mxstreet',
      'Mx9',
      'Mxcity',
      '512345',
    ]) {
      expect(json).not.toContain(marker);
    }
    expect(scrubbed.customer.phone.startsWith('+44')).toBe(true);
    expect(scrubbed.customer.phone).toHaveLength(original.customer.phone.length);
    expect(emailClass(scrubbed.customer.email)).toBe('corporate');
    expect(scrubbed.customer.address.postcode[0]).toBe('5');
    expect(scrubbed.destination.postcode).toBe(scrubbed.customer.address.postcode);
    // Not PII: untouched, so replays make the same decisions.
    const { customer: _a, notes: _b, destination: d1, ...rest1 } = original;
    const { customer: _c, notes: _d, destination: d2, ...rest2 } = scrubbed;
    expect(rest2).toEqual(rest1);
    expect(d2.region).toBe(d1.region);
    expect(scrubbed.customer.vip).toBe(true);
  });

  it('keeps the email class: freemail stays freemail, a company domain maps to one pseudonymous domain', () => {
    expect(emailClass(scrubber.email('someone@gmail.com'))).toBe('freemail');
    const a = scrubber.email('a@acme-industries.com');
    const b = scrubber.email('b@acme-industries.com');
    expect(a.split('@')[1]).toBe(b.split('@')[1]);
    expect(a).not.toBe(b);
  });

  it('keeps the country code of phones in several plans', () => {
    for (const phone of ['+12125550142', '+74951234567', '+3512123456789', '+8613812345678']) {
      const out = scrubber.phone(phone);
      const digits = phone.slice(1);
      expect(out.slice(1, 1 + countryCode(digits).length)).toBe(countryCode(digits));
      expect(out).toMatch(/^\+[1-9][0-9]{6,14}$/);
      expect(out).not.toBe(phone);
    }
  });

  it('keeps names in their script', () => {
    expect(scrubber.name('Анна Петрова')).toMatch(/^\p{Script=Cyrillic}+ \p{Script=Cyrillic}+$/u);
    expect(scrubber.name('山田 太郎')).toMatch(/\p{Script=Han}/u);
  });

  it('is stable for one key and different for another', () => {
    const order = marked();
    expect(createScrubber(TEST_SCRUB_KEY).order(order)).toEqual(scrubber.order(order));
    const other = createScrubber('another-key-of-enough-length').order(order);
    expect(
      other.customer.name === scrubber.order(order).customer.name &&
        other.customer.phone === scrubber.order(order).customer.phone,
    ).toBe(false);
    expect(other.customer.email).not.toBe(scrubber.order(order).customer.email);
  });

  it('property: any valid order scrubs to a valid order without its original contact values', () => {
    fc.assert(
      fc.property(orderArbitrary, (order) => {
        const scrubbed = scrubber.order(order);
        const result = validate(scrubbed);
        if (!result.ok) throw new Error(JSON.stringify(result.issues));
        expect(scrubbed.customer.email).not.toBe(order.customer.email);
        expect(scrubbed.customer.phone).not.toBe(order.customer.phone);
        expect(scrubbed.customer.name).not.toBe(order.customer.name);
        expect(scrubbed.customer.address.line1).not.toBe(order.customer.address.line1);
        expect(scrubbed.customer.address.postcode[0]).toBe(order.customer.address.postcode[0]);
        if (order.notes?.includes('@')) {
          expect(scrubbed.notes).not.toContain(order.customer.email);
        }
        expect(scrubber.order(order)).toEqual(scrubbed);
      }),
      { numRuns: 300 },
    );
  });

  it('replaces whole notes by default; with notes: detect keeps the prose without contact values', () => {
    const note = marked().notes!;
    expect(scrubber.order(marked()).notes).not.toContain('says');
    const detected = createScrubber(TEST_SCRUB_KEY, { notes: 'detect' }).order(marked()).notes!;
    expect(detected).toContain('says: ring');
    for (const marker of ['Mxname', '900777', 'mx.marker', 'Mxstreet'])
      expect(detected).not.toContain(marker);
    expect(note).toContain('Mxname');
  });

  it('scrubs free text: emails, phones and streets, known values anywhere', () => {
    const out = scrubber.text(
      'Leave with Mxname at 12 Elm Street, or call (212) 555-0142 / +7 495 123-45-67, x@y.org',
      marked().customer,
    );
    expect(out).not.toMatch(/Mxname|Elm Street|555-0142|123-45-67|x@y\.org/);
  });
});
