import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ts from 'typescript';

/**
 * Runs an exported k6 script's iterations in Node with k6's modules stubbed, recording
 * every HTTP request it makes: there is no k6 binary here, and type-checking alone does
 * not show what the script sends. The script is compiled by TypeScript (types stripped,
 * CommonJS), `open()` reads beside it, `http.request` records and answers `status`.
 * Test support only: k6's real runtime is what users run.
 */
export interface RecordedRequest {
  method: string;
  url: string;
  body: string | null;
  headers: Record<string, string>;
  tags: Record<string, string>;
}

export interface ScriptRun {
  requests: RecordedRequest[];
  /** check name → [passes, fails] */
  checks: Record<string, [number, number]>;
  counters: Record<string, number>;
  options: unknown;
}

export function runK6Script(
  scriptFile: string,
  options: { iterations: number; status: number; env?: Record<string, string> },
): ScriptRun {
  const source = readFileSync(scriptFile, 'utf8');
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020 },
  });
  const run: ScriptRun = { requests: [], checks: {}, counters: {}, options: undefined };
  const scenario = { iterationInTest: 0 };
  const modules: Record<string, unknown> = {
    'k6/http': {
      default: {
        request(method: string, url: string, body: string | null, params: RecordedRequest) {
          run.requests.push({ method, url, body, headers: params.headers, tags: params.tags });
          return { status: options.status };
        },
      },
    },
    'k6/execution': { default: { scenario } },
    k6: {
      check(value: unknown, sets: Record<string, (v: unknown) => boolean>) {
        for (const [name, test] of Object.entries(sets)) {
          const tally = run.checks[name] ?? [0, 0];
          tally[test(value) ? 0 : 1]++;
          run.checks[name] = tally;
        }
      },
    },
    'k6/data': {
      SharedArray: function SharedArray(_name: string, load: () => unknown[]) {
        return load();
      },
    },
    'k6/metrics': {
      Counter: function Counter(name: string) {
        return { add: (n: number) => (run.counters[name] = (run.counters[name] ?? 0) + n) };
      },
    },
  };
  const exports: Record<string, unknown> = {};
  const require = (name: string) => {
    if (!(name in modules)) throw new Error(`the script imports ${name}, which this stub does not provide`);
    return modules[name];
  };
  const open = (file: string) => readFileSync(join(dirname(scriptFile), file), 'utf8');
  new Function('require', 'exports', 'open', '__ENV', outputText)(require, exports, open, options.env ?? {});
  run.options = exports.options;
  const iterate = exports.default as () => void;
  for (let i = 0; i < options.iterations; i++) {
    scenario.iterationInTest = i;
    iterate();
  }
  return run;
}
