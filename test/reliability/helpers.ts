import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Shared support for the reliability suite: fuzz sizes, temp folders cleaned after each
 * test, and the "search everything a run wrote" helper the PII and secrets tests use.
 */

/** CI size by default; `SHIPGATE_FUZZ_RUNS=10000` for the nightly size. */
export function fuzzRuns(ci: number): number {
  const nightly = Number(process.env.SHIPGATE_FUZZ_RUNS);
  return Number.isInteger(nightly) && nightly > 0 ? nightly : ci;
}

export type Cleanup = () => Promise<void> | void;

export function cleanups() {
  const list: Cleanup[] = [];
  return {
    add(fn: Cleanup) {
      list.push(fn);
    },
    tempDir(prefix = 'sg-rel-'): string {
      const dir = mkdtempSync(join(tmpdir(), prefix));
      list.push(() => rmSync(dir, { recursive: true, force: true }));
      return dir;
    },
    /** A tmpfs of `kib` KiB (unmounted after the test), or undefined where mounting is refused. */
    tinyDisk(kib: number): string | undefined {
      const dir = this.tempDir('sg-rel-disk-');
      try {
        execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${kib}k`, 'tmpfs', dir], { stdio: 'ignore' });
      } catch {
        return undefined;
      }
      list.push(() => {
        execFileSync('umount', ['-l', dir], { stdio: 'ignore' });
      });
      return dir;
    },
    async run() {
      while (list.length) await list.pop()!();
    },
  };
}

/** Every regular file under `dir`, recursively (bounded in depth and count). */
export function filesUnder(dir: string, depth = 8, limit = 10_000): string[] {
  const out: string[] = [];
  const walk = (d: string, level: number) => {
    if (level > depth || out.length >= limit) return;
    for (const entry of readdirSync(d)) {
      const path = join(d, entry);
      const stat = statSync(path);
      if (stat.isDirectory()) walk(path, level + 1);
      else if (stat.isFile()) out.push(path);
    }
  };
  walk(dir, 0);
  return out;
}

/**
 * Which of `needles` occur in any file under `dirs`, and where. Searched case-insensitively
 * and also in the JSON-escaped form, so an escaped "+" or unicode does not hide a hit.
 */
export function findInFiles(dirs: string[], needles: string[]): { needle: string; file: string }[] {
  const hits: { needle: string; file: string }[] = [];
  for (const dir of dirs)
    for (const file of filesUnder(dir)) {
      const text = readFileSync(file, 'utf8').toLowerCase();
      for (const needle of needles)
        if (
          text.includes(needle.toLowerCase()) ||
          text.includes(JSON.stringify(needle).slice(1, -1).toLowerCase())
        )
          hits.push({ needle, file });
    }
  return hits;
}

export function findInText(texts: string[], needles: string[]): { needle: string; text: string }[] {
  const hits: { needle: string; text: string }[] = [];
  for (const text of texts)
    for (const needle of needles)
      if (text.toLowerCase().includes(needle.toLowerCase())) hits.push({ needle, text: text.slice(0, 300) });
  return hits;
}

/** A test timeout that grows with the nightly case count (at least vitest's 60 s). */
export function fuzzTimeout(ci: number, msPerCase: number): number {
  return Math.max(60_000, fuzzRuns(ci) * msPerCase * 3);
}
