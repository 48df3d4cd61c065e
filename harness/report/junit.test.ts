import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../core/report/model.ts';
import { launchChromium, probe, withProbes } from './browser.testing.ts';
import { brokenIntegrationReport, failedCanaryReport } from './fixtures/reports.ts';
import { renderJunit } from './junit.ts';

/** Parses XML with Chromium's DOMParser (a conformant XML 1.0 parser) and summarises it. */
let browser: Browser;
beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

interface Parsed {
  error: string | null;
  suites: { name: string; tests: string; failures: string; errors: string }[];
  cases: { name: string; kind: string; message: string | null; body: string }[];
}

async function parse(xml: string): Promise<Parsed> {
  const context = await browser.newContext();
  try {
    await withProbes(context);
    const page = await context.newPage();
    await page.goto('about:blank');
    return await probe<Parsed>(page, 'parseJunit', xml);
  } finally {
    await context.close();
  }
}

describe('renderJunit', () => {
  it('writes one testcase per check, failures as <failure>, inconclusive as <error>', async () => {
    const report = failedCanaryReport();
    const parsed = await parse(renderJunit(report));
    expect(parsed.error).toBeNull();
    const checks = Object.values(report.layers).flatMap((l) => l?.checks ?? []);
    expect(parsed.cases).toHaveLength(checks.length);
    expect(parsed.suites.map((s) => s.name)).toEqual([
      'shipgate.contracts',
      'shipgate.replay',
      'shipgate.scenarios',
      'shipgate.canary',
    ]);
    expect(parsed.suites[3]).toMatchObject({ tests: '6', failures: '2', errors: '1' });
    const slow = parsed.cases.find((c) => c.name.includes('canary/processing_over_slo'));
    expect(slow).toMatchObject({ kind: 'failure' });
    expect(slow?.message).toMatch(/24% of canary orders took longer than 1 s/);
    expect(slow?.body).toMatch(/test mixture-sprt: e-value 413, limit ≥ 20/);
    expect(parsed.cases.find((c) => c.name.includes('canary/on_time_rate'))).toMatchObject({ kind: 'error' });
    expect(parsed.cases.filter((c) => c.kind === 'pass')).toHaveLength(checks.length - 3);
  });

  it('escapes hostile text so the file stays well-formed and says exactly what the report says', async () => {
    const hostile =
      'a <b> & "c" \'d\' ]]> <!-- x --> \u0001\u0008 bell\u0007 lone\uD800 pair😀\nnext line\ttab';
    const report: Report = brokenIntegrationReport();
    const check = report.layers.contracts?.checks[1];
    if (!check) throw new Error('fixture changed');
    check.message = hostile;
    check.title = `${hostile} title`;
    check.evidence.details = { actual: '</failure><injected/>' };
    const xml = renderJunit(report);
    const parsed = await parse(xml);
    expect(parsed.error).toBeNull();
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters are what is tested
    const expected = hostile.replace(/[\u0001\u0007\u0008\uD800]/g, '\uFFFD');
    const c = parsed.cases.find((x) => x.kind === 'failure' && x.name.startsWith('a <b>'));
    expect(c?.message).toBe(expected);
    expect(c?.body).toContain('</failure><injected/>');
    expect(xml).not.toContain('<injected/>');
  });

  it('marks skipped checks as <skipped>', async () => {
    const report = brokenIntegrationReport();
    const check = report.layers.replay?.checks[0];
    if (!check) throw new Error('fixture changed');
    check.status = 'skipped';
    check.message = 'stopped after the contracts layer failed';
    const parsed = await parse(renderJunit(report));
    expect(parsed.cases.find((c) => c.name.includes('replay/accounting'))).toMatchObject({
      kind: 'skipped',
      message: 'stopped after the contracts layer failed',
    });
  });
});
