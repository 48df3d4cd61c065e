import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * The static parts inlined into report.html: uPlot (a maintained, small canvas chart
 * library) and its CSS from node_modules, plus our own stylesheet and chart script.
 * Read once per process; rendering stays a function of the report alone.
 */
export interface HtmlAssets {
  uplotJs: string;
  uplotCss: string;
  css: string;
  chartsJs: string;
}

let cached: HtmlAssets | undefined;

export function htmlAssets(): HtmlAssets {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const dist = (file: string) => readFileSync(require.resolve(`uplot/dist/${file}`), 'utf8');
  const local = (file: string) => readFileSync(new URL(`./${file}`, import.meta.url), 'utf8');
  cached = {
    uplotJs: scriptSafe(dist('uPlot.iife.min.js')),
    uplotCss: dist('uPlot.min.css'),
    css: local('report.css'),
    chartsJs: scriptSafe(local('charts.client.js')),
  };
  return cached;
}

/** A script body must never contain `</script` (it would end the element early). */
function scriptSafe(js: string): string {
  return js.replace(/<\/(script)/gi, '<\\/$1');
}
