import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';

/**
 * Every YAML file under examples/ parses (all documents, no warnings) and has the keys
 * its kind needs: a GitHub Actions workflow `on`/`jobs` with steps that run the gate
 * and use its outputs; a GitLab CI job `script` and `artifacts.reports.junit`; a
 * Kubernetes manifest `apiVersion`/`kind`/`metadata.name`/`spec`.
 */
const root = import.meta.dirname;

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : yamlFiles(path);
    return /\.ya?ml$/.test(entry.name) ? [path] : [];
  });
}

type Doc = Record<string, unknown>;

function documents(file: string): Doc[] {
  const docs = parseAllDocuments(readFileSync(file, 'utf8'));
  if (!Array.isArray(docs)) throw new Error(`${file}: not a YAML stream`);
  return docs
    .map((doc, i) => {
      expect(doc.errors, `${file} document ${i}: ${doc.errors.map((e) => e.message).join('; ')}`).toEqual([]);
      return doc.toJS() as Doc;
    })
    .filter((d) => d !== null);
}

const files = yamlFiles(root);
const GITLAB_RESERVED = new Set([
  'stages',
  'variables',
  'default',
  'include',
  'workflow',
  'image',
  'services',
  'cache',
]);

describe('examples/ YAML', () => {
  it('finds the CI examples and the Kubernetes manifests', () => {
    const names = files.map((f) => relative(root, f));
    expect(names).toContain(join('github-actions', 'shipgate.yml'));
    expect(names).toContain(join('gitlab-ci', '.gitlab-ci.yml'));
    expect(names.filter((n) => n.startsWith('kubernetes')).length).toBeGreaterThan(0);
  });

  for (const file of files) {
    const name = relative(root, file);
    it(`${name} has the keys of its kind`, () => {
      const docs = documents(file);
      expect(docs.length, name).toBeGreaterThan(0);
      for (const doc of docs) {
        if (name.startsWith('github-actions')) checkWorkflow(doc);
        else if (name.startsWith('gitlab-ci')) checkGitlab(doc);
        else checkManifest(doc, name);
      }
    });
  }
});

function checkWorkflow(doc: Doc): void {
  expect(doc).toHaveProperty('on');
  const jobs = doc.jobs as Record<string, { 'runs-on'?: unknown; steps?: Doc[] }>;
  expect(Object.keys(jobs ?? {}).length).toBeGreaterThan(0);
  for (const job of Object.values(jobs)) {
    expect(job['runs-on']).toBeTruthy();
    expect(Array.isArray(job.steps) && job.steps.length > 0).toBe(true);
    for (const step of job.steps!) expect('run' in step || 'uses' in step).toBe(true);
  }
  const steps = Object.values(jobs).flatMap((j) => j.steps ?? []);
  const runs = steps.map((s) => String(s.run ?? '')).join('\n');
  expect(runs).toMatch(/npm ci/);
  expect(runs).toMatch(/npx shipgate gate/);
  expect(runs).toMatch(/report\.md.*GITHUB_STEP_SUMMARY/s);
  const uses = steps.map((s) => String(s.uses ?? ''));
  expect(uses.some((u) => u.startsWith('actions/upload-artifact@'))).toBe(true);
  const junit = steps.find((s) => String(s.uses ?? '').startsWith('dorny/test-reporter@'));
  expect((junit?.with as Doc | undefined)?.path).toMatch(/junit\.xml$/);
  // Summary, upload and test report run even when the gate fails.
  for (const step of steps.filter((s) => !String(s.run ?? '').includes('shipgate gate') && s.if))
    expect(step.if).toBe('always()');
}

function checkGitlab(doc: Doc): void {
  const jobs = Object.entries(doc).filter(([key]) => !GITLAB_RESERVED.has(key) && !key.startsWith('.'));
  expect(jobs.length).toBeGreaterThan(0);
  for (const [, job] of jobs as [string, Doc][]) {
    expect(Array.isArray(job.script)).toBe(true);
    expect((job.script as string[]).join('\n')).toMatch(/npx shipgate gate/);
    const artifacts = job.artifacts as { reports?: { junit?: string }; when?: string };
    expect(artifacts?.reports?.junit).toMatch(/junit\.xml$/);
    expect(artifacts.when).toBe('always');
  }
}

function checkManifest(doc: Doc, name: string): void {
  expect(typeof doc.apiVersion, `${name}: apiVersion`).toBe('string');
  expect(typeof doc.kind, `${name}: kind`).toBe('string');
  expect((doc.metadata as Doc | undefined)?.name, `${name}: metadata.name`).toBeTruthy();
  // Config objects carry data instead of a spec.
  if (!['ConfigMap', 'Secret', 'ServiceAccount', 'Namespace'].includes(doc.kind as string))
    expect(doc.spec, `${name} ${String(doc.kind)}: spec`).toBeTruthy();
}
