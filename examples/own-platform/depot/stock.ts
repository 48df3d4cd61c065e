/**
 * The depot's shelves: articles KS-0001 … KS-0100, each with plenty of units so a long
 * load run never empties one, and holds taken against them. A hold takes units off the
 * shelf; releasing it puts them back.
 */
export const ARTICLE_PATTERN = '^KS-[0-9]{4}$';
const SEEDED_ARTICLES = 100;
const SEEDED_UNITS = 1_000_000;

export interface HoldLine {
  article: string;
  units: number;
}

export type HoldResult =
  | { kind: 'held'; holdId: string }
  | { kind: 'short'; short: { article: string; wanted: number; available: number }[] };

export class Shelves {
  #units = new Map<string, number>();
  #holds = new Map<string, HoldLine[]>();
  #issued = 0;

  constructor() {
    this.restock();
  }

  /** Back to the seeded shelves, no holds (also the teardown of every provider state). */
  restock(): void {
    this.#units = new Map(
      Array.from({ length: SEEDED_ARTICLES }, (_, i) => [
        `KS-${String(i + 1).padStart(4, '0')}`,
        SEEDED_UNITS,
      ]),
    );
    this.#holds = new Map();
  }

  set(article: string, units: number): void {
    this.#units.set(article, units);
  }

  available(article: string): number | undefined {
    return this.#units.get(article);
  }

  hold(lines: HoldLine[], holdId?: string): HoldResult {
    const wanted = new Map<string, number>();
    for (const line of lines) wanted.set(line.article, (wanted.get(line.article) ?? 0) + line.units);
    const short = [...wanted]
      .map(([article, units]) => ({ article, wanted: units, available: this.#units.get(article) ?? 0 }))
      .filter((s) => s.available < s.wanted);
    if (short.length > 0) return { kind: 'short', short };
    for (const [article, units] of wanted) this.#units.set(article, (this.#units.get(article) ?? 0) - units);
    const id = holdId ?? `H-${String(++this.#issued).padStart(6, '0')}`;
    this.#holds.set(id, lines);
    return { kind: 'held', holdId: id };
  }

  release(holdId: string): boolean {
    const lines = this.#holds.get(holdId);
    if (!lines) return false;
    for (const line of lines)
      this.#units.set(line.article, (this.#units.get(line.article) ?? 0) + line.units);
    this.#holds.delete(holdId);
    return true;
  }
}
