import jsonata from 'jsonata';
import Mustache from 'mustache';
import { shipgateError } from '../../core/errors.ts';
import type { DeclarativePlatform, ReportPaths } from './config.ts';
import type {
  HttpMethod,
  OrderReading,
  OrderReport,
  OutcomeReader,
  PlatformAdapter,
  PlatformRequest,
  Scalar,
  SubmitReading,
} from './types.ts';

/**
 * A declarative adapter (`target.platform` in the config) compiled into a
 * PlatformAdapter: JSONata expressions for bodies and every field read from an answer,
 * mustache templates (values URL-encoded) for paths. Everything is compiled once, here,
 * so a syntax error is reported before the first order leaves, naming the key.
 */

type Compiled = (input: unknown, bindings?: Record<string, unknown>) => Promise<unknown>;
type Env = Readonly<Record<string, string | undefined>>;

const DEFAULT_RETRYABLE = [429, 503];
/** A refusal's reason is persisted (results.jsonl): kept short, never a whole body. */
const MAX_REASON = 120;

export function compileDeclarativePlatform(
  config: DeclarativePlatform,
  env: Env = process.env,
): PlatformAdapter {
  const source = config.name;
  const fail = (key: string, problem: string): never => {
    throw shipgateError('SG_PLATFORM_ADAPTER_INVALID', { source, key, problem });
  };
  const expr = (key: string, text: string): Compiled => {
    try {
      const compiled = jsonata(text);
      return (input, bindings) => compiled.evaluate(input, bindings) as Promise<unknown>;
    } catch (error) {
      const e = error as { message?: string; position?: number };
      return fail(
        key,
        `JSONata: ${e.message ?? String(error)}${e.position !== undefined ? ` at ${e.position}` : ''}`,
      );
    }
  };
  const template = (key: string, text: string) => {
    try {
      Mustache.parse(text);
    } catch (error) {
      fail(key, `template: ${(error as Error).message}`);
    }
    return (view: Record<string, unknown>) => Mustache.render(text, view, {}, { escape: encodeURIComponent });
  };
  const headers = (key: string, given: DeclarativePlatform['submit']['headers']): Record<string, string> => {
    const out: Record<string, string> = {};
    for (const [name, value] of Object.entries(given ?? {})) {
      if (typeof value === 'string') out[name] = value;
      else {
        const read = env[value.env];
        if (read === undefined || read === '')
          fail(`${key}.${name}`, `environment variable ${value.env} is not set`);
        out[name] = `${value.prefix ?? ''}${read}`;
      }
    }
    return out;
  };

  const key = config.key ? expr('key', config.key) : undefined;

  const submit = config.submit;
  const submitPath = template('submit.path', submit.path);
  const submitHeaders = headers('submit.headers', submit.headers);
  const submitBody = submit.body ? expr('submit.body', submit.body) : undefined;
  const accepted = submit.accepted ? new Set(submit.accepted) : undefined;
  const retryable = new Set(submit.retryable ?? DEFAULT_RETRYABLE);
  const platformId = submit.platformId ? expr('submit.platformId', submit.platformId) : undefined;
  const duplicate = submit.duplicate ? expr('submit.duplicate', submit.duplicate) : undefined;
  const reason = submit.reason ? expr('submit.reason', submit.reason) : undefined;
  const answerReport =
    'answer' in config.outcome ? compileReport('outcome.answer', config.outcome.answer, expr) : undefined;

  const adapter: PlatformAdapter = {
    name: config.name,
    ...(submit.accepted ? { acceptedStatuses: [...submit.accepted] } : {}),
    idempotency:
      config.idempotency.in === 'header'
        ? { kind: 'header', header: config.idempotency.header }
        : { kind: config.idempotency.in },
    ...(key
      ? {
          key: async (order, target) => {
            const value = text(await key(order, { target }));
            if (value === undefined || value === '') throw new Error('the key expression gave nothing');
            return value;
          },
        }
      : {}),
    submit: async (order, context) => {
      return {
        method: submit.method as HttpMethod,
        path: submitPath({ order, key: context.key, target: context.target, attempt: context.attempt }),
        headers: submitHeaders,
        ...(submitBody
          ? {
              body: await submitBody(order, {
                key: context.key,
                target: context.target,
                attempt: context.attempt,
              }),
            }
          : {}),
      };
    },
    readSubmit: async (answer, order, context): Promise<SubmitReading> => {
      const bindings = {
        status: answer.status,
        headers: answer.headers,
        order,
        key: context.key,
        target: context.target,
      };
      const ok = accepted ? accepted.has(answer.status) : answer.status >= 200 && answer.status < 300;
      if (ok) {
        const id = platformId ? text(await platformId(answer.body, bindings)) : undefined;
        const report = answerReport ? await answerReport(answer.body, bindings, order.id) : undefined;
        return {
          kind: 'accepted',
          ...(id !== undefined ? { platformId: id } : {}),
          duplicate: duplicate ? (await duplicate(answer.body, bindings)) === true : false,
          ...(report ? { report: id !== undefined ? { ...report, platformId: id } : report } : {}),
        };
      }
      const said = reason ? text(await reason(answer.body, bindings).catch(() => undefined)) : undefined;
      const why = `HTTP ${answer.status}${said ? ` ${said.slice(0, MAX_REASON)}` : ''}`;
      return retryable.has(answer.status)
        ? { kind: 'retryable', reason: why }
        : { kind: 'refused', reason: why };
    },
    outcome: compileOutcome(config, expr, template, headers),
    decisions: {
      groupBy: config.decisions.groupBy,
      ...(config.decisions.fields ? { fields: config.decisions.fields } : {}),
    },
  };
  if (!config.clock) return adapter;
  const clock = config.clock;
  const path = template('clock.path', clock.path);
  const now = expr('clock.now', clock.now);
  const speed = expr('clock.speed', clock.speed);
  const clockHeaders = headers('clock.headers', clock.headers);
  return {
    ...adapter,
    clock: {
      request: () => ({
        method: (clock.method ?? 'GET') as HttpMethod,
        path: path({}),
        headers: clockHeaders,
      }),
      read: async (answer) => {
        if (answer.status !== 200) return undefined;
        const at = text(await now(answer.body).catch(() => undefined));
        const rate = Number(await speed(answer.body).catch(() => undefined));
        if (at === undefined || !Number.isFinite(Date.parse(at)) || !(rate > 0)) return undefined;
        return { now: at, speed: rate };
      },
    },
  };
}

function compileReport(
  base: string,
  paths: ReportPaths,
  expr: (key: string, text: string) => Compiled,
): (input: unknown, bindings: Record<string, unknown>, orderId: string) => Promise<OrderReport> {
  const named = Object.entries(paths)
    .filter(([name]) => name !== 'fields')
    .map(([name, text]) => [name, expr(`${base}.${name}`, text as string)] as const);
  const extra = Object.entries(paths.fields ?? {}).map(
    ([name, text]) => [name, expr(`${base}.fields.${name}`, text)] as const,
  );
  return async (input, bindings, orderId) => {
    const values: Record<string, unknown> = {};
    for (const [name, compiled] of named) values[name] = await compiled(input, bindings);
    const fields: Record<string, Scalar> = {};
    const settled = values.settled === true;
    const report: OrderReport = {
      orderId,
      status: text(values.status) ?? 'unknown',
      settled,
      final: values.final === undefined ? settled : values.final === true,
      fields,
    };
    for (const name of ['outcome', 'platformId', 'carrier', 'service', 'promisedBy'] as const) {
      const value = text(values[name]);
      if (value !== undefined) report[name] = value;
    }
    for (const name of ['delivered', 'onTime'] as const) {
      if (typeof values[name] === 'boolean') report[name] = values[name] as boolean;
    }
    if (typeof values.processingMs === 'number' && Number.isFinite(values.processingMs))
      report.processingMs = values.processingMs;
    // The standard names are fields too, so `decisions.fields` can name them; the
    // platform's id and timings are not decisions (they differ by construction).
    for (const name of [
      'status',
      'outcome',
      'carrier',
      'service',
      'promisedBy',
      'delivered',
      'onTime',
    ] as const) {
      const value = report[name];
      if (value !== undefined) fields[name] = value;
    }
    for (const [name, compiled] of extra) {
      const value = scalar(await compiled(input, bindings));
      if (value !== undefined) fields[name] = value;
    }
    return report;
  };
}

function compileOutcome(
  config: DeclarativePlatform,
  expr: (key: string, text: string) => Compiled,
  template: (key: string, text: string) => (view: Record<string, unknown>) => string,
  headers: (key: string, given: DeclarativePlatform['submit']['headers']) => Record<string, string>,
): OutcomeReader {
  const outcome = config.outcome;
  if ('answer' in outcome) return { kind: 'answer' };
  const report = compileReport('outcome.report', outcome.report, expr);
  if ('poll' in outcome) {
    const poll = outcome.poll;
    const path = template('outcome.poll.path', poll.path);
    const pollHeaders = headers('outcome.poll.headers', poll.headers);
    const missing = new Set(poll.missing ?? [404]);
    const needsPlatformId = poll.path.includes('platformId');
    return {
      kind: 'poll',
      ...(poll.concurrency ? { concurrency: poll.concurrency } : {}),
      request: (ref): PlatformRequest | undefined =>
        needsPlatformId && ref.platformId === undefined
          ? undefined
          : {
              method: (poll.method ?? 'GET') as HttpMethod,
              path: path({ id: ref.id, key: ref.key, platformId: ref.platformId }),
              headers: pollHeaders,
            },
      read: async (answer, ref): Promise<OrderReading> => {
        if (missing.has(answer.status)) return { kind: 'missing' };
        if (answer.status < 200 || answer.status >= 300)
          return { kind: 'unknown', reason: `HTTP ${answer.status}` };
        const bindings = { status: answer.status, headers: answer.headers };
        const read = await report(answer.body, bindings, ref.id);
        return {
          kind: 'found',
          report: ref.platformId && !read.platformId ? { ...read, platformId: ref.platformId } : read,
        };
      },
    };
  }
  const batch = outcome.batch;
  const path = template('outcome.batch.path', batch.path);
  const batchHeaders = headers('outcome.batch.headers', batch.headers);
  const body = expr('outcome.batch.body', batch.body);
  const items = expr('outcome.batch.items', batch.items);
  const idOf = expr('outcome.batch.id', batch.id);
  const missing = batch.missing ? expr('outcome.batch.missing', batch.missing) : undefined;
  return {
    kind: 'batch',
    maxBatch: batch.maxBatch,
    request: async (refs) => ({
      method: (batch.method ?? 'POST') as HttpMethod,
      path: path({}),
      headers: batchHeaders,
      body: await body({
        ids: refs.map((r) => r.id),
        keys: refs.map((r) => r.key),
        platformIds: refs.map((r) => r.platformId ?? null),
      }),
    }),
    read: async (answer, refs) => {
      const out = new Map<string, OrderReading>();
      if (answer.status < 200 || answer.status >= 300) return out;
      const byKey = new Map(refs.flatMap((r) => [[r.id, r.id] as const, [r.key, r.id] as const]));
      const bindings = { status: answer.status, headers: answer.headers };
      const list = await items(answer.body, bindings);
      for (const item of Array.isArray(list) ? list : list === undefined ? [] : [list]) {
        const id = byKey.get(text(await idOf(item, bindings)) ?? '');
        if (id !== undefined) out.set(id, { kind: 'found', report: await report(item, bindings, id) });
      }
      const gone = missing ? await missing(answer.body, bindings) : undefined;
      for (const name of Array.isArray(gone) ? gone : gone === undefined ? [] : [gone]) {
        const id = byKey.get(String(name));
        if (id !== undefined && !out.has(id)) out.set(id, { kind: 'missing' });
      }
      return out;
    },
  };
}

function text(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string'
    ? value
    : typeof value === 'object'
      ? JSON.stringify(value)
      : String(value);
}

function scalar(value: unknown): Scalar | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  return JSON.stringify(value);
}
