/* shipgate report charts: canary vs baseline per metric, drawn with uPlot (inlined).
 * Reads the JSON island #shipgate-data; marks the rollout steps as shaded bands with
 * their weights, and the rollback or promotion moment as a vertical line with a label
 * (a DOM element over the plot, so it is also visible to tests and assistive tools). */
(() => {
  const island = document.getElementById('shipgate-data');
  if (!island || typeof uPlot === 'undefined') return;
  const data = JSON.parse(island.textContent);
  const css = getComputedStyle(document.documentElement);
  const color = (name, fallback) => css.getPropertyValue(name).trim() || fallback;
  const COLORS = {
    canary: color('--canary', '#d9480f'),
    baseline: color('--baseline', '#1c64f2'),
    fail: color('--fail', '#b42318'),
    pass: color('--pass', '#067647'),
  };

  function fmt(v, unit) {
    if (v === null || v === undefined || !Number.isFinite(v)) return 'no data';
    if (unit === 'ratio') return `${+(v * 100).toFixed(Math.abs(v) < 0.01 && v !== 0 ? 2 : 1)}%`;
    if (unit === 'seconds') return v < 1 ? `${Math.round(v * 1000)} ms` : `${+v.toFixed(2)} s`;
    return String(+v.toFixed(3));
  }

  function axisFmt(unit) {
    return (_u, splits) =>
      splits.map((v) => {
        if (v === null) return '';
        if (unit === 'ratio') return `${+(v * 100).toFixed(2)}%`;
        if (unit === 'seconds') return `${+v.toFixed(2)}s`;
        return String(+v.toFixed(3));
      });
  }

  /** Bands behind the series (one per rollout step) and the decision line on top. */
  function rolloutPlugin(steps, decision, xMax) {
    const ratio = uPlot.pxRatio || 1;
    let marker = null;
    return {
      hooks: {
        drawClear: [
          (u) => {
            const { ctx, bbox } = u;
            ctx.save();
            ctx.beginPath();
            ctx.rect(bbox.left, bbox.top, bbox.width, bbox.height);
            ctx.clip();
            steps.forEach((step, i) => {
              const x0 = u.valToPos(step.start / 1000, 'x', true);
              const x1 = u.valToPos((step.end ?? xMax) / 1000, 'x', true);
              // Darker bands for heavier canary weight: more customers exposed.
              const alpha = 0.08 + 0.22 * Math.min(1, step.weight / 100);
              ctx.fillStyle = i % 2 ? `rgba(217,72,15,${alpha})` : `rgba(217,72,15,${alpha * 0.75})`;
              ctx.fillRect(x0, bbox.top, Math.max(0, x1 - x0), bbox.height);
              ctx.fillStyle = '#7a2e0e';
              ctx.font = `${600} ${11 * ratio}px system-ui, sans-serif`;
              ctx.textBaseline = 'bottom';
              if (x1 - x0 > 26 * ratio)
                ctx.fillText(`${step.weight}%`, x0 + 4 * ratio, bbox.top + bbox.height - 3 * ratio);
            });
            ctx.restore();
          },
        ],
        draw: [
          (u) => {
            if (!decision) return;
            const { ctx, bbox } = u;
            const x = u.valToPos(decision.at / 1000, 'x', true);
            ctx.save();
            ctx.strokeStyle = decision.action === 'promote' ? COLORS.pass : COLORS.fail;
            ctx.lineWidth = 2 * ratio;
            ctx.setLineDash([6 * ratio, 3 * ratio]);
            ctx.beginPath();
            ctx.moveTo(x, bbox.top);
            ctx.lineTo(x, bbox.top + bbox.height);
            ctx.stroke();
            ctx.restore();
            // The labelled DOM marker over the plot, positioned in CSS pixels.
            if (!marker) {
              marker = document.createElement('div');
              marker.className = `sg-marker ${decision.action === 'promote' ? 'promote' : 'rollback'}`;
              marker.setAttribute('role', 'img');
              marker.setAttribute('aria-label', decision.label);
              marker.title = decision.label;
              const label = document.createElement('span');
              label.textContent = decision.short;
              marker.appendChild(label);
              u.over.appendChild(marker);
            }
            const left = u.valToPos(decision.at / 1000, 'x');
            marker.style.left = `${left}px`;
            marker.classList.toggle('flip', left > u.over.clientWidth - 90);
          },
        ],
      },
    };
  }

  const charts = [];
  const steps = data.steps || [];
  const decision = data.decision || null;

  for (const s of data.series) {
    const el = document.getElementById(`chart-${s.metric}`);
    if (!el) continue;
    const xs = s.t.map((ms) => ms / 1000);
    const hasData = s.canary.some((v) => v !== null) || s.baseline.some((v) => v !== null);
    if (!xs.length || !hasData) {
      el.textContent = 'No data was collected for this metric.';
      el.className += ' chart-empty';
      continue;
    }
    const times = s.t.concat(
      steps.map((st) => st.start),
      decision ? [decision.at] : [],
    );
    const ends = steps.map((st) => st.end).filter((e) => e !== null && e !== undefined);
    const xMin = Math.min(...times);
    // A single instant still needs a width to draw: widen by a minute either side.
    const xMax = Math.max(...times, ...ends, xMin + 60_000);
    const sloValue = s.slo ? s.slo.value : null;
    const seriesData = [xs, s.canary, s.baseline];
    const series = [
      {},
      {
        label: 'Canary (new)',
        stroke: COLORS.canary,
        width: 2.5,
        spanGaps: false,
        value: (_u, v) => fmt(v, s.unit),
      },
      {
        label: 'Baseline (current)',
        stroke: COLORS.baseline,
        width: 2,
        dash: [6, 4],
        value: (_u, v) => fmt(v, s.unit),
      },
    ];
    if (sloValue !== null) {
      seriesData.push(xs.map(() => sloValue));
      series.push({
        label: 'SLO',
        stroke: '#667085',
        width: 1.5,
        dash: [2, 4],
        points: { show: false },
        value: (_u, v) => fmt(v, s.unit),
      });
    }
    el.textContent = '';
    const width = () => Math.max(240, el.clientWidth);
    const height = () => (el.clientWidth < 480 ? 200 : 240);
    const u = new uPlot(
      {
        width: width(),
        height: height(),
        tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
        scales: { x: { time: true, range: [xMin / 1000, xMax / 1000] } },
        axes: [{ stroke: '#5b6476' }, { stroke: '#5b6476', values: axisFmt(s.unit), size: 56 }],
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        series,
        plugins: [rolloutPlugin(steps, decision, xMax)],
      },
      seriesData,
      el,
    );
    charts.push({ el, u });
    el.dataset.rendered = 'true';
  }

  let pending = 0;
  window.addEventListener('resize', () => {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(() => {
      for (const { el, u } of charts)
        u.setSize({ width: Math.max(240, el.clientWidth), height: el.clientWidth < 480 ? 200 : 240 });
    });
  });

  // For automated checks (and curious readers): what each chart holds.
  window.shipgateCharts = charts.map(({ el, u }) => ({
    metric: el.dataset.metric,
    points: u.data[0].length,
    canaryPoints: u.data[1].filter((v) => v !== null).length,
    baselinePoints: u.data[2].filter((v) => v !== null).length,
  }));
})();
