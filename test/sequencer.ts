import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { LONGEST_FIRST } from './lanes.ts';

/**
 * Vitest's own order runs the longest files first only when its cache holds their
 * durations from an earlier run; on a fresh clone (CI) it falls back to file size, and a
 * 75-second end-to-end file that happens to be short in bytes starts last and becomes
 * the suite's tail. The files known to be long (test/lanes.ts) go first, longest first,
 * whatever the cache holds; the rest keep vitest's order.
 */
export default class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (spec: TestSpecification) => {
      const index = LONGEST_FIRST.indexOf(relative(spec.project.config.root, spec.moduleId) as never);
      return index === -1 ? LONGEST_FIRST.length : index;
    };
    // Array.prototype.sort is stable: files of equal rank keep vitest's order.
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}
