import type { Check, LayerName, Report } from '../../core/report/model.ts';
import { presentLayers } from '../../core/report/verdict.ts';
import {
  evidenceSummary,
  formatDuration,
  formatThreshold,
  formatTime,
  formatValue,
  LAYER_TITLE,
  problems,
  STATUS_WORD,
} from './format.ts';

/** Blast-radius rows shown in Markdown; the HTML report and the CSV have them all. */
const MAX_BLAST_ROWS = 10;
const MAX_DIFF_GROUPS = 10;

/**
 * report.md: short, for a PR comment or $GITHUB_STEP_SUMMARY. The verdict first, a
 * table per layer, then what failed and why in plain words. Every piece of text from
 * the report is escaped: GitHub renders inline HTML and Markdown in comments.
 */
export function renderMarkdown(report: Report): string {
  const out: string[] = [];
  const { verdict, reason } = report.decision;
  out.push(`## shipgate: ${STATUS_WORD[verdict]} — ${md(report.release.name)}`, '');
  out.push(`**Verdict: ${STATUS_WORD[verdict]}.** ${md(reason)}`, '');
  const meta = [
    `candidate ${md(report.release.candidateVersion)}`,
    report.release.baselineVersion ? `baseline ${md(report.release.baselineVersion)}` : '',
    report.release.commit ? `commit ${md(report.release.commit)}` : '',
    `shipgate ${md(report.tool.version)}`,
    `run ${md(report.runId)}`,
    formatTime(report.timings.startedAt),
    report.timings.durationMs !== undefined ? `took ${formatDuration(report.timings.durationMs)}` : '',
  ].filter(Boolean);
  out.push(meta.join(' · '), '');

  const layers = presentLayers(report);
  if (layers.length === 0) out.push('_No layer ran._', '');
  for (const [name, section] of layers) {
    out.push(`### ${LAYER_TITLE[name]}: ${STATUS_WORD[section.status]}`, '');
    if (section.summary) out.push(md(section.summary), '');
    out.push(...layerExtras(report, name));
    if (section.checks.length) {
      out.push('| Check | Status | Evidence |', '|---|---|---|');
      for (const c of section.checks)
        out.push(`| ${cell(c.title)} | ${STATUS_WORD[c.status]} | ${cell(evidenceSummary(c.evidence))} |`);
      out.push('');
    }
  }

  const bad = problems(layers.flatMap(([, s]) => s.checks));
  if (bad.length) {
    out.push('### What failed and why', '');
    for (const c of bad)
      out.push(
        `- **${md(LAYER_TITLE[c.layer])}, ${md(c.title)}** (${STATUS_WORD[c.status]}): ${md(c.message)}`,
      );
    out.push('');
  }
  out.push(...blastRadius(report));
  out.push(
    '_The full report with charts is report.html in the run folder; report.json is the machine-readable record._',
    '',
  );
  return out.join('\n');
}

function layerExtras(report: Report, name: LayerName): string[] {
  const out: string[] = [];
  if (name === 'contracts') {
    const failures = report.layers.contracts?.failures ?? [];
    if (failures.length) {
      out.push('| Provider | Interaction | Field | Expected | Actual |', '|---|---|---|---|---|');
      for (const f of failures) {
        out.push(
          `| ${cell(f.provider)} | ${cell(f.interaction)} | ${cell(f.field)} | ${cell(f.expected)} | ${cell(f.actual)} |`,
        );
      }
      out.push('');
    }
  }
  if (name === 'replay' && report.layers.replay) {
    const { accounting: a, diffGroups, raw } = report.layers.replay;
    out.push(
      raw
        ? `Recorded requests (${raw.format.toUpperCase()}): ${a.read} read, ${a.sent} sent, ${a.failed} failed, ${a.quarantined} quarantined.`
        : `Orders: ${a.read} read, ${a.sent} sent, ${a.failed} failed, ${a.quarantined} quarantined, **${a.lost} lost**.`,
      '',
    );
    if (raw?.endpoints.length) {
      out.push('| Endpoint | Compared | Answered differently |', '|---|---|---|');
      for (const e of raw.endpoints.slice(0, MAX_DIFF_GROUPS))
        out.push(
          `| ${cell(e.endpoint)} | ${e.compared} | ${e.differing} (${formatValue(e.share, 'ratio')}) |`,
        );
      out.push('');
    }
    if (a.lostOrderIds.length) out.push(`Lost order ids: ${a.lostOrderIds.map(md).join(', ')}`, '');
    const shown = diffGroups.slice(0, MAX_DIFF_GROUPS);
    if (shown.length) {
      out.push(`| Difference | ${raw ? 'Requests' : 'Orders'} | Share | Noise |`, '|---|---|---|---|');
      for (const g of shown)
        out.push(
          `| ${cell(g.summary)} | ${g.count} | ${formatValue(g.share, 'ratio')} | ${g.noisy ? 'yes, ignored' : 'no'} |`,
        );
      if (diffGroups.length > shown.length)
        out.push(`| and ${diffGroups.length - shown.length} more groups | | | |`);
      out.push('');
    }
  }
  if (name === 'scenarios' && report.layers.scenarios) {
    for (const run of report.layers.scenarios.runs) {
      out.push(`**${md(run.name)}** on ${md(run.version)}: ${STATUS_WORD[run.status]}`, '');
      if (run.slos.length) {
        out.push('| SLO | Target | Observed | Status |', '|---|---|---|---|');
        for (const s of run.slos) {
          const observed = formatValue(s.observed, s.unit);
          const vs =
            s.baselineObserved !== undefined ? ` (baseline ${formatValue(s.baselineObserved, s.unit)})` : '';
          out.push(
            `| ${cell(s.title)} | ${cell(formatThreshold(s.target, s.unit))} | ${cell(observed + vs)} | ${STATUS_WORD[s.status]} |`,
          );
        }
        out.push('');
      }
    }
  }
  if (name === 'canary' && report.layers.canary) {
    const { steps, decision, source, checks } = report.layers.canary;
    if (steps.length) out.push(`Steps: ${steps.map((s) => `${s.weight}% (${s.outcome})`).join(' → ')}`, '');
    out.push(...canaryQueries(source, checks));
    if (decision) {
      const where = decision.weight !== undefined ? ` at ${decision.weight}% traffic` : '';
      out.push(
        `Decision: **${md(decision.action)}**${where}, ${formatTime(decision.at)}. ${md(decision.reason)}`,
        '',
      );
    }
  }
  return out;
}

/**
 * What each check was judged on, so a reviewer can re-run it: the source, then per check
 * the PromQL (or the scrape's selectors) it read. As code, not escaped prose: a query
 * must be copied exactly.
 */
function canaryQueries(source: string | undefined, checks: readonly Check[]): string[] {
  const listed = checks
    .map((c) => ({ title: c.title, queries: c.evidence.details?.['queries'] }))
    .filter(
      (c): c is { title: string; queries: string[] } => Array.isArray(c.queries) && c.queries.length > 0,
    );
  if (!source && listed.length === 0) return [];
  const out = [
    `Metrics from ${source ? md(source) : 'the configured source'}${listed.length ? ':' : '.'}`,
    '',
  ];
  for (const c of listed) out.push(`- ${md(c.title)}: ${c.queries.map(code).join(' · ')}`);
  if (listed.length) out.push('');
  return out;
}

/** An inline code span holding `text` verbatim (a longer fence when the text has backticks). */
export function code(text: string): string {
  const flat = text.replace(/\r?\n|\r/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = longest > 0 || flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

function blastRadius(report: Report): string[] {
  const blast = report.layers.canary?.blastRadius;
  if (!blast) return [];
  const out = [
    '### Customers affected',
    '',
    `${blast.affected} of ${blast.ordersServedByCanary} orders served by the canary are late or predicted late. Policy: ${md(blast.policy)}`,
    '',
  ];
  const rows = [...blast.rows].sort((a, b) => b.delayHours - a.delayHours).slice(0, MAX_BLAST_ROWS);
  if (rows.length) {
    out.push('| Order | Region | Carrier | Delay | Recommended compensation |', '|---|---|---|---|---|');
    for (const r of rows) {
      out.push(
        `| ${cell(r.orderId)} | ${cell(r.region)} | ${cell(r.carrier)} | ${delay(r.delayHours)} (${r.basis}) | ${cell(r.compensation.reason)} |`,
      );
    }
    if (blast.rows.length > rows.length || blast.affected > rows.length) {
      const file = blast.csvFile ? ` and ${md(blast.csvFile)}` : '';
      out.push('', `Showing the ${rows.length} longest delays; all rows are in report.html${file}.`);
    }
    out.push('');
  }
  return out;
}

export function delay(hours: number): string {
  return hours >= 48 ? `${formatValue(hours / 24)} days` : `${formatValue(hours)} h`;
}

/**
 * Escapes text for Markdown and GitHub's inline HTML, escaping only what Markdown
 * would read as markup so report.md stays readable as plain text ("e-value 0.667 < 20",
 * not "&lt;"): a backslash before Markdown punctuation, before a `<` that could open
 * a tag, comment or autolink, before an `&` that could start an entity, and before a
 * leading `>` (a quote); line breaks folded to spaces.
 */
export function md(text: string): string {
  return text
    .replace(/([\\`*_[\]|~])/g, '\\$1')
    .replace(/<(?=[A-Za-z/!?])/g, '\\<')
    .replace(/&(?=#?[A-Za-z0-9]+;)/g, '\\&')
    .replace(/^(\s*)>/, '$1\\>')
    .replace(/\r?\n|\r/g, ' ');
}

function cell(text: string): string {
  return md(text) || ' ';
}
