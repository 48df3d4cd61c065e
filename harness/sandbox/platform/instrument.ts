import { type Span, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import type { PlatformMetrics } from './metrics.ts';

/**
 * Wraps a call to a dependency with its span, call counter and latency histogram, so
 * every carrier and inventory call is measured the same way.
 */
export async function instrumented<T>(
  tracer: Tracer,
  span: { name: string; attributes: Record<string, string> },
  record: (outcome: 'ok' | 'error', seconds: number) => void,
  call: (span: Span) => Promise<T>,
): Promise<T> {
  return tracer.startActiveSpan(span.name, { attributes: span.attributes }, async (active) => {
    const started = performance.now();
    try {
      const result = await call(active);
      record('ok', (performance.now() - started) / 1000);
      return result;
    } catch (error) {
      record('error', (performance.now() - started) / 1000);
      active.recordException(error as Error);
      active.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
      throw error;
    } finally {
      active.end();
    }
  });
}

export function carrierRecorder(metrics: PlatformMetrics, carrier: string, operation: string) {
  return (outcome: 'ok' | 'error', seconds: number) => {
    metrics.carrierRequests.inc({ carrier, operation, outcome });
    metrics.carrierRequestSeconds.observe({ carrier, operation }, seconds);
  };
}

export function inventoryRecorder(metrics: PlatformMetrics, operation: string) {
  return (outcome: 'ok' | 'error', seconds: number) => {
    metrics.inventoryRequests.inc({ operation, outcome });
    metrics.inventoryRequestSeconds.observe({ operation }, seconds);
  };
}
