import { createRequire } from 'node:module';
import { context, propagation, type Tracer, trace } from '@opentelemetry/api';
import type { SpanProcessor } from '@opentelemetry/sdk-trace-base';

const require = createRequire(import.meta.url);

/**
 * OpenTelemetry tracing for a shipgate process. With no processors given, spans go
 * where the standard OTEL_* environment variables say (e.g. OTEL_EXPORTER_OTLP_ENDPOINT),
 * or nowhere: shipgate never requires a collector. Span attributes carry order ids,
 * regions and carriers only — never customer data.
 */
export interface Tracing {
  tracer: Tracer;
  /** Flushes every processor (tests must flush before reading spans). */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

export function startTracing(options: { serviceName: string; spanProcessors?: SpanProcessor[] }): Tracing {
  const exporting =
    options.spanProcessors !== undefined || process.env.OTEL_EXPORTER_OTLP_ENDPOINT !== undefined;
  if (!exporting) {
    return { tracer: trace.getTracer(options.serviceName), flush: async () => {}, shutdown: async () => {} };
  }
  // Loaded only when spans go somewhere: importing the SDK costs about 0.6 CPU-s in every
  // sandbox service process, and most runs export nothing.
  const { NodeSDK } = require('@opentelemetry/sdk-node') as typeof import('@opentelemetry/sdk-node');
  const sdk = new NodeSDK({
    serviceName: options.serviceName,
    spanProcessors: options.spanProcessors,
    instrumentations: [],
    autoDetectResources: false,
  });
  sdk.start();
  return {
    tracer: trace.getTracer(options.serviceName),
    flush: async () => {
      await Promise.all((options.spanProcessors ?? []).map((p) => p.forceFlush()));
    },
    shutdown: async () => {
      await sdk.shutdown();
      // The SDK registered itself as the process's global provider, context manager and
      // propagator, and shutting it down leaves them registered: a second startTracing in
      // the same process (two gates run by one program, or test files sharing a worker)
      // would get the stopped provider's tracer and record nothing.
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}
