/** The UPS page's charts: charge, runtime, load, input voltage and power over 24 h and 7 days. */
import { Chart } from '../components/chart.js';
import type { HistoryField, HistoryRange, HistoryStore } from '../history/history-store.js';

const CHARTS: readonly [HistoryField, string, string][] = [
  ['charge', 'Battery charge', '%'],
  ['runtime', 'Runtime', 's'],
  ['load', 'Load', '%'],
  ['inputVoltage', 'Input voltage', 'V'],
  ['realpower', 'Real power', 'W'],
];

export function UpsCharts({ ups, history }: { ups: string; history: HistoryStore }) {
  const ranges: [HistoryRange, string][] = [['24h', 'Last 24 hours'], ['7d', 'Last 7 days']];
  return (
    <section>
      {ranges.map(([range, title]) => (
        <>
          <h2>{title}</h2>
          <div class="charts">
            {CHARTS.map(([field, label, unit]) => <Chart points={history.series(ups, range, field)} label={label} unit={unit} range={range} />)}
          </div>
        </>
      ))}
    </section>
  );
}
