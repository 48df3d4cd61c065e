/* In-page probes for the report tests, injected with page.addInitScript. Plain JS so
 * the project's TypeScript (Node types, no DOM lib) need not know browser globals. */
window.shipgateProbes = {
  /** Per chart canvas: pixels in the canary and baseline colours (opaque only: bands are translucent). */
  ink() {
    const near = (d, i, r, g, b) =>
      Math.abs(d[i] - r) < 40 && Math.abs(d[i + 1] - g) < 40 && Math.abs(d[i + 2] - b) < 40 && d[i + 3] > 200;
    return [...document.querySelectorAll('.chart')].map((chart) => {
      const canvas = chart.querySelector('canvas');
      const out = { metric: chart.dataset.metric, canary: 0, baseline: 0, ink: 0 };
      if (!canvas) return out;
      const { data } = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] > 0) out.ink++;
        if (near(data, i, 0xd9, 0x48, 0x0f)) out.canary++;
        if (near(data, i, 0x1c, 0x64, 0xf2)) out.baseline++;
      }
      return out;
    });
  },
  charts() {
    return window.shipgateCharts ?? null;
  },
  scrollWidth() {
    return document.documentElement.scrollWidth;
  },
  /** Parses XML with the browser's conformant XML 1.0 parser and summarises a JUnit file. */
  parseJunit(text) {
    const doc = new DOMParser().parseFromString(text, 'application/xml');
    const error = doc.querySelector('parsererror');
    if (error) return { error: error.textContent, suites: [], cases: [] };
    const suites = [...doc.querySelectorAll('testsuite')].map((s) => ({
      name: s.getAttribute('name') ?? '',
      tests: s.getAttribute('tests') ?? '',
      failures: s.getAttribute('failures') ?? '',
      errors: s.getAttribute('errors') ?? '',
    }));
    const cases = [...doc.querySelectorAll('testcase')].map((c) => {
      const outcome = c.querySelector('failure, error, skipped');
      return {
        name: c.getAttribute('name') ?? '',
        kind: outcome?.tagName ?? 'pass',
        message: outcome?.getAttribute('message') ?? null,
        body: (outcome ?? c.querySelector('system-out'))?.textContent ?? '',
      };
    });
    return { error: null, suites, cases };
  },
};
