// The 24-hour charts, drawn as inline SVG (no library): one stacked bar per hour by outcome, and each
// hour's response-time percentiles as lines. Screen readers get a one-sentence summary of each.
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
    p ? responseTimeChart(buckets, p) : null,
    h('p', {}, p ? `Response time: p50 ${p.p50} ms · p90 ${p.p90} ms · p99 ${p.p99} ms` : 'Response time: no attempt in the last 24 hours.'),
    stats.truncated ? h('p.note', {}, 'Only the most recent deliveries were counted: the chart shows part of a busy day.') : null);
}

const PERCENTILES = ['p50', 'p90', 'p99'];

/** Each hour's response-time percentiles as three lines over the same 24 hours; an hour without attempts is a gap. */
function responseTimeChart(buckets, overall) {
  const width = 480, height = 110, left = 28, bottom = 18;
  const step = (width - left) / Math.max(1, buckets.length);
  const max = Math.max(1, ...buckets.flatMap((b) => (b.responseTimeMs ? PERCENTILES.map((q) => b.responseTimeMs[q]) : [])));
  const label = `Response time per hour over the last 24 hours, in milliseconds; over the whole day p50 ${overall.p50}, p90 ${overall.p90}, p99 ${overall.p99}.`;
  const svg = s('svg', { class: 'response-times', viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': label, focusable: 'false' });
  svg.append(s('line', { class: 'axis', x1: left, y1: height - bottom, x2: width, y2: height - bottom }));
  svg.append(s('text', { x: 0, y: 10 }, `${Math.round(max)} ms`), s('text', { x: 0, y: height - bottom }, '0'));
  const x = (i) => (left + i * step + step / 2).toFixed(1);
  const y = (ms) => (height - bottom - (ms / max) * (height - bottom - 12)).toFixed(1);
  for (const q of PERCENTILES) {
    let run = [];
    const flush = () => { if (run.length > 1) svg.append(s('polyline', { class: `line ${q}`, points: run.join(' ') })); run = []; };
    buckets.forEach((b, i) => {
      const ms = b.responseTimeMs?.[q];
      if (ms === undefined) { flush(); return; }
      run.push(`${x(i)},${y(ms)}`);
      svg.append(s('circle', { class: `point ${q}`, cx: x(i), cy: y(ms), r: 2.5 },
        s('title', {}, `${new Date(b.start).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}: ${q} ${ms} ms`)));
    });
    flush();
  }
  return h('div', {}, svg, h('ul.legend', { 'aria-hidden': 'true' }, PERCENTILES.map((q) => h('li', {}, h('span.swatch.' + q), q))));
}
