import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../core/report/model.ts';
import { openRunFolder } from '../../core/run/run-folder.ts';
import { launchChromium, probe, withProbes } from './browser.testing.ts';
import { brokenIntegrationReport, failedCanaryReport, passingGateReport } from './fixtures/reports.ts';
import { h, renderHtml } from './html.ts';
import { writeReports } from './write.ts';

const ARTIFACTS = resolve('.shipgate/test-artifacts');
let browser: Browser;
let dir: string;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'shipgate-html-'));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface ChartInfo {
  metric: string;
  baselinePoints: number;
  canaryPoints: number;
}
interface Ink {
  metric: string;
  canary: number;
  baseline: number;
  ink: number;
}

interface Opened {
  page: Page;
  problems: string[];
  close: () => Promise<void>;
}

/** Writes the report through writeReports and opens its report.html, recording every console error and request. */
async function open(report: Report, name: string, width: number): Promise<Opened> {
  const folder = openRunFolder(join(dir, `${name}-${width}`));
  const { html } = writeReports(folder, report);
  const context = await browser.newContext({ viewport: { width, height: 900 }, deviceScaleFactor: 1 });
  await withProbes(context);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('request', (r) => {
    if (!r.url().startsWith('file:') && !r.url().startsWith('data:'))
      problems.push(`network request: ${r.url()}`);
  });
  await page.goto(pathToFileURL(html).href);
  await page.waitForFunction('Array.isArray(window.shipgateCharts)');
  return { page, problems, close: () => context.close() };
}

describe('report.html in headless Chromium', () => {
  for (const [label, width] of [
    ['desktop', 1280],
    ['phone', 390],
  ] as const) {
    it(`a failed canary report shows the verdict, the reason, a chart per metric with data and the rollback marked (${label}, ${width}px)`, async () => {
      const report = failedCanaryReport();
      const { page, problems, close } = await open(report, 'failed-canary', width);
      try {
        const verdict = page.locator('#verdict');
        await expect(verdict.isVisible()).resolves.toBe(true);
        expect(await verdict.locator('.verdict-word').innerText()).toBe('FAIL');
        expect(await page.locator('#reason').innerText()).toBe(report.decision.reason);
        expect(await page.locator('#reason').isVisible()).toBe(true);
        // The verdict is the first thing on screen, not below the fold.
        const box = await page.locator('#reason').boundingBox();
        expect(box && box.y + box.height).toBeLessThan(900);

        const series = report.layers.canary?.series ?? [];
        const charts = (await probe<ChartInfo[] | null>(page, 'charts')) ?? [];
        expect(charts.map((c) => c.metric)).toEqual(series.map((s) => s.metric));
        for (const chart of charts) {
          const s = series.find((x) => x.metric === chart.metric)!;
          expect(chart.baselinePoints).toBe(s.baseline.filter((v) => v !== null).length);
          expect(chart.canaryPoints).toBe(s.canary.filter((v) => v !== null).length);
        }

        const ink = await probe<Ink[]>(page, 'ink');
        expect(ink).toHaveLength(series.length);
        for (const c of ink) {
          const s = series.find((x) => x.metric === c.metric)!;
          expect(c.baseline, `${c.metric} baseline line`).toBeGreaterThan(100);
          if (s.canary.some((v) => v !== null))
            expect(c.canary, `${c.metric} canary line`).toBeGreaterThan(100);
        }

        // One rollback marker per chart, labelled, inside the plot, at the decision time.
        const markers = page.locator('.chart .sg-marker.rollback');
        expect(await markers.count()).toBe(series.length);
        for (let i = 0; i < series.length; i++) {
          const marker = markers.nth(i);
          expect(await marker.innerText()).toBe('rolled back');
          const m = await marker.boundingBox();
          const canvas = await page.locator('.chart canvas').nth(i).boundingBox();
          expect(m && canvas).toBeTruthy();
          expect(m!.x).toBeGreaterThan(canvas!.x + canvas!.width / 2);
          expect(m!.x).toBeLessThanOrEqual(canvas!.x + canvas!.width);
        }

        // Steps, blast radius, readable without scrolling sideways.
        expect(await page.locator('#canary-timeline .step').allInnerTexts()).toEqual(['1%', '5%', '25%']);
        expect(await page.locator('#blast-radius-table tbody tr').count()).toBe(
          report.layers.canary?.blastRadius?.rows.length,
        );
        expect(await probe<number>(page, 'scrollWidth')).toBeLessThanOrEqual(width);

        await page.screenshot({ path: join(ARTIFACTS, `report-failed-canary-${label}.png`), fullPage: true });
        expect(problems).toEqual([]);
      } finally {
        await close();
      }
    });
  }

  it('shows contract failures with expected vs actual and grouped replay diffs, with hostile text escaped', async () => {
    const report = brokenIntegrationReport();
    const { page, problems, close } = await open(report, 'broken-integration', 1280);
    try {
      expect(await page.locator('#verdict .verdict-word').innerText()).toBe('FAIL');
      const card = page.locator('.contract-failure').first();
      expect(await card.locator('h3').innerText()).toBe('parcelly: create shipment');
      expect(await card.locator('.expected pre').innerText()).toBe(
        'a number of kilograms, at most 30 (e.g. 2.4)',
      );
      expect(await card.locator('.actual pre').innerText()).toBe(
        '2400 — grams, <img src=x onerror=alert(1)>',
      );
      expect(await page.locator('img').count()).toBe(0);
      expect(await page.locator('#diff-groups tbody tr').first().innerText()).toMatch(
        /carrier changed parcelly→steppe in 12% of orders, all in region NW\s+carrier\s+parcelly → steppe\s+77\s+12%\s+region: NW/,
      );
      expect(await page.locator('#replay-accounting .tile.bad').allInnerTexts()).toEqual(['2\nlost']);
      await page.screenshot({
        path: join(ARTIFACTS, 'report-broken-integration-desktop.png'),
        fullPage: true,
      });
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });

  it('marks the promotion on a passing report', async () => {
    const { page, problems, close } = await open(passingGateReport(), 'passing', 390);
    try {
      expect(await page.locator('#verdict .verdict-word').innerText()).toBe('PASS');
      expect(await page.locator('.chart .sg-marker.promote').count()).toBeGreaterThan(0);
      expect(await page.locator('.sg-marker.rollback').count()).toBe(0);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });
  it('survives a canary with no data: empty and all-null series, a hold, no steps (inconclusive)', async () => {
    const report = failedCanaryReport();
    const canary = report.layers.canary!;
    canary.status = 'inconclusive';
    canary.steps = [];
    delete canary.blastRadius;
    canary.decision = {
      action: 'hold',
      at: '2026-11-27T09:05:00.000Z',
      reason: 'Prometheus stopped answering; holding.',
    };
    canary.series = [
      { ...canary.series[0]!, t: [], canary: [], baseline: [] },
      {
        ...canary.series[1]!,
        canary: canary.series[1]!.canary.map(() => null),
        baseline: canary.series[1]!.baseline.map(() => null),
      },
      { ...canary.series[2]!, t: [Date.parse('2026-11-27T09:01:00Z')], canary: [0.1], baseline: [0.02] },
    ];
    canary.checks = canary.checks.map((c) => ({ ...c, status: 'inconclusive' as const }));
    report.decision = {
      verdict: 'inconclusive',
      reason: 'No metric data for 3 minutes; the rollout is held.',
      exitCode: 3,
    };
    const { page, problems, close } = await open(report, 'no-data', 390);
    try {
      expect(await page.locator('#verdict .verdict-word').innerText()).toBe('INCONCLUSIVE');
      expect(await page.locator('#canary-decision').innerText()).toMatch(/^Held/);
      expect(await page.locator('.chart-empty').count()).toBe(2);
      expect(await probe<ChartInfo[]>(page, 'charts')).toHaveLength(1);
      expect(await page.locator('.sg-marker').count()).toBe(0);
      expect(problems).toEqual([]);
    } finally {
      await close();
    }
  });
});

describe('renderHtml (string level)', () => {
  it('is self-contained: no external URLs in src or href, a CSP that forbids network', () => {
    const html = renderHtml(failedCanaryReport());
    expect(html).toMatch(/Content-Security-Policy" content="default-src &#39;none&#39;/);
    expect(html).not.toMatch(/\s(src|href)="(https?:)?\/\//);
    expect(html.match(/<script/g)).toHaveLength(3);
  });

  it('says what the judge’s α bounds, not a chance that this rollback is false (issue 22)', () => {
    const html = renderHtml(failedCanaryReport());
    expect(html).toMatch(
      /Judge: mixture-sprt\. A release as good as the current one is rolled back by it at most 5% of the time, however often it looks\./,
    );
    expect(html).not.toMatch(/false-rollback rate at most|chance this is a false/);
  });

  it('cannot be broken out of the JSON island', () => {
    const report = failedCanaryReport();
    report.layers.canary!.series[0]!.title = '</script><script>alert(1)</script>';
    report.layers.canary!.series[0]!.metric = '</script><!--';
    const html = renderHtml(report);
    expect(html.match(/<script/g)).toHaveLength(3);
    expect(html.match(/<\/script>/g)).toHaveLength(3);
  });

  it('escapes the five HTML special characters', () => {
    expect(h(`<a href="x" onclick='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });
});
