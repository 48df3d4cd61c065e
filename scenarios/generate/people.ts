import type { Region } from '../../contracts/domain/order.ts';
import type { Rng } from '../../core/prng.ts';

/**
 * Synthetic customers: plausible names in several scripts (so label printing, field
 * lengths and scrubbing meet real-world text), but obviously fake contact details —
 * emails at RFC 2606 example domains, phones in ranges regulators reserve for fiction
 * (UK 07700 900xxx, US 555-01xx, FR 01 99 xx xx xx), invented streets and cities.
 */

interface Culture {
  weight: number;
  given: readonly string[];
  family: readonly string[];
  familyFirst?: boolean;
  street: (rng: Rng) => string;
  line2: (rng: Rng) => string;
}

const words = (text: string) => text.split(' ');
const latinStreets = words(
  'Acorn Bramble Chestnut Dandelion Fern Glade Heather Ivy Kestrel Meadow Oak Pebble Robin Sparrow Tulip Violet',
);
const en = (rng: Rng) =>
  `${rng.int(1, 250)} ${rng.pick(latinStreets)} ${rng.pick(words('Street Road Lane Avenue Close Drive'))}`;
const enFlat = (rng: Rng) => `Apt ${rng.int(1, 40)}${rng.pick(['', 'A', 'B'])}`;

const CULTURES: readonly Culture[] = [
  {
    weight: 30,
    given: words('Olivia Liam Emma Noah Amelia Oliver Isla George Ava Harry'),
    family: words("Smith Jones Taylor Brown Wilson Evans O'Connor Fitzgerald-Hart"),
    street: en,
    line2: enFlat,
  },
  {
    weight: 20,
    given: words('Анна Дмитрий Ольга Сергей Мария Алексей Татьяна Иван'),
    family: words('Иванова Смирнов Кузнецова Попов Соколова Лебедев'),
    street: (rng) =>
      `ул. ${rng.pick(words('Садовая Лесная Полевая Речная Луговая Солнечная'))}, д. ${rng.int(1, 120)}`,
    line2: (rng) => `кв. ${rng.int(1, 300)}`,
  },
  {
    weight: 10,
    given: words('José María Lucía Álvaro Begoña Iñigo'),
    family: words('García Fernández Núñez Muñoz López'),
    street: (rng) => `Calle ${rng.pick(words('Mayor Olmo Pinar Río Sol'))} ${rng.int(1, 90)}`,
    line2: (rng) => `Piso ${rng.int(1, 9)}º`,
  },
  {
    weight: 10,
    given: words('Jürgen Jörg Lena Björn Käthe Uwe'),
    family: words('Müller Schäfer Groß Weiß Böhm'),
    street: (rng) => `${rng.pick(words('Linden Birken Eichen Ahorn Tannen'))}straße ${rng.int(1, 80)}`,
    line2: (rng) => `${rng.int(1, 5)}. OG`,
  },
  {
    weight: 8,
    given: words('François Chloé Zoë Hélène Léa Gaël'),
    family: words('Lefèvre Dubois Rousseau Gérard Bézier'),
    street: (rng) =>
      `${rng.int(1, 140)} rue ${rng.pick(['des Lilas', 'du Moulin', 'de la Forêt', 'des Écoles'])}`,
    line2: (rng) => `Bât. ${rng.pick(['A', 'B', 'C'])}`,
  },
  {
    weight: 6,
    given: words('Łukasz Agnieszka Wojciech Małgorzata'),
    family: words('Wójcik Kowalczyk Zieliński Dąbrowska'),
    street: en,
    line2: enFlat,
  },
  {
    weight: 4,
    given: words('İlker Şule Çağla Oğuz'),
    family: words('Yılmaz Öztürk Çelik Doğan'),
    street: en,
    line2: enFlat,
  },
  {
    weight: 4,
    given: words('太郎 花子 健 美咲'),
    family: words('山田 佐藤 鈴木 田中'),
    familyFirst: true,
    street: en,
    line2: enFlat,
  },
  {
    weight: 4,
    given: words('An Bình Hạnh Thảo'),
    family: words('Nguyễn Trần Lê Phạm'),
    familyFirst: true,
    street: en,
    line2: enFlat,
  },
  {
    weight: 4,
    given: words('محمد فاطمة أحمد ليلى'),
    family: words('الأحمد الحسن العلي'),
    street: en,
    line2: enFlat,
  },
];

const CITIES: Record<Region, readonly string[]> = {
  C: ['Midholm', 'Centerbury'],
  N: ['Northaven', 'Frostwick'],
  NE: ['Ashmark', 'Kelderby'],
  E: ['Eastbridge', 'Dawnport'],
  SE: ['Saltcombe', 'Marlow Vale'],
  S: ['Southmere', 'Sunhollow'],
  SW: ['Copperleigh', 'Tidewater'],
  W: ['Westfold', 'Duskford'],
  NW: ['Pinefield', 'Greywater'],
};

const COMPANIES = words('acme globex initech umbrella hooli vandelay wonka stark');

export interface Person {
  name: string;
  phone: string;
  email: string;
  line1: string;
  line2?: string;
  city: string;
}

export function makePerson(rng: Rng, region: Region): Person {
  const culture = rng.weighted(CULTURES.map((c) => [c, c.weight] as const));
  const given = rng.pick(culture.given);
  const family = rng.pick(culture.family);
  const name = culture.familyFirst ? `${family} ${given}` : `${given} ${family}`;
  const ascii = `${asciiOf(given)}.${asciiOf(family)}`.replace(/^\.|\.$/g, '') || 'customer';
  const local = `${ascii}${rng.int(1, 9999)}`;
  const domain = rng.chance(0.65)
    ? rng.pick(['example.com', 'example.net'])
    : `${rng.pick(COMPANIES)}.example.org`;
  const person: Person = {
    name,
    phone: fictionPhone(rng),
    email: `${local}@${domain}`,
    line1: culture.street(rng),
    city: rng.pick(CITIES[region]),
  };
  if (rng.chance(0.25)) person.line2 = culture.line2(rng);
  return person;
}

/** E.164 numbers in ranges reserved for drama and documentation. */
function fictionPhone(rng: Rng): string {
  const plan = rng.weighted([
    ['uk', 5],
    ['us', 3],
    ['fr', 2],
  ] as const);
  const digits = (n: number) => Array.from({ length: n }, () => rng.int(0, 9)).join('');
  if (plan === 'uk') return `+447700900${digits(3)}`;
  if (plan === 'us') return `+1${rng.pick(['212', '415', '312', '617', '202'])}55501${digits(2)}`;
  return `+33199${digits(6)}`;
}

function asciiOf(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/ł/g, 'l')
    .replace(/ı/g, 'i')
    .toLowerCase()
    .replace(/[^a-z]/g, '');
}
