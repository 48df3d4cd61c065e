import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ReplayCommandOptions } from '../commands/replay.ts';
import { runReplayCommand } from './replay.ts';
import { runRawReplayCommand } from './replay-raw.ts';

/** `shipgate replay --raw` refuses bad flags before a run folder exists or a byte is sent. */
const dir = mkdtempSync(join(tmpdir(), 'shipgate-raw-flags-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const har = join(dir, 'a.har');
writeFileSync(har, JSON.stringify({ log: { entries: [] } }));
const gor = join(dir, 'a.gor');
writeFileSync(gor, '');

const options = (extra: Partial<ReplayCommandOptions> = {}): ReplayCommandOptions => ({
  target: 'http://127.0.0.1:9',
  raw: true,
  multiply: 1,
  concurrency: 4,
  timeout: 1000,
  settleTimeout: 1000,
  diffBudget: 0.01,
  allowHost: [],
  progress: false,
  out: join(dir, 'run'),
  ...extra,
});

describe('replay --raw flags', () => {
  it.each([
    ['--multiply', { multiply: 2 }, /--multiply is not available with --raw/],
    ['--format jsonl', { format: 'jsonl' as const }, /--raw replays a HAR or GoReplay recording, not jsonl/],
    [
      'a literal credential',
      { header: ['X-Api-Key: k-123'] },
      /--header\.X-Api-Key: a credential is never given as a literal/,
    ],
    [
      'an unset variable',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: ${VARIABLE} is the --header flag's own syntax
      { header: ['Authorization: Bearer ${SHIPGATE_TEST_UNSET_TOKEN}'] },
      /SHIPGATE_TEST_UNSET_TOKEN is not set.*--header\.Authorization/,
    ],
    ['a bad header flag', { header: ['Authorization'] }, /expected "Name: value"/],
    ['a target off the allowlist', { target: 'http://10.1.2.3:80' }, /not on the allowlist/],
  ])('refuses %s, and writes no run folder', async (_name, extra, message) => {
    await expect(runRawReplayCommand(har, options(extra))).rejects.toThrow(message);
    expect(existsSync(join(dir, 'run'))).toBe(false);
  });

  it('refuses a GoReplay recording without --raw', async () => {
    await expect(runReplayCommand(gor, options({ raw: false }))).rejects.toThrow(/replayed with --raw/);
  });
});
