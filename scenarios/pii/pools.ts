/**
 * Pseudonym pools, by script, so a scrubbed Cyrillic or Japanese name stays in its
 * script (the platform's label printing and field widths meet the same text). Kept
 * disjoint from the generator's pools (scenarios/generate/people.ts), so a scrubbed
 * synthetic order never shows its original name by coincidence.
 */
export type Script = 'latin' | 'cyrillic' | 'cjk' | 'greek' | 'arabic';

export function scriptOf(text: string): Script {
  if (/\p{Script=Cyrillic}/u.test(text)) return 'cyrillic';
  if (/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u.test(text)) return 'cjk';
  if (/\p{Script=Greek}/u.test(text)) return 'greek';
  if (/\p{Script=Arabic}/u.test(text)) return 'arabic';
  return 'latin';
}

export const GIVEN: Record<Script, readonly string[]> = {
  latin:
    'Avery Blair Casey Darcy Emery Finley Harper Jordan Kendall Logan Marlowe Noel Parker Quinn Reese Rowan Sawyer Tatum Quentin Linden'.split(
      ' ',
    ),
  cyrillic: 'Агата Борислав Веста Гордей Дарина Елисей Злата Любомир Милана Ярослав'.split(' '),
  cjk: '陽斗 結衣 蒼 凛 湊 葵 蓮 紬'.split(' '),
  greek: 'Φοίβος Αθηνά Ηλέκτρα Λέανδρος Ξανθή Ορέστης'.split(' '),
  arabic: 'ليث سلمى نادر ريم زياد هالة'.split(' '),
};

export const FAMILY: Record<Script, readonly string[]> = {
  latin:
    'Ashdown Brightwater Coldridge Dunmore Elmsworth Fairholm Greyfield Hollins Ivesdale Kettleby Larkspur Millbrook Northcote Oakhurst Pembridge Quillon Redfern Stonebury Thornwick Wexley'.split(
      ' ',
    ),
  cyrillic: 'Берёзкин Ветров Зимина Каменев Лугова Озёрный Полянская Ручьёв Снегирёва Тихонов'.split(' '),
  cjk: '青木 森田 石川 小野 松本 高橋 村上 西村'.split(' '),
  greek: 'Αστέρης Βουνάκης Θαλασσινός Κηπουρός Λιμνιώτης Πευκίδης'.split(' '),
  arabic: 'الحداد النجار الصباغ الخياط العطار الفلاحي'.split(' '),
};

export const STREETS: Record<'latin' | 'cyrillic', readonly string[]> = {
  latin:
    'Aspen Birchwood Cedar Dovecote Elderberry Foxglove Hawthorn Juniper Lavender Marigold Nettle Orchard Primrose Quarry Rosemary Sorrel Thistle Willow'.split(
      ' ',
    ),
  cyrillic: 'Рябиновая Черёмуховая Липовая Ольховая Вересковая Брусничная Кленовая Ясеневая'.split(' '),
};
export const STREET_TYPES = 'Street Lane Road Avenue Close Way Row Terrace'.split(' ');

export const CITIES: Record<'latin' | 'cyrillic', readonly string[]> = {
  latin:
    'Brackenford Dunmere Eastholm Fernleigh Glenmoor Hartwell Kingsbrook Lowmarsh Millford Norbury Oakvale Pinecrest Ravensholt Stillwater Thornbury Westerby'.split(
      ' ',
    ),
  cyrillic: 'Березовск Кедровый Озёрск Сосновка Ольховец Рябиновск Ясенево Липецкий'.split(' '),
};
