import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { startTracing } from './tracing.ts';

describe('startTracing', () => {
  it('records again after a shutdown: a second tracing in the same process gets the spans', async () => {
    const names: string[][] = [];
    for (const run of ['first', 'second']) {
      const exporter = new InMemorySpanExporter();
      const tracing = startTracing({ serviceName: run, spanProcessors: [new SimpleSpanProcessor(exporter)] });
      tracing.tracer.startSpan(`${run}.span`).end();
      await tracing.flush();
      names.push(exporter.getFinishedSpans().map((s) => s.name));
      await tracing.shutdown();
    }
    expect(names).toEqual([['first.span'], ['second.span']]);
  });
});
