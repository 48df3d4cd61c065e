import { describe, expect, it } from 'vitest';
import { spliceSection } from './benchmarks-doc.ts';

describe('spliceSection', () => {
  const doc = '# Benchmarks\n\n## A\n\nold a\n\n### A detail\n\nx\n\n## B\n\nold b\n';

  it('replaces only the named section, sub-headings included, and keeps the others', () => {
    expect(spliceSection(doc, '## A\n\nnew a\n')).toBe('# Benchmarks\n\n## A\n\nnew a\n\n## B\n\nold b\n');
    expect(spliceSection(doc, '## B\n\nnew b')).toBe(
      '# Benchmarks\n\n## A\n\nold a\n\n### A detail\n\nx\n\n## B\n\nnew b\n',
    );
  });

  it('appends a section the document does not have, and does not mistake a longer heading for it', () => {
    expect(spliceSection(doc, '## C\n\nc\n')).toBe(`${doc}\n## C\n\nc\n`);
    expect(spliceSection('## Scenarios extra\n\ns\n', '## Scenarios\n\nn\n')).toBe(
      '## Scenarios extra\n\ns\n\n## Scenarios\n\nn\n',
    );
  });
});
