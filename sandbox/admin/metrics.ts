import { Counter, Histogram, Registry } from 'prom-client';
import { VERSION_LABEL } from '../../canary/metrics/names.ts';
import { CALL_BUCKETS } from '../../canary/metrics/presets/builtin.ts';

/**
 * Each sandbox service has its own registry (several services share a process in tests),
 * with `service` and `version` as default labels so every series carries the version.
 */
export interface ServiceMetrics {
  registry: Registry;
  requests: Counter<'operation' | 'code'>;
  requestSeconds: Histogram<'operation'>;
  faultsApplied: Counter<'operation' | 'kind'>;
}

export const SERVICE_SERIES = {
  requests: 'sandbox_service_requests_total',
  requestSeconds: 'sandbox_service_request_seconds',
  faultsApplied: 'sandbox_service_faults_applied_total',
} as const;

export function createServiceMetrics(service: string, version: string): ServiceMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service, [VERSION_LABEL]: version });
  return {
    registry,
    requests: new Counter({
      name: SERVICE_SERIES.requests,
      help: 'API requests answered by the sandbox service, by operation and HTTP status',
      labelNames: ['operation', 'code'],
      registers: [registry],
    }),
    requestSeconds: new Histogram({
      name: SERVICE_SERIES.requestSeconds,
      help: 'Real seconds the sandbox service took to answer, faults included',
      labelNames: ['operation'],
      buckets: [...CALL_BUCKETS],
      registers: [registry],
    }),
    faultsApplied: new Counter({
      name: SERVICE_SERIES.faultsApplied,
      help: 'Requests touched by an injected fault, by kind',
      labelNames: ['operation', 'kind'],
      registers: [registry],
    }),
  };
}
