import { describe, expect, it } from 'vitest';
import { validator } from '../../core/schema/validate.ts';
import { createSource, SourceConfig } from './create.ts';
import { DirectScrapeSource } from './direct-scrape.ts';
import { PrometheusSource } from './prometheus-source.ts';

const check = validator(SourceConfig);

describe('source config', () => {
  it('builds either source from validated config', () => {
    const prom = check({
      kind: 'prometheus',
      url: 'http://127.0.0.1:9090',
      matchers: { namespace: 'prod' },
      retry: { attempts: 2 },
    });
    expect(prom.ok).toBe(true);
    if (prom.ok) expect(createSource(prom.value)).toBeInstanceOf(PrometheusSource);
    const direct = check({ kind: 'direct-scrape', endpoints: ['http://127.0.0.1:3000/metrics'] });
    expect(direct.ok).toBe(true);
    if (direct.ok) expect(createSource(direct.value)).toBeInstanceOf(DirectScrapeSource);
  });

  it('names the field of a bad config', () => {
    const bad = check({ kind: 'prometheus', url: 'ftp://x', matchers: { 'bad-label': 'x' } });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.issues.map((i) => i.path).join(' ')).toMatch(/\/url|\/matchers/);
    expect(check({ kind: 'direct-scrape', endpoints: [] }).ok).toBe(false);
  });
});
