import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readPactFolder } from './read.ts';

const dir = mkdtempSync(join(tmpdir(), 'shipgate-read-pacts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readPactFolder', () => {
  it('reads V2, V3 and V4 pacts of any consumer and provider; skips V4 messages and non-pacts', () => {
    const write = (name: string, value: unknown) => writeFileSync(join(dir, name), JSON.stringify(value));
    write('v2.json', {
      consumer: { name: 'label-printer' },
      provider: { name: 'gullwing' },
      metadata: { pactSpecification: { version: '2.0.0' } },
      interactions: [
        { description: 'a booking', providerState: 'the lane is open', request: {}, response: {} },
        { description: 'a quote', request: {}, response: {} },
      ],
    });
    write('v4.json', {
      consumer: { name: 'fulfilment-desk' },
      provider: { name: 'kestrel-depot' },
      metadata: { pactSpecification: { version: '4.0' } },
      interactions: [
        {
          type: 'Synchronous/HTTP',
          description: 'a hold',
          providerStates: [{ name: 'an article is stocked', params: { article: 'KS-0042' } }],
        },
        { type: 'Asynchronous/Messages', description: 'stock changed' },
      ],
    });
    write('package.json', { name: 'not a pact' });
    writeFileSync(join(dir, 'broken.json'), '{ not json');
    expect(readPactFolder(dir).map(({ file: _file, ...pact }) => pact)).toEqual([
      {
        consumer: 'label-printer',
        provider: 'gullwing',
        specification: '2.0.0',
        interactions: [
          { description: 'a booking', states: [{ name: 'the lane is open' }] },
          { description: 'a quote', states: [] },
        ],
      },
      {
        consumer: 'fulfilment-desk',
        provider: 'kestrel-depot',
        specification: '4.0',
        interactions: [
          {
            description: 'a hold',
            states: [{ name: 'an article is stocked', params: { article: 'KS-0042' } }],
          },
        ],
      },
    ]);
  });
});
