import { describe, expect, it } from 'vitest';
import { startPlatform } from './platform.ts';
import { refuses } from './port-check.ts';
import { putRequest, sampleRequest } from './sample-order.ts';

describe('startPlatform', () => {
  it('binds every server to 127.0.0.1 on its own port, and stop() closes them all', async () => {
    const platform = await startPlatform({ handlingMs: [0, 1] });
    const { urls } = platform;
    const servers = [urls.entry, urls.current, urls.next, urls.depot, urls.gullwing];
    try {
      for (const url of servers) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(new Set(servers.map((u) => new URL(u).port)).size).toBe(5);
      expect(urls.depotStateChange).toBe(`${urls.depot}/_pact/state`);
      expect(urls.metrics).toHaveLength(3);
      // A kept-alive connection through the switchboard must not hold a server open.
      expect((await putRequest(urls.entry, 'stop-0001', sampleRequest())).status).toBe(201);
      for (const url of servers) expect(await refuses(url)).toBe(false);
    } finally {
      await platform.stop();
    }
    for (const url of servers) expect(await refuses(url), url).toBe(true);
  });

  it('starts with an unknown option value refused before anything listens', async () => {
    await expect(startPlatform({ timeScale: -1 })).rejects.toThrow(/timeScale/);
  });
});
