import type { CellResult, PolicyCell } from './measure.ts';
import { DEFECTS, TRAFFIC } from './world.ts';

/** Markdown and HTML renderings of the decision-quality results. */

export interface BenchMeta {
  command: string;
  date: string;
  runs: number;
  seconds: number;
  planText: string;
}

const pct = (x: number) => `${(x * 100).toFixed(1).replace(/\.0$/, '')}%`;
const count = (x: number) => (Number.isFinite(x) ? String(Math.round(x)) : '∞');
const ratio = (a: number, b: number) =>
  Number.isFinite(a) && Number.isFinite(b) && b > 0
    ? `${(a / b).toFixed(2)}×`
    : Number.isFinite(a)
      ? '0 (peer misses)'
      : Number.isFinite(b)
        ? '∞ (shipgate misses)'
        : '—';

function cell(results: CellResult[], traffic: number, defect: string): CellResult | undefined {
  return results.find((r) => r.ordersPerDay === traffic && r.defect === defect);
}

function policyIds(results: CellResult[]): { id: string; label: string }[] {
  return (results[0]?.policies ?? []).map((p) => ({ id: p.policy, label: p.label }));
}

function find(c: CellResult | undefined, id: string): PolicyCell | undefined {
  return c?.policies.find((p) => p.policy === id);
}

export function markdownSection(results: CellResult[], meta: BenchMeta): string {
  const lines: string[] = [];
  const policies = policyIds(results);
  const defects = DEFECTS.filter((d) => d.id !== 'aa');
  lines.push('## Decision quality', '');
  lines.push(
    `Made by \`${meta.command}\` on ${meta.date} (${meta.runs} seeded rollouts per policy and cell, ${meta.seconds.toFixed(0)} s).`,
    `Every policy judges the same simulated order streams (bench/decisions/). Rollout plan: ${meta.planText}.`,
    'Cells: A/A = share of identical-build rollouts rolled back (false rollbacks). Defects = detection rate · median canary',
    'orders exposed before the rollback · (median canary orders delivered late before it). A bad canary that is not rolled',
    'back is promoted to everyone, so it counts as ∞ in the medians.',
    '',
  );
  for (const traffic of TRAFFIC) {
    lines.push(`### ${traffic.toLocaleString('en-US')} orders/day`, '');
    lines.push(`| policy | A/A false rollbacks | ${defects.map((d) => d.label).join(' | ')} |`);
    lines.push(`|---|---|${defects.map(() => '---').join('|')}|`);
    for (const p of policies) {
      const aa = find(cell(results, traffic, 'aa'), p.id);
      const cols = defects.map((d) => {
        const x = find(cell(results, traffic, d.id), p.id);
        return x ? `${pct(x.rollbackRate)} · ${count(x.medianExposed)} (${count(x.medianLate)})` : 'n/a';
      });
      lines.push(`| ${p.label} | ${aa ? pct(aa.rollbackRate) : 'n/a'} | ${cols.join(' | ')} |`);
    }
    lines.push('');
  }
  lines.push('### Against the goals of issue 9', '');
  lines.push(...goals(results), '');
  lines.push(...NOTES);
  return lines.join('\n');
}

const NOTES = [
  '### How to read it',
  '',
  '- **shipgate**: the default sequential judge (`canary/judges`, α = 1%), after every 1-minute interval, on errors,',
  '  ETA past promise (the leading indicator of late delivery) and the latency histogram. Events: exact conditional',
  '  odds-ratio e-process, prior ψ ∈ {2.5, 5, 10}. Latency: the whole-histogram shift e-process (normal scores,',
  '  shifts δ ∈ {½, 1, 2} sd). Low-traffic minutes are pooled until a block has orders of both versions and at least',
  '  30 orders, for at most 30 minutes. Its false-rollback bound holds by construction (Ville’s inequality); the A/A',
  '  column measures it. `simulate.test.ts` checks that the pure `sequentialJudge` fails in exactly the same minute',
  '  as the benchmark’s incremental policy.',
  '- **Flagger-style / Argo-style** judge the canary alone against absolute SLOs in 1- and 5-minute windows, as',
  '  documented. At a 1% canary weight most windows hold zero or one canary order: an empty window is a failed',
  '  check (Flagger) or a NaN measurement (Argo), and one late-flagged order in a one-order window is a 100% rate,',
  '  so both roll back nearly every rollout, good or bad, at every traffic level here. Their zero exposure is',
  '  that artefact, not detection. (Flagger’s docs recommend generating synthetic load for this reason.)',
  '- **Kayenta-style** compares per-minute values (Mann-Whitney, 98%) once an hour over the last hour; re-judging',
  '  24 times a rollout is what produces its 10–20% false rollbacks. At 99.9% confidence it is the one peer with',
  '  ≤ 1% false rollbacks, hence the “eligible peer” in most cells.',
  '- **naive z-test**: the fixed-sample test re-run every minute (5% per look). Even Bonferroni over all 4,320 looks',
  '  keeps 7–14% false rollbacks: with a handful of canary orders the normal approximation is wrong in the tail.',
  '- **oracle**: Wald’s SPRT knowing both true distributions of the defect’s metric (α = β = 1%): the floor.',
  '- A bad canary’s exposure stops at the rollback; late deliveries before it are almost always 0 because',
  '  promises are 4–72 h out: acting on leading indicators is what keeps customers from seeing the delay.',
  '',
  '### What limits shipgate’s figures',
  '',
  '- Against the oracle the gap is structural, and has three parts. (1) shipgate cannot know which metric will',
  '  break or by how much: averaging 3 metrics, each mixed over 3 effect sizes, raises the bar from the oracle’s',
  '  log 99 to about log 900 nats of evidence, ≈ 1.5× the orders. That is the whole gap at 60,000/day, where',
  '  defects are caught at a 1–5% canary share (1.3–1.55×). (2) It learns the baseline from the baseline’s own',
  '  orders in the same block instead of assuming its rate (rates drift over the day; the design forbids that',
  '  assumption). The conditional test’s information per canary order is (1 − π) of the oracle’s at share π, so a',
  '  defect caught at the 25% step pays another 1.33×: the error defect at 6,000/day (≈ 2.1×). (3) At 600/day a',
  '  block is at most 30 minutes (≈ 12 orders), so “both versions face the same conditions” holds; one canary order',
  '  among 12 can give at most ~12× evidence where the oracle’s likelihood ratio for one ×3-slow order is ~16, and',
  '  canary orders are caught at 25–50% shares. Longer blocks (60–120 minutes, 50–100 orders) were tried: waiting',
  '  for a block to close cost as much as the larger blocks gained.',
  '- At 600 orders/day a 24-hour plan gives the canary about 130 orders in all (≈4 errors under the 3% defect);',
  '  no policy with ≤ 1% false rollbacks detects a 0.5%→3% error rate or a 97%→90% on-time rate in that; the large defects',
  '  are caught in four rollouts of five or more. A canary at that volume needs a longer plan.',
  '- At 6,000 orders/day the error defect (≈40 canary errors in the whole plan) is the hardest cell: detection',
  '  is just over the 99% line (± 0.3% Monte Carlo error).',
  '- The A/A rate at 60,000/day (about 1%) is the Monte Carlo estimate of a rate whose bound, α = 1%, is a theorem',
  '  (the e-processes have expectation 1 under the null in this simulator exactly, not approximately;',
  '  `latency-shift.test.ts` checks it by enumeration).',
  '- Pooling one-version minutes (a canary order in a minute with no baseline order carries no information on',
  '  its own) is what makes the judge work at 600/day: without it, detection of the large defects there was 3–6%.',
  '- Latency was judged on “slower than the baseline’s p75 / p95” counts until the shift e-process replaced them:',
  '  median orders exposed fell by about 40% (p95 ×1.5: 39 → 24 at 6,000/day, 58 → 33 at 600/day).',
  '',
];

const FRR_GOAL = 0.01;

function goals(results: CellResult[]): string[] {
  const out: string[] = [];
  const peers = policyIds(results)
    .map((p) => p.id)
    .filter((id) => id !== 'shipgate' && id !== 'oracle');
  const frr = TRAFFIC.map((t) => find(cell(results, t, 'aa'), 'shipgate')?.rollbackRate ?? Number.NaN);
  out.push(
    `- **A/A false rollbacks ≤ 1%** (continuous monitoring, every minute): shipgate ${TRAFFIC.map((t, i) => `${pct(frr[i]!)} at ${t.toLocaleString('en-US')}/day`).join(', ')} — ${frr.every((f) => f <= 0.01) ? 'met' : 'NOT met'}.`,
  );
  const rows: string[] = [];
  let metPeer = true;
  let comparable = 0;
  let comparableOracle = 0;
  const missedPeer: string[] = [];
  const missedOracle: string[] = [];
  for (const t of TRAFFIC) {
    const aa = cell(results, t, 'aa');
    // "Equal or lower false-rollback rate": peers at or under the goal's 1% (which shipgate meets) or under
    // shipgate's own measured rate, whichever is higher; with 1,000 rollouts the rates' standard error is ~0.3%,
    // so 0.4% and 0.6% are equal for this purpose.
    const sgFrr = Math.max(FRR_GOAL, find(aa, 'shipgate')?.rollbackRate ?? 1);
    for (const d of DEFECTS.filter((x) => x.id !== 'aa')) {
      const c = cell(results, t, d.id);
      const sg = find(c, 'shipgate');
      const oracle = find(c, 'oracle');
      if (!sg || !oracle) continue;
      const eligible = peers.filter((id) => (find(aa, id)?.rollbackRate ?? 1) <= sgFrr);
      const bestEligible = Math.min(
        ...eligible.map((id) => find(c, id)?.medianExposed ?? Number.POSITIVE_INFINITY),
      );
      const bestAny = Math.min(...peers.map((id) => find(c, id)?.medianExposed ?? Number.POSITIVE_INFINITY));
      const ratioOracle = sg.medianExposed / oracle.medianExposed;
      if (eligible.length > 0 && (Number.isFinite(bestEligible) || Number.isFinite(sg.medianExposed))) {
        comparable++;
        if (!(sg.medianExposed <= bestEligible / 3)) {
          metPeer = false;
          missedPeer.push(`${d.label} at ${t.toLocaleString('en-US')}/day`);
        }
      }
      // Comparable with the oracle when the oracle itself detects the defect in most rollouts.
      if (Number.isFinite(oracle.medianExposed)) {
        comparableOracle++;
        if (!(ratioOracle <= 2))
          missedOracle.push(
            `${d.label} at ${t.toLocaleString('en-US')}/day (${Number.isFinite(ratioOracle) ? `${ratioOracle.toFixed(2)}×` : 'shipgate misses'})`,
          );
      }
      rows.push(
        `| ${t.toLocaleString('en-US')} | ${d.label} | ${count(sg.medianExposed)} | ${eligible.length ? `${count(bestEligible)} (${eligible.join(', ')})` : 'none'} | ${ratio(sg.medianExposed, bestEligible)} | ${count(bestAny)} | ${count(oracle.medianExposed)} | ${ratio(sg.medianExposed, oracle.medianExposed)} |`,
      );
    }
  }
  out.push(
    `- **Median exposed ≤ ⅓ of the best peer at equal or lower false-rollback rate** (peers with ≤ 1% A/A false rollbacks): ${comparable === 0 ? 'no peer is eligible in any cell' : metPeer ? `met in all ${comparable} comparable cells` : `met in ${comparable - missedPeer.length} of ${comparable} comparable cells; not in ${missedPeer.join('; ')}`} (cells where both medians are ∞ are not comparable).`,
    `- **Median exposed ≤ 2× the oracle**: ${missedOracle.length === 0 ? `met in all ${comparableOracle} cells where the oracle detects` : `NOT met in ${missedOracle.length} of ${comparableOracle} cells where the oracle detects: ${missedOracle.join('; ')}`} (see “What limits shipgate’s figures”).`,
  );
  const det = DEFECTS.filter((d) => d.id !== 'aa').map((d) => ({
    label: d.label,
    rate: find(cell(results, 6000, d.id), 'shipgate')?.rollbackRate ?? Number.NaN,
  }));
  out.push(
    `- **Detection ≥ 99% within the rollout at 6,000/day**: ${det.map((d) => `${d.label} ${pct(d.rate)}`).join(', ')} — ${det.every((d) => d.rate >= 0.99) ? 'met' : 'NOT met for every defect'}.`,
    '',
    '| orders/day | defect | shipgate median exposed | best peer with ≤ 1% false rollbacks | shipgate ÷ that peer | best peer at any false-rollback rate | oracle | shipgate ÷ oracle |',
    '|---|---|---|---|---|---|---|---|',
    ...rows,
  );
  return out;
}

const COLORS: Record<string, string> = {
  shipgate: '#1f6feb',
  flagger: '#d29922',
  argo: '#8250df',
  kayenta: '#bf3989',
  naive: '#6e7781',
  'naive-bonferroni': '#afb8c1',
  'kayenta-999': '#ff8182',
  oracle: '#1a7f37',
};

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A grouped bar chart (log scale) of median exposed orders per defect, one per traffic level. */
function exposureSvg(results: CellResult[], traffic: number): string {
  const defects = DEFECTS.filter((d) => d.id !== 'aa');
  const policies = policyIds(results);
  const W = 900;
  const H = 300;
  const left = 78;
  const bottom = 60;
  const top = 20;
  const maxLog = 5; // 10^5 orders
  const y = (v: number) =>
    top + (H - top - bottom) * (1 - Math.min(maxLog, Math.log10(Math.max(1, v))) / maxLog);
  const groupW = (W - left - 10) / defects.length;
  const barW = (groupW - 16) / policies.length;
  const parts: string[] = [];
  for (let e = 0; e <= maxLog; e++) {
    parts.push(
      `<line x1="${left}" x2="${W - 10}" y1="${y(10 ** e)}" y2="${y(10 ** e)}" stroke="#d0d7de"/><text x="${left - 6}" y="${y(10 ** e) + 4}" text-anchor="end" font-size="11">${(10 ** e).toLocaleString('en-US')}</text>`,
    );
  }
  defects.forEach((d, di) => {
    const c = cell(results, traffic, d.id);
    const gx = left + di * groupW + 8;
    policies.forEach((p, pi) => {
      const x = find(c, p.id);
      if (!x) return;
      const v = x.medianExposed;
      const finite = Number.isFinite(v);
      const yy = finite ? y(v) : top;
      parts.push(
        `<rect x="${gx + pi * barW}" y="${yy}" width="${barW - 2}" height="${H - bottom - yy}" fill="${COLORS[p.id] ?? '#999'}" opacity="${finite ? 1 : 0.25}"><title>${esc(p.label)} — ${esc(d.label)}: median ${count(v)} orders exposed, detected ${pct(x.rollbackRate)}</title></rect>`,
      );
    });
    parts.push(
      `<text x="${gx + (groupW - 16) / 2}" y="${H - bottom + 16}" text-anchor="middle" font-size="12">${esc(d.label)}</text>`,
    );
  });
  parts.push(
    `<text x="12" y="${(H - bottom) / 2}" transform="rotate(-90 12 ${(H - bottom) / 2})" text-anchor="middle" font-size="11">orders exposed (log)</text>`,
  );
  policies.forEach((p, i) => {
    parts.push(
      `<rect x="${left + i * 102}" y="${H - 22}" width="12" height="12" fill="${COLORS[p.id] ?? '#999'}"/><text x="${left + i * 102 + 15}" y="${H - 12}" font-size="10">${esc(p.id)}</text>`,
    );
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="median orders exposed at ${traffic} orders per day">${parts.join('')}</svg>`;
}

export function html(results: CellResult[], meta: BenchMeta, markdownTable: string): string {
  const policies = policyIds(results);
  const frrRows = policies
    .map(
      (p) =>
        `<tr><td><span class="dot" style="background:${COLORS[p.id] ?? '#999'}"></span>${esc(p.label)}</td>${TRAFFIC.map((t) => `<td>${pct(find(cell(results, t, 'aa'), p.id)?.rollbackRate ?? Number.NaN)}</td>`).join('')}</tr>`,
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>shipgate — decision quality</title>
<style>
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:2rem auto;max-width:960px;color:#1f2328}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem}table{border-collapse:collapse}td,th{border:1px solid #d0d7de;padding:4px 8px;text-align:right}
td:first-child,th:first-child{text-align:left}.dot{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px}
.meta{color:#59636e}pre{white-space:pre-wrap;font-size:12px;background:#f6f8fa;padding:1rem}
</style></head><body>
<h1>Decision quality: false rollbacks and orders exposed</h1>
<p class="meta">${esc(meta.command)} · ${esc(meta.date)} · ${meta.runs} seeded rollouts per policy and cell · plan: ${esc(meta.planText)}</p>
<h2>False rollbacks on A/A (identical builds)</h2>
<table><tr><th>policy</th>${TRAFFIC.map((t) => `<th>${t.toLocaleString('en-US')}/day</th>`).join('')}</tr>${frrRows}</table>
${TRAFFIC.map((t) => `<h2>Median canary orders exposed before rollback — ${t.toLocaleString('en-US')} orders/day</h2>${exposureSvg(results, t)}<p class="meta">Faded full-height bars: the policy detected the defect in fewer than half the rollouts (median ∞). No bar: rolled back before any canary order — which those policies also do on A/A.</p>`).join('\n')}
<h2>Full table</h2><pre>${esc(markdownTable)}</pre>
</body></html>
`;
}
