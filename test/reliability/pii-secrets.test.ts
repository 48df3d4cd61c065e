import { createWriteStream, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Order } from '../../contracts/domain/order.ts';
import { startTracing, type Tracing } from '../../core/telemetry/tracing.ts';
import { run } from '../../harness/cli/program.ts';
import { startWorld, type World } from '../../sandbox/launch/world.ts';
import { sampleOrders } from '../../scenarios/replay/testing.ts';
import { writeTraffic } from '../../scenarios/traffic/index.ts';
import { startFailingCanaryExporter } from '../support/canary-exporter.ts';
import { cleanups, findInFiles, findInText } from './helpers.ts';

/**
 * PII and secrets, across layers. Unique marker values are planted in every PII field
 * (name, phone, email, both address lines, city, notes) of orders in JSONL, CSV and HAR
 * files — plus malformed records carrying the same markers — and secrets are planted in
 * the environment (admin token, gate token, scrub key, broker token), the sandbox's
 * carrier API keys and HAR request headers. The orders then go through `shipgate
 * traffic scrub`, `shipgate replay` with a baseline (diff), and a `shipgate canary run`
 * whose rollback exports the blast radius of the very orders replayed — all in this
 * process, with tracing to an in-memory exporter and stdout/stderr captured. Then every
 * file written under the run folders, every captured output line and every span
 * (name, attributes, events) is searched: zero markers, zero secrets.
 */
const c = cleanups();
const MARK = {
  name: 'Qzvmarkname Xylotrope',
  phone: '+15550187654',
  email: 'qzvmarkmail@qzvmarkdomain.test',
  line1: '99 Qzvmarkline Road',
  line2: 'Apt Qzvmarkapt',
  city: 'Qzvmarkcity',
  notes: 'ring Qzvmarknote on +15550187655 or qzvmarknote@mail.test',
};
const MARKERS = [
  'Qzvmarkname',
  'Xylotrope',
  '5550187654',
  'qzvmarkmail',
  'qzvmarkdomain',
  'Qzvmarkline',
  'Qzvmarkapt',
  'Qzvmarkcity',
  'Qzvmarknote',
  '5550187655',
];
const SECRETS = {
  SHIPGATE_ADMIN_TOKEN: 'adm1nT0kenQzvSecretValue',
  SHIPGATE_GATE_TOKEN: 'gateT0kenQzvSecretValue',
  SHIPGATE_SCRUB_KEY: 'scrubKeyQzvSecretValue-000000000001',
  PACT_BROKER_TOKEN: 'brokerT0kenQzvSecretValue',
};
const CARRIER_KEYS = {
  labelfast: 'carrierKeyQzvLabelfast01',
  parcelly: 'carrierKeyQzvParcelly001',
  steppe: 'carrierKeyQzvSteppe00001',
};
const ALL_SECRETS = [...Object.values(SECRETS), ...Object.values(CARRIER_KEYS)];

let world: World;
let tracing: Tracing;
const exporter = new InMemorySpanExporter();
const output: string[] = [];
let dir: string;
const runDirs: string[] = [];
const stats: string[] = [];

function marked(prefix: string, n: number): Order[] {
  return sampleOrders(n, { everyMs: 20_000, prefix }).map((o) => ({
    ...o,
    customer: {
      ...o.customer,
      name: MARK.name,
      phone: MARK.phone,
      email: MARK.email,
      address: { ...o.customer.address, line1: MARK.line1, line2: MARK.line2, city: MARK.city },
    },
    notes: MARK.notes,
  }));
}

async function shipgate(args: string[]): Promise<number> {
  process.exitCode = undefined;
  await run(['node', 'shipgate', ...args]);
  const code = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  return code;
}

beforeAll(async () => {
  for (const [k, v] of Object.entries(SECRETS)) vi.stubEnv(k, v);
  const capture = (chunk: string | Uint8Array) => {
    output.push(String(chunk));
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const)
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      output.push(args.map(String).join(' '));
    });
  tracing = startTracing({
    serviceName: 'shipgate-reliability',
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  world = await startWorld({
    speed: 3600,
    latency: 'none',
    seed: 4,
    adminToken: SECRETS.SHIPGATE_ADMIN_TOKEN,
    carrierKeys: CARRIER_KEYS,
    tracer: tracing.tracer,
  });
  dir = c.tempDir('sg-rel-pii-');
});

afterAll(async () => {
  await world?.stop();
  await tracing?.shutdown();
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
  process.exitCode = undefined;
  await c.run();
});

describe('PII and secrets across traffic, replay, diff and canary', () => {
  it('plants markers in every PII field of JSONL, CSV and HAR, and secrets everywhere; finds none of them afterwards', async () => {
    // Traffic files, each with one malformed record that also carries markers.
    const jsonl = join(dir, 'day.jsonl');
    writeFileSync(
      jsonl,
      `${marked('pj', 12)
        .map((o) => JSON.stringify(o))
        .join('\n')}\n{"id":"pj-bad","customer":{"name":"${MARK.name}","phone":"${MARK.phone}"\n`,
    );
    const csv = join(dir, 'day.csv');
    const out = createWriteStream(csv);
    await writeTraffic(marked('pc', 12), out, 'csv');
    out.end(`pc-bad,${MARK.name},${MARK.phone},${MARK.email},"${MARK.line1}"\n`);
    await finished(out);
    const har = join(dir, 'day.har');
    const entries = marked('ph', 12).map((o) => ({
      startedDateTime: o.createdAt,
      request: {
        method: 'POST',
        url: 'https://shop.example/api/orders',
        headers: [
          { name: 'authorization', value: `Bearer ${SECRETS.PACT_BROKER_TOKEN}` },
          { name: 'cookie', value: `session=${SECRETS.SHIPGATE_GATE_TOKEN}` },
        ],
        postData: { mimeType: 'application/json', text: JSON.stringify(o) },
      },
      response: {
        status: 202,
        content: { mimeType: 'application/json', text: JSON.stringify({ echo: o.customer }) },
      },
    }));
    entries.push({
      ...entries[0]!,
      request: {
        ...entries[0]!.request,
        postData: {
          mimeType: 'application/json',
          text: `{"id":"ph-bad","customer":{"email":"${MARK.email}"`,
        },
      },
    });
    writeFileSync(
      har,
      JSON.stringify({ log: { version: '1.2', creator: { name: 't', version: '1' }, entries } }),
    );

    // 1. scrub each format (the scrubbed file itself must hold no raw PII either).
    for (const file of [jsonl, csv, har]) {
      const runDir = join(dir, `scrub-${file.split('.').pop()}`);
      runDirs.push(runDir);
      const scrubbed = join(runDir, `scrubbed.${file.endsWith('.csv') ? 'csv' : 'jsonl'}`);
      expect(
        await shipgate(['traffic', 'scrub', file, '--out', scrubbed, '--run-dir', runDir, '--json']),
      ).toBe(0);
    }

    // 2. replay the raw files (the worst case: someone skipped scrubbing) with a baseline → diff.
    for (const file of [jsonl, csv, har]) {
      const runDir = join(dir, `replay-${file.split('.').pop()}`);
      runDirs.push(runDir);
      const code = await shipgate([
        'replay',
        file,
        '--target',
        world.urls.canary,
        '--baseline',
        world.urls.stable,
        '--speed',
        'max',
        '--settle-timeout',
        '10000',
        '--no-progress',
        '--json',
        '--out',
        runDir,
      ]);
      expect(code, output.slice(-3).join('')).toBe(0);
      // Every valid record reached both platforms: the markers really went through.
      const result = JSON.parse(readFileSync(join(runDir, 'replay.json'), 'utf8'));
      const candidate = Array.isArray(result) ? result[0] : result;
      expect(candidate.lines).toMatchObject({ read: 13, sent: 12, quarantined: 1, failed: 0 });
      stats.push(`${file.split('.').pop()}: ${JSON.stringify(candidate.lines)}`);
    }

    // 3. a canary rollout that rolls back on evidence and exports the blast radius of the
    //    canary's orders — the marked ones just replayed.
    const metrics = await startFailingCanaryExporter(500);
    c.add(metrics.close);
    const scrape = metrics.url;
    const canaryDir = join(dir, 'canary');
    runDirs.push(canaryDir);
    const canaryCode = await shipgate([
      'canary',
      'run',
      '--router',
      world.urls.router,
      '--scrape',
      `${scrape}/metrics`,
      '--canary-url',
      world.urls.canary,
      '--steps',
      '10,100',
      '--interval',
      '100ms',
      '--min-step',
      '100ms',
      '--min-samples',
      '1',
      '--max-duration',
      '20s',
      '--run-dir',
      canaryDir,
      '--json',
    ]);
    expect(canaryCode).toBe(1);
    const blast = readFileSync(join(canaryDir, 'blast-radius.csv'), 'utf8');
    expect(blast.length).toBeGreaterThan(0);

    await tracing.flush();
    const spans = exporter.getFinishedSpans();
    expect(spans.length).toBeGreaterThan(0); // the sandbox traced the orders it processed
    const spanTexts = spans.map((s) =>
      JSON.stringify({
        name: s.name,
        attributes: s.attributes,
        events: s.events,
        status: s.status,
        links: s.links,
      }),
    );

    const needles = [...MARKERS, ...ALL_SECRETS];
    expect(findInFiles(runDirs, needles)).toEqual([]);
    expect(findInText(output, needles)).toEqual([]);
    expect(findInText(spanTexts, needles)).toEqual([]);
    // The test is not vacuous: the inputs do hold every marker and the HAR the secrets.
    const inputs = [jsonl, csv, har].map((f) => readFileSync(f, 'utf8')).join('\n');
    for (const m of MARKERS) expect(inputs.toLowerCase()).toContain(m.toLowerCase());
    const probe = c.tempDir('sg-rel-probe-');
    writeFileSync(join(probe, 'x.json'), JSON.stringify({ n: MARK.name }));
    expect(findInFiles([probe], MARKERS).map((h) => h.needle)).toEqual(['Qzvmarkname', 'Xylotrope']);
    expect(readFileSync(har, 'utf8')).toContain(SECRETS.PACT_BROKER_TOKEN);
    writeSync(
      2,
      `${stats.join('\n')}\npii: ${runDirs.length} run folders, ${output.length} output chunks, ${spans.length} spans searched for ${needles.length} needles\n`,
    );
  });
});
