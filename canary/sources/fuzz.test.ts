import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isShipgateError } from '../../core/errors.ts';
import { ExpositionError, parseExposition } from './exposition.ts';
import { decodeResponse, toInstant } from './prometheus.ts';

/**
 * Hostile input (issue 10): Prometheus answers and /metrics bodies. Nothing may throw
 * anything but a catalogued error naming the query (or an ExpositionError naming the
 * line). SHIPGATE_FUZZ_RUNS raises the case count for the nightly run.
 */
const RUNS = Number(process.env['SHIPGATE_FUZZ_RUNS'] ?? 500);

const sampleValue = fc.oneof(fc.constantFrom('NaN', '+Inf', '-Inf', '1', '0.5', '1e3', 'x', ''), fc.string());
const answerBody = fc.oneof(
  fc.string(),
  fc.json(),
  fc
    .record({
      status: fc.constantFrom('success', 'error', 'other'),
      error: fc.option(fc.string()),
      errorType: fc.option(fc.string()),
      data: fc.oneof(
        fc.anything(),
        fc.record({
          resultType: fc.constantFrom('vector', 'matrix', 'scalar', 'string', 'histogram'),
          result: fc.oneof(
            fc.anything(),
            fc.array(
              fc.record({
                metric: fc.dictionary(fc.string(), fc.oneof(fc.string(), fc.integer())),
                value: fc.tuple(fc.oneof(fc.double(), fc.string()), sampleValue),
              }),
            ),
            fc.tuple(fc.double(), sampleValue),
          ),
        }),
      ),
    })
    .map((v) => JSON.stringify(v)),
);

describe('fuzz: Prometheus API answers', () => {
  it('decode to samples or a catalogued error naming the query', () => {
    fc.assert(
      fc.property(fc.constantFrom(200, 400, 422, 401, 204, 302), answerBody, (status, body) => {
        try {
          const result = toInstant(
            decodeResponse(status, body, 'http://prom', 'q{a="b"}'),
            'http://prom',
            'q{a="b"}',
          );
          for (const s of result.samples) expect(typeof s.value).toBe('number');
        } catch (error) {
          expect(isShipgateError(error), String(error)).toBe(true);
          expect((error as Error).message).toContain('q{a="b"}');
        }
      }),
      { numRuns: RUNS },
    );
  });
});

const line = fc.oneof(
  fc.string(),
  fc
    .tuple(
      fc.stringMatching(/^[a-zA-Z_:][a-zA-Z0-9_:]{0,10}$/),
      fc.dictionary(fc.stringMatching(/^[a-zA-Z_]\w{0,5}$/), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
      sampleValue,
    )
    .map(
      ([name, labels, value]) =>
        `${name}{${Object.entries(labels)
          .map(([k, v]) => `${k}="${v}"`)
          .join(',')}} ${value}`,
    ),
);

describe('fuzz: exposition bodies', () => {
  it('parse or fail with the line number', () => {
    fc.assert(
      fc.property(fc.array(line, { maxLength: 8 }), (lines) => {
        try {
          for (const s of parseExposition(lines.join('\n'))) expect(typeof s.value).toBe('number');
        } catch (error) {
          expect(error, String(error)).toBeInstanceOf(ExpositionError);
          expect((error as ExpositionError).line).toBeGreaterThanOrEqual(1);
          expect((error as ExpositionError).line).toBeLessThanOrEqual(lines.join('\n').split('\n').length);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
