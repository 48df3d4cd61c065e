import type {
  CanaryLayer,
  Check,
  CheckStatus,
  ContractsLayer,
  LayerName,
  MetricSeries,
  ReplayLayer,
  Report,
  ScenariosLayer,
} from '../../core/report/model.ts';
import { presentLayers } from '../../core/report/verdict.ts';
import {
  evidenceSummary,
  formatDuration,
  formatThreshold,
  formatTime,
  formatValue,
  LAYER_QUESTION,
  LAYER_TITLE,
  problems,
  STATUS_WORD,
} from './format.ts';
import { htmlAssets } from './html/assets.ts';
import { delay } from './markdown.ts';

/**
 * report.html: one self-contained file for change-management reviewers. Everything is
 * inline (uPlot, CSS, data) and a Content-Security-Policy forbids any network access,
 * so it opens the same from a CI artifact, an email or a USB stick. All text from the
 * report is escaped: messages and ids come from outside (carriers, traffic files).
 */
export function renderHtml(report: Report): string {
  const assets = htmlAssets();
  const layers = presentLayers(report);
  const body = [
    verdictHeader(report),
    overview(report),
    whatWentWrong(report),
    ...layers.map(([name]) => layerSection(report, name)),
    footer(report),
  ].join('\n');
  const csp =
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${h(csp)}">
<meta name="generator" content="shipgate ${h(report.tool.version)}">
<title>${h(`${STATUS_WORD[report.decision.verdict]}: ${report.release.name} — shipgate report`)}</title>
<style>${assets.uplotCss}</style>
<style>${assets.css}</style>
</head>
<body>
<main>
${body}
</main>
<script type="application/json" id="shipgate-data">${jsonIsland(chartData(report))}</script>
<script>${assets.uplotJs}</script>
<script>${assets.chartsJs}</script>
</body>
</html>
`;
}

/** Rows of the blast-radius table in the HTML; beyond that a browser page gets heavy (the CSV has all). */
const MAX_BLAST_ROWS = 1000;

/** Escapes text for HTML element content and attribute values. */
export function h(value: string | number | undefined | null): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/** JSON inside <script>: `<` escaped so no string can close the element or open a comment. */
function jsonIsland(data: unknown): string {
  return JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** A cell that carries its column name, so narrow screens can show rows as labelled cards. */
const td = (label: string, html: string, cls?: string) =>
  `<td data-label="${h(label)}"${cls ? ` class="${cls}"` : ''}><div>${html}</div></td>`;

const pill = (status: CheckStatus) => `<span class="pill ${status}">${STATUS_WORD[status]}</span>`;

function headline(report: Report): string {
  const canaryAction = report.layers.canary?.decision?.action;
  switch (report.decision.verdict) {
    case 'pass':
      return canaryAction === 'promote' ? 'Safe to ship: the new version was promoted' : 'Safe to ship';
    case 'fail':
      return canaryAction === 'rollback'
        ? 'Release stopped: the new version was rolled back'
        : 'Release blocked';
    case 'inconclusive':
      return 'No decision: not enough evidence (this is not a pass)';
  }
}

function verdictHeader(report: Report): string {
  const { release, decision, timings, tool } = report;
  const meta: [string, string | undefined][] = [
    ['Release', release.name],
    ['New version', release.candidateVersion],
    ['Current version', release.baselineVersion],
    ['Commit', release.commit],
    ['Ran against', release.target],
    ['Started', formatTime(timings.startedAt)],
    ['Took', timings.durationMs !== undefined ? formatDuration(timings.durationMs) : undefined],
    ['Run', report.runId],
    ['Command', `shipgate ${report.command}`],
    ['Tool', `${tool.name} ${tool.version}`],
  ];
  return `<header class="verdict ${decision.verdict}" id="verdict" data-verdict="${decision.verdict}">
<p class="verdict-word">${STATUS_WORD[decision.verdict]}</p>
<h1>${h(headline(report))}</h1>
<p class="reason" id="reason">${h(decision.reason)}</p>
<dl class="meta">${meta
    .filter(([, v]) => v)
    .map(([k, v]) => `<div><dt>${h(k)}</dt><dd>${h(v)}</dd></div>`)
    .join('')}</dl>
</header>`;
}

function overview(report: Report): string {
  const rows = presentLayers(report)
    .map(
      ([name, s]) =>
        `<tr class="${s.status}">${td('Layer', `<a href="#layer-${name}">${h(LAYER_TITLE[name])}</a>`)}${td('Question', h(LAYER_QUESTION[name]))}${td('Result', pill(s.status))}${td('Finding', h(s.summary))}</tr>`,
    )
    .join('\n');
  return `<section id="overview"><h2>What was checked</h2>
<div class="scroll"><table class="stack"><thead><tr><th>Layer</th><th>Question</th><th>Result</th><th>Finding</th></tr></thead>
<tbody>${rows || '<tr><td colspan="4">No layer ran.</td></tr>'}</tbody></table></div></section>`;
}

function whatWentWrong(report: Report): string {
  const bad = problems(presentLayers(report).flatMap(([, s]) => s.checks));
  if (!bad.length) return '';
  return `<section id="problems"><h2>What went wrong</h2><ul class="problems">${bad
    .map(
      (c) =>
        `<li>${pill(c.status)} <strong>${h(LAYER_TITLE[c.layer])}: ${h(c.title)}.</strong> ${h(c.message)}</li>`,
    )
    .join('')}</ul></section>`;
}

function layerSection(report: Report, name: LayerName): string {
  const section = report.layers[name];
  if (!section) return '';
  let payload = '';
  if (name === 'contracts') payload = contracts(section as ContractsLayer);
  if (name === 'replay') payload = replay(section as ReplayLayer);
  if (name === 'scenarios') payload = scenarios(section as ScenariosLayer);
  if (name === 'canary') payload = canary(section as CanaryLayer);
  const timing =
    section.timings?.durationMs !== undefined
      ? ` <span class="muted">(${formatDuration(section.timings.durationMs)})</span>`
      : '';
  return `<section id="layer-${name}" class="layer" data-status="${section.status}">
<h2>${h(LAYER_TITLE[name])} ${pill(section.status)}${timing}</h2>
<p class="question">${h(LAYER_QUESTION[name])}</p>
<p>${h(section.summary)}</p>
${payload}
${checksTable(section.checks, section.status)}
</section>`;
}

/** A passing layer's checks are folded away (one click to open); a failing layer's stay open. */
function checksTable(checks: readonly Check[], status: CheckStatus): string {
  if (!checks.length) return '';
  const rows = checks
    .map(
      (c) =>
        `<tr class="${c.status}" data-check="${h(c.id)}">${td('Check', `${h(c.title)}<br><code class="muted">${h(c.id)}</code>`)}${td('Result', pill(c.status))}${td('Finding', h(c.message))}${td('Evidence', h(evidenceSummary(c.evidence)) + details(c))}</tr>`,
    )
    .join('\n');
  const table = `<div class="scroll"><table class="checks stack"><thead><tr><th>Check</th><th>Result</th><th>Finding</th><th>Evidence</th></tr></thead><tbody>${rows}</tbody></table></div>`;
  if (status === 'pass')
    return `<details class="all-checks"><summary>All ${checks.length} checks passed: show them with their evidence</summary>${table}</details>`;
  return `<h3>All checks</h3>${table}`;
}

function details(c: Check): string {
  if (!c.evidence.details || Object.keys(c.evidence.details).length === 0) return '';
  return `<details><summary>details</summary><pre>${h(JSON.stringify(c.evidence.details, null, 2))}</pre></details>`;
}

function contracts(layer: ContractsLayer): string {
  const pacts = layer.pacts?.length
    ? `<p class="muted">Contracts: ${layer.pacts.map((p) => `${h(p.consumer)} → ${h(p.provider)} (${p.interactions} interactions)`).join('; ')}.</p>`
    : '';
  if (!layer.failures.length) return pacts;
  const cards = layer.failures
    .map(
      (f) => `<article class="card contract-failure">
<h3>${h(f.provider)}: ${h(f.interaction)}</h3>
${f.providerState ? `<p class="muted">When: ${h(f.providerState)}</p>` : ''}
<p>Field <code>${h(f.field)}</code></p>
<div class="expected-actual"><div class="expected"><h4>Expected</h4><pre>${h(f.expected)}</pre></div><div class="actual"><h4>Actual</h4><pre>${h(f.actual)}</pre></div></div>
${f.message ? `<p>${h(f.message)}</p>` : ''}
</article>`,
    )
    .join('\n');
  return `${pacts}<h3>Broken contracts</h3><div class="cards">${cards}</div>`;
}

function replay(layer: ReplayLayer): string {
  const a = layer.accounting;
  const tile = (n: number, label: string, bad = false) =>
    `<div class="tile${bad ? ' bad' : ''}"><div class="n">${n.toLocaleString('en-US')}</div><div class="l">${h(label)}</div></div>`;
  const tiles = `<div class="tiles" id="replay-accounting">${tile(a.read, 'read')}${tile(a.sent, 'sent')}${tile(a.failed, 'failed', a.failed > 0)}${tile(a.quarantined, 'quarantined (bad input lines)')}${tile(a.lost, 'lost', a.lost > 0)}</div>`;
  const lost = a.lostOrderIds.length
    ? `<p><strong>Lost orders:</strong> ${a.lostOrderIds.map((id) => `<code>${h(id)}</code>`).join(', ')}${a.lost > a.lostOrderIds.length ? ` and ${a.lost - a.lostOrderIds.length} more` : ''}</p>`
    : '';
  const input = layer.input
    ? `<p class="muted">Input ${h(layer.input.file)}${layer.input.speed ? `, ${h(layer.input.speed)}× speed` : ''}${layer.input.multiply && layer.input.multiply !== 1 ? `, ×${h(layer.input.multiply)} volume` : ''}${layer.compared !== undefined ? `; ${layer.compared} orders compared with the current version` : ''}.</p>`
    : '';
  const groups = layer.diffGroups
    .map((g) => {
      const change =
        g.from !== undefined || g.to !== undefined ? `${h(g.from ?? '—')} → ${h(g.to ?? '—')}` : '';
      const attrs = Object.entries(g.attributes)
        .map(([k, v]) => `<span class="tag">${h(k)}: ${h(v)}</span>`)
        .join('');
      const width = Math.max(2, Math.round(g.share * 80));
      return `<tr class="${g.noisy ? 'noise' : 'diff'}">${td('Difference', h(g.summary))}${td('Field', `<code>${h(g.field)}</code>`)}${td('Change', change)}${td('Orders', String(g.count), 'num')}${td('Share', `<span class="sharebar" style="width:${width}px"></span>${formatValue(g.share, 'ratio')}`, 'num')}${td('All in', attrs || '<span class="muted">none in common</span>')}${td('Examples', g.sampleOrderIds.map((id) => `<code>${h(id)}</code>`).join(' '))}${td('Kind', g.noisy ? 'noise, ignored' : 'real')}</tr>`;
    })
    .join('\n');
  const unit = layer.raw ? 'Requests' : 'Orders';
  const diffTable = layer.diffGroups.length
    ? `<h3>Differences from the current version, grouped</h3><div class="scroll"><table id="diff-groups" class="stack"><thead><tr><th>Difference</th><th>Field</th><th>Change</th><th class="num">${unit}</th><th class="num">Share</th><th>All in</th><th>Examples</th><th>Kind</th></tr></thead><tbody>${groups}</tbody></table></div>`
    : '<p>No differences from the current version.</p>';
  return `${input}${tiles}${lost}${layer.raw ? rawEndpoints(layer.raw) : ''}${diffTable}`;
}

/** Raw replay: answers compared per endpoint (method and path template). */
function rawEndpoints(raw: NonNullable<ReplayLayer['raw']>): string {
  const rows = raw.endpoints
    .map(
      (e) =>
        `<tr class="${e.differing ? 'diff' : 'same'}">${td('Endpoint', `<code>${h(e.endpoint)}</code>`)}${td('Compared', String(e.compared), 'num')}${td('Answered differently', String(e.differing), 'num')}${td('Share', formatValue(e.share, 'ratio'), 'num')}</tr>`,
    )
    .join('');
  const noise = raw.noiseLearned
    ? 'Noise learned from a second baseline: fields the two baselines disagree on are ignored.'
    : 'No second baseline: every difference counts.';
  const dropped = raw.droppedCredentialHeaders.length
    ? ` Recorded credential headers dropped (no rule sets them): ${raw.droppedCredentialHeaders.map((n) => `<code>${h(n)}</code>`).join(', ')}.`
    : '';
  return `<p class="muted">Raw HTTP replay of a ${h(raw.format.toUpperCase())} recording: tiles count recorded requests. ${h(noise)}${dropped}</p>${rows ? `<div class="scroll"><table id="raw-endpoints"><thead><tr><th>Endpoint</th><th class="num">Compared</th><th class="num">Answered differently</th><th class="num">Share</th></tr></thead><tbody>${rows}</tbody></table></div>` : ''}`;
}

function scenarios(layer: ScenariosLayer): string {
  return layer.runs
    .map((run) => {
      const slos = run.slos
        .map(
          (s) =>
            `<tr class="${s.status}"><td>${h(s.title)}</td><td>${h(formatThreshold(s.target, s.unit))}</td><td class="num">${h(formatValue(s.observed, s.unit))}</td>${run.comparedWith ? `<td class="num">${h(formatValue(s.baselineObserved, s.unit))}</td>` : ''}<td>${pill(s.status)}</td></tr>`,
        )
        .join('');
      const extra = [
        run.orders
          ? `Orders: ${run.orders.sent} sent, ${run.orders.failed} failed, ${run.orders.lost} lost.`
          : '',
        run.faults?.length ? `Faults injected: ${run.faults.map(h).join('; ')}.` : '',
      ]
        .filter(Boolean)
        .map((t) => `<p>${t.startsWith('Faults') ? t : h(t)}</p>`)
        .join('');
      const observations = run.observations?.length
        ? `<ul>${run.observations.map((o) => `<li>${h(o)}</li>`).join('')}</ul>`
        : '';
      return `<article class="scenario" data-scenario="${h(run.name)}"><h3>${h(run.name)} on ${h(run.version)} ${pill(run.status)}</h3>
${run.description ? `<p class="muted">${h(run.description)}</p>` : ''}${extra}
<div class="scroll"><table><thead><tr><th>Promise (SLO)</th><th>Target</th><th class="num">Observed</th>${run.comparedWith ? `<th class="num">${h(run.comparedWith)}</th>` : ''}<th>Result</th></tr></thead><tbody>${slos}</tbody></table></div>${observations}</article>`;
    })
    .join('\n');
}

function canary(layer: CanaryLayer): string {
  const parts: string[] = [];
  const d = layer.decision;
  if (d) {
    const cls = d.action === 'rollback' ? 'fail' : d.action === 'promote' ? 'pass' : 'inconclusive';
    const words = { rollback: 'Rolled back', promote: 'Promoted', hold: 'Held', none: 'No action' }[d.action];
    parts.push(
      `<div class="callout ${cls}" id="canary-decision"><strong>${words}${d.weight !== undefined ? ` at ${h(d.weight)}% of traffic` : ''}</strong>, ${h(formatTime(d.at))}${layer.clock === 'virtual' ? ' (sandbox time)' : ''}. ${h(d.reason)}</div>`,
    );
  }
  const how = [
    layer.judge
      ? `Judge: ${h(layer.judge.name)}.${layer.judge.alpha !== undefined ? ` A release as good as the current one is rolled back by it at most ${h(Number((layer.judge.alpha * 100).toPrecision(3)))}% of the time, however often it looks.` : ''}`
      : '',
    layer.source ? `Metrics from ${h(layer.source)}.` : '',
  ].join(' ');
  if (how.trim()) parts.push(`<p class="muted">${how}</p>`);
  if (layer.steps.length) parts.push(timeline(layer));
  if (layer.series.length) {
    parts.push(`<h3>Metrics: new version vs current version</h3>
<div class="key"><span class="k-canary">new version (canary)</span><span class="k-baseline">current version (baseline)</span><span class="k-slo">promise (SLO)</span><span class="k-band">share of traffic on the new version</span>${d?.action === 'rollback' ? '<span class="k-rollback">rollback</span>' : ''}${d?.action === 'promote' ? '<span class="k-promote">promotion</span>' : ''}</div>
<div class="charts">${layer.series.map((s) => chartFigure(s, layer)).join('\n')}</div>`);
  }
  if (layer.blastRadius) parts.push(blastRadius(layer));
  return parts.join('\n');
}

function timeline(layer: CanaryLayer): string {
  const ms = (iso: string | undefined) => (iso ? Date.parse(iso) : Number.NaN);
  const durations = layer.steps.map((s) =>
    Math.max(1, (ms(s.endedAt) || Date.parse(layer.decision?.at ?? s.startedAt)) - ms(s.startedAt)),
  );
  const total = durations.reduce((a, b) => a + b, 0) || 1;
  const bar = layer.steps
    .map(
      (s, i) =>
        `<div class="step ${s.outcome}" style="flex:${((durations[i] ?? 1) / total).toFixed(4)} 1 0" title="${h(`${s.weight}%: ${formatTime(s.startedAt)} to ${formatTime(s.endedAt)}, ${s.outcome}`)}">${h(s.weight)}%</div>`,
    )
    .join('');
  const rows = layer.steps
    .map(
      (s) =>
        `<tr><td class="num">${s.index + 1}</td><td class="num">${h(s.weight)}%</td><td>${h(formatTime(s.startedAt))}</td><td>${h(formatTime(s.endedAt))}</td><td class="num">${s.canaryOrders ?? ''}</td><td class="num">${s.baselineOrders ?? ''}</td><td>${h(s.outcome)}</td></tr>`,
    )
    .join('');
  return `<h3>Rollout steps</h3><div class="timeline" id="canary-timeline">${bar}</div>
<div class="scroll"><table><thead><tr><th class="num">Step</th><th class="num">Traffic</th><th>From</th><th>To</th><th class="num">Orders (new)</th><th class="num">Orders (current)</th><th>Outcome</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

function lastValue(values: readonly (number | null)[]): number | null {
  for (let i = values.length - 1; i >= 0; i--) {
    const v = values[i];
    if (v !== null && v !== undefined) return v;
  }
  return null;
}

function chartFigure(s: MetricSeries, layer: CanaryLayer): string {
  const check = layer.checks.find((c) => c.evidence.metric === s.metric);
  const direction = s.direction === 'higher-is-worse' ? 'Higher is worse.' : 'Lower is worse.';
  const slo = s.slo ? ` Promise (SLO): ${formatThreshold(s.slo, s.unit)}.` : '';
  const now = `Last values: new ${formatValue(lastValue(s.canary), s.unit)}, current ${formatValue(lastValue(s.baseline), s.unit)}.`;
  return `<figure class="metric" data-metric="${h(s.metric)}">
<figcaption><strong>${h(s.title)}</strong> ${check ? pill(check.status) : ''}<br><span class="muted">${h(direction + slo)}${s.indicator ? ` ${s.indicator === 'leading' ? 'An early warning sign.' : 'What customers feel, days later.'}` : ''}</span><br><span class="now">${h(now)}</span></figcaption>
<div class="chart" id="chart-${h(s.metric)}" data-metric="${h(s.metric)}"><div class="chart-fallback">Chart of ${h(s.title)} (needs JavaScript). ${h(now)}</div></div>
${check ? `<p class="muted">${h(check.message)}</p>` : ''}
</figure>`;
}

function blastRadius(layer: CanaryLayer): string {
  const b = layer.blastRadius;
  if (!b) return '';
  const sorted = [...b.rows].sort((x, y) => y.delayHours - x.delayHours);
  const rows = sorted
    .slice(0, MAX_BLAST_ROWS)
    .map(
      (r) =>
        `<tr>${td('Order', `<code>${h(r.orderId)}</code>`)}${td('Region', h(r.region))}${td('Carrier', h(r.carrier))}${td('Service', h(r.serviceLevel ?? ''))}${td('Delay', h(delay(r.delayHours)), 'num')}${td('Basis', h(r.basis))}${td('Order class', h(r.tier ?? ''))}${td('Recommended compensation', `${h(r.compensation.reason)}${r.compensation.amount !== undefined ? ` <span class="num">(${h(r.compensation.amount.toFixed(2))} ${h(r.compensation.currency ?? '')})</span>` : ''}`)}</tr>`,
    )
    .join('\n');
  return `<h3 id="blast-radius">Customers affected</h3>
<p>${b.affected} of ${b.ordersServedByCanary} orders handled by the new version are late or predicted late. Customer service can contact these customers before they complain.</p>
<p class="muted">Compensation policy: ${h(b.policy)}${b.csvFile ? ` All rows: ${h(b.csvFile)} in the run folder.` : ''}</p>
${sorted.length > MAX_BLAST_ROWS ? `<p>Showing the ${MAX_BLAST_ROWS} longest delays of ${sorted.length}; the CSV has them all.</p>` : ''}
<div class="scroll"><table id="blast-radius-table" class="stack"><thead><tr><th>Order</th><th>Region</th><th>Carrier</th><th>Service</th><th class="num">Delay</th><th>Basis</th><th>Order class</th><th>Recommended compensation</th></tr></thead><tbody>${rows || '<tr><td colspan="8">No affected orders.</td></tr>'}</tbody></table></div>`;
}

function footer(report: Report): string {
  return `<footer>
<dl class="glossary">
<dt>PASS</dt><dd>The evidence shows the new version is as good as the current one on every check.</dd>
<dt>FAIL</dt><dd>At least one check found the new version worse, or broken; the release was blocked or rolled back.</dd>
<dt>INCONCLUSIVE</dt><dd>There was not enough data to decide. shipgate never treats missing evidence as a pass.</dd>
</dl>
${
  report.artifacts?.length
    ? `<p>Other files in this run folder:</p><ul class="artifacts">${report.artifacts.map((a) => `<li><code>${h(a.path)}</code>: ${h(a.description)}</li>`).join('')}</ul>`
    : ''
}
<p>Generated by shipgate ${h(report.tool.version)} · report schema ${h(report.schemaVersion)} · the machine-readable record is report.json in the same folder. Times are UTC.</p>
</footer>`;
}

/** The charts' data island: times as Unix ms, the decision with its label. */
function chartData(report: Report) {
  const c = report.layers.canary;
  if (!c) return { series: [], steps: [], decision: null };
  const d = c.decision;
  const decision =
    d && (d.action === 'rollback' || d.action === 'promote')
      ? {
          action: d.action,
          at: Date.parse(d.at),
          short: d.action === 'rollback' ? 'rolled back' : 'promoted',
          label: `${d.action === 'rollback' ? 'Rolled back' : 'Promoted'} at ${formatTime(d.at)}`,
        }
      : null;
  return {
    clock: c.clock ?? 'wall',
    steps: c.steps.map((s) => ({
      weight: s.weight,
      start: Date.parse(s.startedAt),
      end: s.endedAt ? Date.parse(s.endedAt) : null,
      outcome: s.outcome,
    })),
    decision,
    series: c.series.map((s) => ({
      metric: s.metric,
      unit: s.unit,
      slo: s.slo ?? null,
      t: s.t,
      canary: s.canary,
      baseline: s.baseline,
    })),
  };
}
