import { randomFillSync } from 'node:crypto';
import { context, propagation, type Span, SpanKind, trace } from '@opentelemetry/api';

/**
 * W3C trace context for each replayed request. When an OpenTelemetry SDK is set up
 * (a tracer provider and propagator registered), a client span is started and its
 * context injected, so the replay shows up in the user's traces. Without one, the
 * OpenTelemetry API is a no-op and we still send a valid `traceparent` of our own, so
 * the platform's logs can be joined to the replay's results by trace id.
 *
 * Span attributes carry the order id and line only; never anything from the customer.
 */
const tracer = trace.getTracer('shipgate-replay');

export interface RequestTrace {
  traceparent: string;
  headers: Record<string, string>;
  end(error?: boolean): void;
}

export function startRequestTrace(orderId: string, line: number): RequestTrace {
  const span: Span = tracer.startSpan('replay order', {
    kind: SpanKind.CLIENT,
    attributes: { 'shipgate.order.id': orderId, 'shipgate.input.line': line },
  });
  const carrier: Record<string, string> = {};
  if (trace.isSpanContextValid(span.spanContext())) {
    propagation.inject(trace.setSpan(context.active(), span), carrier);
  }
  const traceparent = carrier['traceparent'] ?? newTraceparent();
  carrier['traceparent'] = traceparent;
  return {
    traceparent,
    headers: carrier,
    end(error) {
      if (error) span.setStatus({ code: 2 });
      span.end();
    },
  };
}

/** `00-<trace-id>-<parent-id>-01`, with ids that are never all zeros (invalid per spec). */
export function newTraceparent(): string {
  return `00-${nonZeroHex(16)}-${nonZeroHex(8)}-01`;
}

// Random bytes drawn from a pool refilled 4 KiB at a time: one system call per ~170
// requests instead of two per request (it showed in the replay benchmark's profile).
const pool = Buffer.alloc(4096);
let poolAt = pool.length;

function nonZeroHex(bytes: number): string {
  for (;;) {
    if (poolAt + bytes > pool.length) {
      randomFillSync(pool);
      poolAt = 0;
    }
    const hex = pool.toString('hex', poolAt, poolAt + bytes);
    poolAt += bytes;
    if (/[^0]/.test(hex)) return hex;
  }
}

export const TRACEPARENT_PATTERN = /^00-(?!0{32})[0-9a-f]{32}-(?!0{16})[0-9a-f]{16}-0[01]$/;
