import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningPlatform, startPlatform } from '../../examples/own-platform/platform.ts';
import { loadConfig } from '../../harness/config/load.ts';
import { createActuator } from './create.ts';

/**
 * The http actuator on a router shipgate did not design: Kestrel's switchboard
 * (`PATCH /ops/split {"nextPercent": N}` behind `X-Ops-Key`), described only in the
 * example's shipgate.config.ts, secrets from the environment.
 */
const CONFIG = join(import.meta.dirname, '..', '..', 'examples', 'own-platform', 'shipgate.config.ts');
let platform: RunningPlatform;
const env: Record<string, string> = {};

beforeAll(async () => {
  platform = await startPlatform({});
  Object.assign(env, {
    KESTREL_CURRENT_URL: platform.urls.current,
    KESTREL_NEXT_URL: platform.urls.next,
    KESTREL_ENTRY_URL: platform.urls.entry,
    KESTREL_OPS_KEY: platform.opsKey,
  });
  Object.assign(process.env, env);
});
afterAll(async () => {
  for (const name of Object.keys(env)) delete process.env[name];
  await platform.stop();
});

const split = async () =>
  (await (
    await fetch(`${platform.urls.entry}/ops/split`, { headers: { 'X-Ops-Key': platform.opsKey } })
  ).json()) as {
    nextPercent: number;
    changes: number;
  };

describe("the http actuator from the example's config, on Kestrel's switchboard", () => {
  it('sets the weight, promotes and rolls back through the platform’s own API, reading the weight back', async () => {
    const { resolved } = await loadConfig({ file: CONFIG });
    const a = resolved.canary.actuator;
    const actuator = createActuator(
      {
        kind: a.kind,
        ...(a.requests ? { requests: a.requests } : {}),
        ...(a.answer ? { answer: a.answer } : {}),
        env: process.env,
      },
      {
        missing: (setting) => {
          throw new Error(`missing ${setting}`);
        },
      },
    );
    expect(actuator.name).toContain(new URL(platform.urls.entry).origin);
    expect(actuator.name).not.toContain(platform.opsKey);

    expect((await actuator.setWeight(25)).weight).toBe(25);
    expect((await split()).nextPercent).toBe(25);
    expect((await actuator.state()).weight).toBe(25);
    expect((await actuator.promote()).weight).toBe(100);
    expect((await split()).nextPercent).toBe(100);
    expect((await actuator.rollback()).weight).toBe(0);
    expect(await split()).toMatchObject({ nextPercent: 0, changes: 3 });
  });

  it('a wrong key is a failed action, not a silent success', async () => {
    const { resolved } = await loadConfig({ file: CONFIG });
    const a = resolved.canary.actuator;
    const actuator = createActuator(
      {
        kind: a.kind,
        requests: a.requests,
        answer: a.answer,
        env: { ...process.env, KESTREL_OPS_KEY: 'wrong' },
      },
      {
        retry: { attempts: 1 },
        missing: (setting) => {
          throw new Error(`missing ${setting}`);
        },
      },
    );
    await expect(actuator.setWeight(10)).rejects.toThrow();
    expect((await split()).nextPercent).toBe(0);
  });
});
