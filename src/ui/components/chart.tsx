/**
 * A line chart rendered on the server as inline SVG: the page works without JavaScript, and its
 * CSP (no inline scripts, no inline styles) holds because everything here is SVG presentation
 * attributes and class names (chart, chart-line, chart-dot, chart-axis, chart-label, chart-empty)
 * the stylesheet can restyle. The geometry is a pure function so it is tested without a DOM.
 */
import type { Child } from 'hono/jsx';

export interface ChartPoint {
  /** Wall-clock ms. */
  t: number;
  /** null = no data: the line breaks there rather than drawing through what nobody measured. */
  v: number | null;
}

export type ChartRange = '24h' | '7d';

export interface ChartProps {
  points: ReadonlyArray<ChartPoint>;
  label: string;
  unit: string;
  width?: number;
  height?: number;
  /** Picks the time labels (HH:MM or weekday + date); guessed from the time span when absent. */
  range?: ChartRange;
}

export interface XY {
  x: number;
  y: number;
}

export interface ChartGeometry {
  /** Runs of consecutive points with data; a gap (null) starts a new run. */
  segments: XY[][];
  min: number;
  max: number;
  /** Newest value with data. */
  latest: number;
  start: number;
  end: number;
  plot: { left: number; top: number; right: number; bottom: number };
}

/** Room for the y labels on the left and the time labels below. */
const PAD = { left: 56, right: 8, top: 10, bottom: 20 };

/** Where each point goes in a width x height box; undefined when no point has data. */
export function chartGeometry(points: ReadonlyArray<ChartPoint>, width: number, height: number): ChartGeometry | undefined {
  const values = points.flatMap((p) => (p.v === null || !Number.isFinite(p.v) ? [] : [p.v]));
  const first = points[0];
  const last = points[points.length - 1];
  if (values.length === 0 || !first || !last) return undefined;
  const min = Math.min(...values);
  const max = Math.max(...values);
  const plot = { left: PAD.left, top: PAD.top, right: width - PAD.right, bottom: height - PAD.bottom };
  const spanT = last.t - first.t;
  const spanV = max - min;
  const x = (t: number): number => (spanT > 0 ? plot.left + ((t - first.t) / spanT) * (plot.right - plot.left) : (plot.left + plot.right) / 2);
  // A flat series (charge at 100 % all day) is drawn across the middle, not glued to an edge.
  const y = (v: number): number => (spanV > 0 ? plot.bottom - ((v - min) / spanV) * (plot.bottom - plot.top) : (plot.top + plot.bottom) / 2);
  const segments: XY[][] = [];
  let run: XY[] | undefined;
  for (const p of points) {
    if (p.v === null || !Number.isFinite(p.v)) {
      run = undefined;
      continue;
    }
    if (!run) segments.push((run = []));
    run.push({ x: round1(x(p.t)), y: round1(y(p.v)) });
  }
  return { segments, min, max, latest: values[values.length - 1] as number, start: first.t, end: last.t, plot };
}

/** The `points` attribute of a polyline. */
export function polylinePoints(segment: ReadonlyArray<XY>): string {
  return segment.map((p) => `${p.x},${p.y}`).join(' ');
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A time label in the gateway's local time: HH:MM over 24 h, "Mon 12 Jan" over 7 days. */
export function formatTimeLabel(t: number, range: ChartRange): string {
  const d = new Date(t);
  if (range === '24h') return `${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
  return `${WEEKDAYS[d.getDay()]} ${d.getDate()} ${MONTHS[d.getMonth()]}`;
}

/** A value label: at most one decimal, none when it is whole. */
export function formatValue(v: number, unit: string): string {
  const text = String(round1(v));
  return unit ? `${text} ${unit}` : text;
}

/** What a screen reader says for the chart (and what a mouse shows on hover). */
export function chartTitle(label: string, unit: string, geometry: ChartGeometry | undefined): string {
  if (!geometry) return `${label}: no data yet`;
  return `${label}: now ${formatValue(geometry.latest, unit)}, lowest ${formatValue(geometry.min, unit)}, highest ${formatValue(geometry.max, unit)}`;
}

export function Chart(props: ChartProps): Child {
  const width = props.width ?? 600;
  const height = props.height ?? 160;
  const g = chartGeometry(props.points, width, height);
  const title = chartTitle(props.label, props.unit, g);
  return (
    <svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox={`0 0 ${width} ${height}`} width={width} height={height} role="img" aria-label={title}>
      <title>{title}</title>
      {g ? plotted(g, props, width, height) : (
        <text class="chart-empty" x={width / 2} y={height / 2} text-anchor="middle" dominant-baseline="middle">
          no data yet
        </text>
      )}
    </svg>
  );
}

function plotted(g: ChartGeometry, props: ChartProps, width: number, height: number): Child {
  const range = props.range ?? (g.end - g.start > 36 * 3_600_000 ? '7d' : '24h');
  const { left, top, right, bottom } = g.plot;
  return (
    <>
      <line class="chart-axis" x1={left} y1={bottom} x2={right} y2={bottom} stroke="currentColor" stroke-opacity="0.3" />
      <text class="chart-label" x={left - 4} y={top} text-anchor="end" dominant-baseline="hanging">
        {formatValue(g.max, props.unit)}
      </text>
      <text class="chart-label" x={left - 4} y={bottom} text-anchor="end">
        {formatValue(g.min, props.unit)}
      </text>
      <text class="chart-label" x={left} y={height - 4} text-anchor="start">
        {formatTimeLabel(g.start, range)}
      </text>
      <text class="chart-label" x={width - PAD.right} y={height - 4} text-anchor="end">
        {formatTimeLabel(g.end, range)}
      </text>
      {g.segments.map((s) =>
        // A lone point between two gaps has no line to be part of: a dot keeps it visible.
        s.length === 1 ? (
          <circle class="chart-dot" cx={s[0]?.x} cy={s[0]?.y} r="1.5" fill="currentColor" />
        ) : (
          <polyline class="chart-line" points={polylinePoints(s)} fill="none" stroke="currentColor" stroke-width="1.5" stroke-linejoin="round" />
        ),
      )}
    </>
  );
}

function pad2(n: number): string {
  return String(n).padStart(2, '0');
}

function round1(v: number): number {
  return Math.round(v * 10) / 10;
}
