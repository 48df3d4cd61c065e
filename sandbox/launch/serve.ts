/**
 * Entry point of one sandbox service in its own process (`shipgate sandbox up`).
 * Its description arrives in SHIPGATE_SERVICE (JSON, including secrets, so never on
 * the command line where `ps` shows it); once listening it writes its URL to
 * SHIPGATE_READY_FILE and serves until SIGTERM or SIGINT.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { startTracing } from '../../core/telemetry/tracing.ts';
import { startService } from './start-service.ts';
import type { PartialWorldUrls, ServiceSpec, WorldConfig } from './topology.ts';

interface ServiceEnvelope {
  spec: ServiceSpec;
  config: WorldConfig;
  urls: PartialWorldUrls;
  port?: number;
}

const envelope = JSON.parse(process.env.SHIPGATE_SERVICE ?? '') as ServiceEnvelope;
const readyFile = process.env.SHIPGATE_READY_FILE ?? '';
delete process.env.SHIPGATE_SERVICE;

const tracing = startTracing({ serviceName: `sandbox-${envelope.spec.name}` });
const service = await startService(envelope.spec, envelope.config, envelope.urls, {
  tracer: tracing.tracer,
  port: envelope.port,
});
// Written whole, then renamed: the parent never reads half a file.
writeFileSync(`${readyFile}.tmp`, JSON.stringify({ name: service.name, url: service.url, pid: process.pid }));
renameSync(`${readyFile}.tmp`, readyFile);

let closing = false;
const shutdown = async () => {
  if (closing) return;
  closing = true;
  await service.close();
  await tracing.shutdown();
  process.exit(0);
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
