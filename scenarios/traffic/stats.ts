/** What a reader saw besides its records: repaired quirks and skipped input. */
export interface ReaderStats {
  /** Records yielded (lines of JSONL/CSV, order entries of HAR). */
  records: number;
  /** Blank lines (also yielded as `blank-line` quarantines). */
  blankLines: number;
  /** The file began with a UTF-8 BOM, which was stripped. */
  bomStripped: boolean;
  /** Lines that ended in CRLF; the CR was stripped and the line accepted. */
  crlfLines: number;
  /** HAR entries that are not order submissions (assets, GETs): not records, not counted. */
  ignoredEntries: number;
}

export function emptyStats(): ReaderStats {
  return { records: 0, blankLines: 0, bomStripped: false, crlfLines: 0, ignoredEntries: 0 };
}
