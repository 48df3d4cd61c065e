import { describe, expect, it } from 'vitest';
import { brokenIntegrationReport, failedCanaryReport, passingGateReport } from './fixtures/reports.ts';
import { code, md, renderMarkdown } from './markdown.ts';

describe('renderMarkdown', () => {
  it('puts the verdict and reason first, then a table per layer, then what failed and why', () => {
    const text = renderMarkdown(failedCanaryReport());
    const lines = text.split('\n');
    expect(lines[0]).toBe('## shipgate: FAIL — logistics-platform 2.4.0');
    expect(lines[2]).toMatch(/^\*\*Verdict: FAIL\.\*\* The canary was rolled back at 25% traffic/);
    const order = [
      '### Contracts: PASS',
      '### Replay and diff: PASS',
      '### Load and fault scenarios: PASS',
      '### Canary rollout: FAIL',
      '### What failed and why',
      '### Customers affected',
    ];
    const positions = order.map((heading) => text.indexOf(heading));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(text).toContain(
      '| Orders slower than the processing SLO | FAIL | canary 24% (n=158) vs baseline 2% (n=1204); test mixture-sprt: e-value 413, limit ≥ 20, alpha 0.05 |',
    );
    expect(text).toMatch(
      /- \*\*Canary rollout, Orders slower than the processing SLO\*\* \(FAIL\): 24% of canary orders/,
    );
    expect(text).toContain('Steps: 1% (continued) → 5% (continued) → 25% (rolled-back)');
    expect(text).not.toMatch(/[\u{1F300}-\u{1FAFF}\u2705\u274C]/u);
  });

  it('shows contract failures with expected vs actual, replay accounting and grouped diffs, escaping their text', () => {
    const text = renderMarkdown(brokenIntegrationReport());
    expect(text).toContain(
      '| parcelly | create shipment | request.body.parcel.weight | a number of kilograms, at most 30 (e.g. 2.4) | 2400 — grams, \\<img src=x onerror=alert(1)> |',
    );
    expect(text).toContain('Orders: 642 read, 640 sent, 0 failed, 2 quarantined, **2 lost**.');
    expect(text).toContain(
      '| carrier changed parcelly→steppe in 12% of orders, all in region NW | 77 | 12% | no |',
    );
    expect(text).not.toMatch(/(^|[^\\])<img/); // every tag opener escaped
  });

  it('says pass plainly and lists nothing under what failed', () => {
    const text = renderMarkdown(passingGateReport());
    expect(text.startsWith('## shipgate: PASS')).toBe(true);
    expect(text).not.toContain('What failed');
    expect(text).not.toContain('Customers affected');
  });

  it('escapes Markdown and HTML in any text, folding line breaks', () => {
    expect(md('a|b *c* _d_ [x](http://e) <script>&amp;\nline')).toBe(
      'a\\|b \\*c\\* \\_d\\_ \\[x\\](http://e) \\<script>\\&amp; line',
    );
    expect(md('<!-- x --> </b> <https://e> <?php')).toBe('\\<!-- x --> \\</b> \\<https://e> \\<?php');
    expect(md('> quoted')).toBe('\\> quoted');
  });

  it('leaves comparisons and ampersands that Markdown does not read as markup as they are', () => {
    // Before: "e-value 0.667 &lt; 20", an entity where a reader of report.md expects "<".
    expect(md('No evidence of harm so far (e-value 0.667 < 20)')).toBe(
      'No evidence of harm so far (e-value 0.667 < 20)',
    );
    expect(md('p <= 0.05 & latency > 1 s, 3<5')).toBe('p <= 0.05 & latency > 1 s, 3<5');
  });

  it('names the canary source and each check’s queries as code, copied exactly', () => {
    const report = failedCanaryReport();
    const canary = report.layers.canary!;
    canary.source = 'prometheus http://127.0.0.1:9090';
    const query = 'sum by (release_track) (x_total{result="failed|5xx", release_track=~"next|current"})';
    canary.checks[0]!.evidence.details = { ...canary.checks[0]!.evidence.details, queries: [query] };
    const text = renderMarkdown(report);
    expect(text).toContain('Metrics from prometheus http://127.0.0.1:9090:');
    expect(text).toContain(`- ${md(canary.checks[0]!.title)}: \`${query}\``);
  });

  it('a code span holds any text verbatim: backticks get a longer fence, line breaks fold', () => {
    expect(code('a|b *c*')).toBe('`a|b *c*`');
    expect(code('x`y')).toBe('`` x`y ``');
    expect(code('a\nb')).toBe('`a b`');
  });
});
