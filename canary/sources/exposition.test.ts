import { Counter, Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { ExpositionError, parseExposition, parseValue } from './exposition.ts';

describe('exposition parser', () => {
  it('reads samples, labels with escapes, special values, timestamps and exemplars', () => {
    const text = [
      '# HELP x_total A counter.',
      '# TYPE x_total counter',
      'x_total{version="canary",note="a \\"q\\" \\\\ b\\nc"} 3',
      'x_total{version="stable",} 4 1700000000000',
      'y NaN',
      'z{le="+Inf"} +Inf',
      'w -Inf',
      'om_total{a="b"} 1.5e3 # {trace_id="abc"} 1.0',
      '',
      '# EOF',
    ].join('\n');
    const samples = parseExposition(text);
    expect(samples[0]).toEqual({
      name: 'x_total',
      labels: { version: 'canary', note: 'a "q" \\ b\nc' },
      value: 3,
    });
    expect(samples[1]).toEqual({ name: 'x_total', labels: { version: 'stable' }, value: 4 });
    expect(samples[2]!.value).toBeNaN();
    expect(samples[3]).toEqual({ name: 'z', labels: { le: '+Inf' }, value: Infinity });
    expect(samples[4]!.value).toBe(-Infinity);
    expect(samples[5]).toEqual({ name: 'om_total', labels: { a: 'b' }, value: 1500 });
  });

  it('reads what prom-client writes', async () => {
    const registry = new Registry();
    const c = new Counter({ name: 'c_total', help: 'h', labelNames: ['version'], registers: [registry] });
    const h = new Histogram({
      name: 'h_seconds',
      help: 'h',
      labelNames: ['version'],
      buckets: [0.5, 1],
      registers: [registry],
    });
    c.inc({ version: 'canary' }, 2);
    h.observe({ version: 'canary' }, 0.7);
    const samples = parseExposition(await registry.metrics());
    expect(samples).toContainEqual({ name: 'c_total', labels: { version: 'canary' }, value: 2 });
    expect(samples).toContainEqual({
      name: 'h_seconds_bucket',
      labels: { le: '1', version: 'canary' },
      value: 1,
    });
    expect(samples).toContainEqual({
      name: 'h_seconds_bucket',
      labels: { le: '+Inf', version: 'canary' },
      value: 1,
    });
    expect(samples).toContainEqual({ name: 'h_seconds_count', labels: { version: 'canary' }, value: 1 });
  });

  it.each([
    ['x{a="b" 1', /line 2: x: expected "," or "}" after label a/],
    ['x{a=b} 1', /line 2: x: label a: expected a quoted value/],
    ['x{a="b\\q"} 1', /invalid escape/],
    ['x{a="b} 1', /unterminated/],
    ['x one', /invalid value "one"/],
    ['x', /expected a space before the value/],
    ['{a="b"} 1', /expected a metric name/],
    ['x{a="1",a="2"} 1', /duplicate label a/],
    ['x 1 2 3', /expected "value \[timestamp\]"/],
  ])('rejects %j naming the line', (line, message) => {
    expect(() => parseExposition(`ok 1\n${line}\n`)).toThrow(message);
    try {
      parseExposition(`ok 1\n${line}\n`);
    } catch (error) {
      expect(error).toBeInstanceOf(ExpositionError);
      expect((error as ExpositionError).line).toBe(2);
    }
  });

  it('parses values as Go does', () => {
    expect(parseValue('1e-3')).toBe(0.001);
    expect(parseValue('.5')).toBe(0.5);
    expect(parseValue('+Inf')).toBe(Infinity);
    expect(parseValue('0x10')).toBeUndefined();
    expect(parseValue('')).toBeUndefined();
  });
});
