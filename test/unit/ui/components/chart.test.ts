// Time labels are local time; pin the zone so the expected strings hold on any machine.
process.env.TZ = 'UTC';

import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Chart, chartGeometry, chartTitle, formatTimeLabel, formatValue, polylinePoints, type ChartPoint } from '../../../../src/ui/components/chart.js';

const T0 = Date.UTC(2026, 0, 5, 8, 30); // a Monday
const MIN = 60_000;

function pts(values: Array<number | null>, stepMs = MIN): ChartPoint[] {
  return values.map((v, i) => ({ t: T0 + i * stepMs, v }));
}

function render(props: Parameters<typeof Chart>[0]): string {
  return String(Chart(props));
}

test('geometry: a gap breaks the line; time runs left to right, values bottom to top', () => {
  const g = chartGeometry(pts([0, 10, null, 5, 10]), 600, 160);
  assert.ok(g);
  assert.is(g.segments.length, 2);
  const [a, b] = g.segments;
  assert.equal(a, [{ x: 56, y: 140 }, { x: 190, y: 10 }]);
  assert.equal(b, [{ x: 458, y: 75 }, { x: 592, y: 10 }]);
  assert.equal([g.min, g.max, g.latest, g.start, g.end], [0, 10, 10, T0, T0 + 4 * MIN]);
  assert.is(polylinePoints(a ?? []), '56,140 190,10');
});

test('geometry: a flat series is drawn across the middle; nothing to draw is undefined', () => {
  const g = chartGeometry(pts([100, 100, 100]), 600, 160);
  assert.equal(g?.segments[0]?.map((p) => p.y), [75, 75, 75]);
  assert.is(chartGeometry([], 600, 160), undefined);
  assert.is(chartGeometry(pts([null, null]), 600, 160), undefined);
});

test('labels: HH:MM over 24 h, weekday and date over 7 days, values with at most one decimal', () => {
  assert.is(formatTimeLabel(T0, '24h'), '08:30');
  assert.is(formatTimeLabel(Date.UTC(2026, 0, 5, 23, 5), '24h'), '23:05');
  assert.is(formatTimeLabel(T0, '7d'), 'Mon 5 Jan');
  assert.is(formatValue(229.96, 'V'), '230 V');
  assert.is(formatValue(12.34, '%'), '12.3 %');
  assert.is(formatValue(3, ''), '3');
  assert.is(chartTitle('Load', '%', undefined), 'Load: no data yet');
});

test('the SVG: lines, min/max and start/end labels, an accessible title, classes and no inline style or script', () => {
  const html = render({ points: pts([20, 25, null, 30]), label: 'Load', unit: '%' });
  assert.match(html, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" class="chart" viewBox="0 0 600 160"/);
  assert.match(html, /role="img" aria-label="Load: now 30 %, lowest 20 %, highest 30 %"/);
  assert.match(html, /<title>Load: now 30 %, lowest 20 %, highest 30 %<\/title>/);
  assert.is(html.match(/<polyline class="chart-line"/g)?.length, 1, 'the run of two points');
  assert.is(html.match(/<circle class="chart-dot"/g)?.length, 1, 'the lone point after the gap');
  assert.match(html, />30 %<\/text>/);
  assert.match(html, />20 %<\/text>/);
  assert.match(html, />08:30<\/text>/);
  assert.match(html, />08:33<\/text>/);
  assert.not.match(html, /style=/i);
  assert.not.match(html, /<script/i);
  assert.not.match(html, /\son[a-z]+=/i, 'no event handler attributes either');
});

test('over more than a day and a half the time labels are dates', () => {
  const html = render({ points: pts([1, 2], 7 * 24 * 60 * MIN - 10 * MIN), label: 'Charge', unit: '%' });
  assert.match(html, />Mon 5 Jan<\/text>/);
  assert.match(html, />Mon 12 Jan<\/text>/);
  const forced = render({ points: pts([1, 2]), label: 'Charge', unit: '%', range: '7d' });
  assert.match(forced, />Mon 5 Jan<\/text>/);
});

test('no data yet: says so instead of drawing an empty frame; size follows width and height', () => {
  const html = render({ points: pts([null, null]), label: 'Runtime', unit: 's', width: 300, height: 100 });
  assert.match(html, /<text class="chart-empty" x="150" y="50"[^>]*>no data yet<\/text>/);
  assert.match(html, /viewBox="0 0 300 100" width="300" height="100"/);
  assert.not.match(html, /polyline/);
});

test('a label is text, never markup', () => {
  const html = render({ points: [], label: '<script>alert(1)</script>', unit: '"V"' });
  assert.not.match(html, /<script/);
  assert.match(html, /&lt;script&gt;/);
});

test.run();
