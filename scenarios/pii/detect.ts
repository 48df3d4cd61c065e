/**
 * Detectors for PII inside free text (order notes, log messages, error reasons).
 * Written to run in linear time on hostile input: matches start only at token
 * boundaries and no repeated group can split a run of letters more than one way
 * (hostile.test.ts feeds them megabyte lines).
 * Deliberately greedy: a false positive costs a redacted word in a note, a false
 * negative leaks a customer's phone into a report. Each is a global regex so callers
 * use `text.replace(PATTERN, …)`.
 */

/** local@domain.tld, including unicode letters (people type them in notes). */
export const EMAIL =
  /(?<![\p{L}\p{N}._%+'-])[\p{L}\p{N}._%+'-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/gu;

/**
 * International numbers (+CC …, 7–15 digits with spaces, dots, dashes, brackets) and
 * common national forms (8 (495) 123-45-67, (212) 555-0142, 07700 900123). Plain digit
 * runs without separators or "+" are left alone: they are more often order values,
 * postcodes or ids than phones; so are dates (2026-11-23), IPv4 addresses and times.
 */
export const PHONE =
  /(?<![\p{L}\p{N}]|\d[.:])(?!\d{4}-\d\d-\d\d(?!\d)|\d{1,3}(?:\.\d{1,3}){3}(?!\d)|\d\d:\d\d)(?:\+\d{1,3}[\s.-]?(?:\(\d{1,5}\)[\s.-]?)?\d(?:[\s.-]?\d){5,13}|(?:\(\d{2,5}\)|\d{1,5})(?:[\s.-]\(?\d{2,5}\)?){1,2}[\s.-]\d{2,4}(?:[\s.-]\d{2,4})?|0\d{3,4}\s\d{5,7})(?![\p{L}\p{N}])/gu;

const STREET_WORDS =
  'street|st\\.?|road|rd\\.?|avenue|ave\\.?|lane|ln\\.?|boulevard|blvd\\.?|drive|dr\\.?|way|court|ct\\.?|place|pl\\.?|square|sq\\.?|terrace|close|crescent|highway|hwy|row|walk|straße|strasse|str\\.|weg|gasse|platz|allee';
const STREET_PREFIX =
  'ул\\.|улица|пр\\.|просп\\.|проспект|пер\\.|переулок|ш\\.|шоссе|наб\\.|набережная|ulitsa|ul\\.|prospekt|rue|avenue|calle|avenida|av\\.|via|viale|piazza|rua|ulica|aleja';

/**
 * Street addresses: "221B Baker Street", "12 rue de la Paix", "ул. Ленина, д. 5",
 * "Hauptstraße 7", "Calle Mayor 3, 2º". A number with street words either side.
 */
export const STREET = new RegExp(
  [
    // number first: 221B Baker Street, 5 Maple Ln
    `(?<![\\p{L}\\p{N}])\\d{1,5}[\\p{L}]?,?\\s+(?:[\\p{L}'’.-]+\\s+){0,4}(?:${STREET_WORDS})(?![\\p{L}])`,
    // number then keyword: 12 rue de la Paix, 5 avenue Foch
    `(?<![\\p{L}\\p{N}])\\d{1,5}[\\p{L}]?,?\\s+(?:${STREET_PREFIX})\\s+(?:[\\p{L}'’.-]+(?:\\s+|$)){1,4}`,
    // keyword first: rue de la Paix 12, ул. Ленина, д. 5, Calle Mayor 3
    `(?<![\\p{L}])(?:${STREET_PREFIX})\\s*[\\p{L}'’.-]+(?:\\s+[\\p{L}'’.-]+){0,3},?\\s*(?:д\\.\\s*|дом\\s*|no\\.?\\s*|n[º°]\\s*)?\\d{1,5}[\\p{L}]?`,
    // compound street word then number: Hauptstraße 7, Lindenweg 12a
    `(?<![\\p{L}])[\\p{L}-]*(?:straße|strasse|weg|gasse|platz|allee)\\s+\\d{1,5}[\\p{L}]?`,
  ].join('|'),
  'giu',
);
