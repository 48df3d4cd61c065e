import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakePushgateway } from '../../test/support/fake-pushgateway.ts';
import { safeOrigin, startPushing } from './push.ts';
import { createSelfMetrics } from './self-metrics.ts';
import { pushgatewayTarget } from './self-metrics-run.ts';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

async function gateway(status?: number) {
  const g = await startFakePushgateway(status ? { status } : {});
  closers.push(g.close);
  return g;
}

/** A TCP server that accepts and never answers: a Pushgateway that hangs. */
async function silentServer(): Promise<string> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(async () => {
    for (const s of sockets) s.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  const address = server.address() as { port: number };
  return `http://127.0.0.1:${address.port}`;
}

/** A push of an empty registry under run r1. */
const pushTo = (
  url: string,
  options: Omit<Parameters<typeof startPushing>[0], 'url' | 'runId' | 'registry'>,
) => startPushing({ url, runId: 'r1', registry: createSelfMetrics().registry, ...options });

/** A port nothing listens on: bind, note it, close. */
async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

describe('pushing to a Pushgateway', () => {
  it('PUTs the whole registry under job shipgate and run <id>, at the start, on the timer and at the end', async () => {
    const g = await gateway();
    const m = createSelfMetrics();
    m.gateVerdicts.inc({ layer: 'replay', verdict: 'pass' });
    const pusher = startPushing({
      url: g.url,
      runId: '2026-11-23-abc',
      registry: m.registry,
      intervalMs: 50,
    });
    const deadline = Date.now() + 5000;
    while (g.pushes.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    m.gateVerdicts.inc({ layer: 'canary', verdict: 'fail' });
    await pusher.finish();
    const count = g.pushes.length;
    expect(count).toBeGreaterThanOrEqual(3);
    for (const push of g.pushes)
      expect(push).toMatchObject({ method: 'PUT', job: 'shipgate', run: '2026-11-23-abc' });
    expect(g.last()).toContain('shipgate_gate_verdicts_total{layer="canary",verdict="fail"} 1');
    // The timer is gone after finish.
    await new Promise((r) => setTimeout(r, 150));
    expect(g.pushes.length).toBe(count);
  });

  it('sends the bearer token when one is given', async () => {
    const g = await gateway();
    const pusher = pushTo(g.url, {
      token: 'push-token-123',
    });
    await pusher.finish();
    expect(g.pushes.at(-1)?.authorization).toBe('Bearer push-token-123');
  });

  it('a dead Pushgateway: one warning, no credentials in it, and finish still resolves', async () => {
    const url = (await deadUrl()).replace('http://', 'http://user:s3cret-pass@');
    const warnings: string[] = [];
    const pusher = pushTo(url, {
      intervalMs: 20,
      warn: (line) => warnings.push(line),
      token: 'tok-XYZ',
    });
    await new Promise((r) => setTimeout(r, 150));
    await pusher.finish();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(
      /could not push shipgate's own metrics to the Pushgateway at http:\/\/127\.0\.0\.1:\d+ \(/,
    );
    expect(warnings[0]).not.toContain('s3cret-pass');
    expect(warnings[0]).not.toContain('user:');
    expect(warnings[0]).not.toContain('tok-XYZ');
  });

  it('an error status is a failure too (warned once)', async () => {
    const g = await gateway(500);
    const warnings: string[] = [];
    const pusher = pushTo(g.url, {
      warn: (l) => warnings.push(l),
    });
    await pusher.finish();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('status 500');
  });

  it('a Pushgateway that never answers costs at most the timeout', async () => {
    const url = await silentServer();
    const warnings: string[] = [];
    const started = Date.now();
    const pusher = pushTo(url, {
      timeoutMs: 200,
      warn: (l) => warnings.push(l),
    });
    await pusher.finish();
    // The first push and the final one, each bounded by the timeout (generous margin for a busy machine).
    expect(Date.now() - started).toBeLessThan(3000);
    expect(warnings).toHaveLength(1);
  });
});

describe('where to push', () => {
  it('flag, then SHIPGATE_PUSHGATEWAY_URL, then the config; nothing when none is set', () => {
    const env = { SHIPGATE_PUSHGATEWAY_URL: 'http://env:9091' };
    const config = { url: 'http://config:9091' };
    expect(pushgatewayTarget({ flag: 'http://flag:9091', config }, env)?.url).toBe('http://flag:9091');
    expect(pushgatewayTarget({ config }, env)?.url).toBe('http://env:9091');
    expect(pushgatewayTarget({ config }, {})?.url).toBe('http://config:9091');
    expect(pushgatewayTarget({}, {})).toBeUndefined();
  });

  it("takes the token from the config's variable or SHIPGATE_PUSHGATEWAY_TOKEN", () => {
    expect(
      pushgatewayTarget({ config: { url: 'http://p:9091', tokenEnv: 'MY_TOKEN' } }, { MY_TOKEN: 'a' })?.token,
    ).toBe('a');
    expect(pushgatewayTarget({ flag: 'http://p:9091' }, { SHIPGATE_PUSHGATEWAY_TOKEN: 'b' })?.token).toBe(
      'b',
    );
  });

  it('refuses a URL that is not http(s) as a usage error, naming where it came from', () => {
    expect(() => pushgatewayTarget({ flag: 'pushgateway:9091' }, {})).toThrow(/--pushgateway/);
    expect(() => pushgatewayTarget({}, { SHIPGATE_PUSHGATEWAY_URL: 'nope' })).toThrow(
      /SHIPGATE_PUSHGATEWAY_URL/,
    );
  });

  it('names a Pushgateway without its credentials', () => {
    expect(safeOrigin('https://u:p@push.example.com:9091/base?x=1')).toBe(
      'https://push.example.com:9091/base',
    );
  });
});
