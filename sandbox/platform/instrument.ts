import { context, type Span, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import type { CallOptions } from '../../contracts/carriers/client.ts';
import type { PlatformMetrics } from './metrics.ts';

const propagator = new W3CTraceContextPropagator();

/**
 * Wraps a call to a dependency with its span, call counter and latency histogram, so
 * every carrier and inventory call is measured the same way, and hands the call the
 * W3C trace headers that continue the order's trace at the carrier or inventory.
 */
export async function instrumented<T>(
  tracer: Tracer,
  span: { name: string; attributes: Record<string, string> },
  record: (outcome: 'ok' | 'error', seconds: number) => void,
  call: (options: CallOptions, span: Span) => Promise<T>,
): Promise<T> {
  return tracer.startActiveSpan(span.name, { attributes: span.attributes }, async (active) => {
    const started = performance.now();
    try {
      const headers: Record<string, string> = {};
      propagator.inject(context.active(), headers, {
        set: (carrier, key, value) => {
          carrier[key] = value;
        },
      });
      const result = await call({ headers }, active);
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
