import { join } from 'node:path';
import { execa } from 'execa';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanups } from './helpers.ts';

/**
 * Access, as a user starts it: `shipgate canary serve` binds to loopback by default,
 * refuses wrong tokens, and never prints its token, even when a caller sends the token
 * in a wrong place or a wrong token that contains it.
 */
const c = cleanups();
afterEach(() => c.run());
const MAIN = join(import.meta.dirname, '..', '..', 'harness', 'cli', 'main.ts');
const TOKEN = 'serveT0kenQzvSecretValue-42';

describe('access: shipgate canary serve', () => {
  it('listens on 127.0.0.1 by default, refuses bad tokens, and never prints its token', async () => {
    const child = execa(
      process.execPath,
      ['--import', 'tsx', MAIN, 'canary', 'serve', '--port', '0', '--scrape', 'http://127.0.0.1:9/metrics'],
      { reject: false, timeout: 60_000, env: { SHIPGATE_GATE_TOKEN: TOKEN }, all: true },
    );
    c.add(async () => {
      child.kill('SIGTERM');
      await child;
    });
    const url = await new Promise<string>((resolve, reject) => {
      let seen = '';
      const timer = setTimeout(() => reject(new Error(`no listening line in: ${seen}`)), 45_000);
      child.all?.on('data', (chunk: Buffer) => {
        seen += String(chunk);
        const match = /listening on (http:\/\/\S+)/.exec(seen);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
    });
    expect(new URL(url).hostname).toBe('127.0.0.1');
    const call = async (headers: Record<string, string>, body: unknown) => {
      const res = await request(`${url}/v1/flagger/confirm-rollout`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
      await res.body.dump();
      return res.statusCode;
    };
    const flagger = { name: 'platform', namespace: 'shop' };
    expect(await call({}, flagger)).toBe(401);
    expect(await call({ authorization: `Bearer ${TOKEN}x` }, flagger)).toBe(401);
    expect(await call({ authorization: `Bearer x${TOKEN}` }, { ...flagger, metadata: { note: TOKEN } })).toBe(
      401,
    );
    expect(await call({ authorization: `Bearer ${TOKEN}` }, flagger)).toBe(200);
    child.kill('SIGTERM');
    const result = await child;
    expect(String(result.all)).not.toContain(TOKEN);
  });
});
