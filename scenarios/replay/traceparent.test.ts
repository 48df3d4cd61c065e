import { propagation, trace } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, describe, expect, it } from 'vitest';
import { newTraceparent, startRequestTrace, TRACEPARENT_PATTERN } from './traceparent.ts';

describe('traceparent', () => {
  it('generates valid, distinct W3C trace context without an SDK', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const header = newTraceparent();
      expect(header).toMatch(TRACEPARENT_PATTERN);
      seen.add(header);
    }
    expect(seen.size).toBe(500);
    expect(startRequestTrace('o-1', 1).traceparent).toMatch(TRACEPARENT_PATTERN);
  });

  describe('with an OpenTelemetry SDK registered', () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    trace.setGlobalTracerProvider(provider);
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    afterAll(async () => {
      trace.disable();
      propagation.disable();
      await provider.shutdown();
    });

    it('starts a client span per request and sends its context, with the order id and line only', () => {
      const request = startRequestTrace('o-42', 7);
      request.end();
      const [span] = exporter.getFinishedSpans();
      expect(span).toBeDefined();
      expect(request.traceparent).toBe(`00-${span!.spanContext().traceId}-${span!.spanContext().spanId}-01`);
      expect(span!.attributes).toEqual({ 'shipgate.order.id': 'o-42', 'shipgate.input.line': 7 });
    });
  });
});
