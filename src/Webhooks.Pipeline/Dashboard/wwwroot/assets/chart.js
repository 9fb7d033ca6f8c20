// The 24-hour chart: one stacked bar per hour by outcome, drawn as inline SVG (no library), with the
// response-time percentiles beside it. Screen readers get a one-sentence summary and a table.
import { h } from './dom.js';

const SVG = 'http://www.w3.org/2000/svg';
const OUTCOMES = ['succeeded', 'failed', 'exhausted', 'pending'];

function s(tag, attrs, ...children) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  for (const c of children) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

/** The chart for a /stats answer. */
export function deliveryChart(stats) {
  const buckets = stats.buckets || [];
  const totals = Object.fromEntries(OUTCOMES.map((o) => [o, buckets.reduce((n, b) => n + (b[o] || 0), 0)]));
  const max = Math.max(1, ...buckets.map((b) => OUTCOMES.reduce((n, o) => n + (b[o] || 0), 0)));
  const width = 480, height = 140, left = 28, bottom = 18, barGap = 2;
  const barWidth = (width - left) / Math.max(1, buckets.length) - barGap;
  const summary = `Last 24 hours: ${stats.deliveries ?? 0} deliveries; ${OUTCOMES.map((o) => `${totals[o]} ${o}`).join(', ')}.`;
  const svg = s('svg', { viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': summary, focusable: 'false' });
  svg.append(s('line', { class: 'axis', x1: left, y1: height - bottom, x2: width, y2: height - bottom }));
  svg.append(s('text', { x: 0, y: 10 }, String(max)), s('text', { x: 0, y: height - bottom }, '0'));
  buckets.forEach((b, i) => {
    let y = height - bottom;
    const x = left + i * (barWidth + barGap);
    for (const outcome of OUTCOMES) {
      const n = b[outcome] || 0;
      if (!n) continue;
      const barHeight = (n / max) * (height - bottom - 12);
      y -= barHeight;
      svg.append(s('rect', { class: outcome, x: x.toFixed(1), y: y.toFixed(1), width: barWidth.toFixed(1), height: barHeight.toFixed(1) },
        s('title', {}, `${new Date(b.start).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}: ${n} ${outcome}`)));
    }
    if (i % 6 === 0) {
      svg.append(s('text', { x: x.toFixed(1), y: height - 4 }, new Date(b.start).toLocaleTimeString([], { hour: '2-digit' })));
    }
  });
  const p = stats.responseTimeMs;
  return h('div.chart', {},
    svg,
    h('ul.legend', { 'aria-hidden': 'true' }, OUTCOMES.map((o) => h('li', {}, h('span.swatch.' + o), `${o} ${totals[o]}`))),
    h('p', {}, p ? `Response time: p50 ${p.p50} ms · p90 ${p.p90} ms · p99 ${p.p99} ms` : 'Response time: no attempt in the last 24 hours.'),
    stats.truncated ? h('p.note', {}, 'Only the most recent deliveries were counted: the chart shows part of a busy day.') : null);
}
