import { randomBytes } from 'node:crypto';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Order } from '../../contracts/domain/order.ts';
import { startTracing, type Tracing } from '../../core/telemetry/tracing.ts';
import { generateDay } from '../../scenarios/generate/index.ts';
import { eventually } from '../../test/support/sandbox-traffic.ts';
import { startWorld, type World } from '../launch/world.ts';

const exporter = new InMemorySpanExporter();
let tracing: Tracing;
let world: World;

beforeAll(async () => {
  tracing = startTracing({
    serviceName: 'sandbox-test',
    spanProcessors: [new SimpleSpanProcessor(exporter)],
  });
  world = await startWorld({ speed: 60, latency: 'none', tracer: tracing.tracer });
});
afterAll(async () => {
  await world.stop();
  await tracing.shutdown();
});

describe('platform traces', () => {
  it('continues the caller W3C trace with a span per order and one per carrier and inventory call, without PII', async () => {
    const order = structuredClone([...generateDay({ orders: 30, seed: 'trace' })][3]!) as Order;
    const clock = (await (await fetch(`${world.urls.router}/v1/clock`)).json()) as { now: string };
    order.createdAt = clock.now;
    order.promisedBy = new Date(Date.parse(clock.now) + 5 * 86_400_000).toISOString();
    const traceId = randomBytes(16).toString('hex');
    const parentSpanId = randomBytes(8).toString('hex');
    const response = await fetch(`${world.urls.router}/v1/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: `00-${traceId}-${parentSpanId}-01` },
      body: JSON.stringify(order),
    });
    expect(response.status).toBe(202);

    const processed = await eventually(async () => {
      await tracing.flush();
      return exporter
        .getFinishedSpans()
        .some((s) => s.name === 'order.process' && s.attributes['order.id'] === order.id);
    }, 10_000);
    expect(processed).toBe(true);
    const spans = exporter.getFinishedSpans().filter((s) => s.spanContext().traceId === traceId);
    const root = spans.find((s) => s.name === 'order.process')!;
    expect(root.parentSpanContext?.spanId).toBe(parentSpanId);
    const names = spans.map((s) => s.name);
    expect(names.filter((n) => n === 'carrier.quote')).toHaveLength(3);
    expect(names).toContain('inventory.reserve');
    expect(names).toContain('carrier.create_shipment');
    expect(names).toContain('inventory.commit');

    const attributes = JSON.stringify(spans.map((s) => s.attributes));
    for (const pii of [
      order.customer.name,
      order.customer.email,
      order.customer.phone,
      order.customer.address.line1,
    ]) {
      expect(attributes).not.toContain(pii);
    }
  });
});
