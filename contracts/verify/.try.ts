import { manualClock } from '../../sandbox/admin/manual-clock.ts';
import { startCarrier } from '../../sandbox/carriers/start.ts';
import { verifyProviders } from './verify.ts';

const clock = manualClock();
const targets = [];
const running = [];
for (const name of ['parcelly', 'labelfast', 'steppe'] as const) {
  const s = await startCarrier(name, {
    clock,
    apiKey: 'k-' + name,
    adminToken: 'admin-t',
    latency: { minMs: 0, maxMs: 0 },
  });
  running.push(s);
  targets.push({ provider: name, baseUrl: s.url, apiKey: 'k-' + name, adminToken: 'admin-t' });
}
const t0 = Date.now();
const r = await verifyProviders({ pactDir: '/tmp/pt/pacts1', targets });
console.error(
  JSON.stringify(
    r.map((p) => ({
      ...p,
      interactions: p.interactions.map((i) => [
        i.description,
        i.status,
        JSON.stringify(i.mismatches),
        i.error,
      ]),
    })),
    null,
    1,
  ).slice(0, 6000),
);
console.error('ms', Date.now() - t0);
for (const s of running) await s.close();
