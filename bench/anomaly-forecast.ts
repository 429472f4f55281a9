/**
 * How good are issue 19's forecasts? `npm run bench:anomaly-forecast [-- --seed N --replicates N]`
 * backtests forecastCrossing on synthetic growth series whose true crossing time is known from
 * the noiseless generator (src/anomaly/forecast-backtest.ts), with the model chosen per series
 * ("auto") and with each model forced, and prints per kind: interval coverage (the true crossing
 * inside the interval), the median absolute error of the central forecast and how often "within
 * the horizon" was right. Deterministic: the same seed gives the same figures.
 */
import { parseArgs } from 'node:util';
import {
  BACKTEST_KINDS,
  backtestForecasts,
  type BacktestSummary,
} from '../src/anomaly/forecast-backtest.ts';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '19' },
    replicates: { type: 'string', default: '20' },
  },
});
const seed = Number(values.seed);
const replicates = Number(values.replicates);

function row(label: string, s: BacktestSummary): string {
  const error = s.medianAbsErrorHours === null ? '-' : s.medianAbsErrorHours.toFixed(1);
  return [
    label.padEnd(15),
    `${(100 * s.coverage).toFixed(0)}% of ${s.withTruth}`.padStart(11),
    error.padStart(10),
    `${(100 * s.horizonAgreement).toFixed(0)}%`.padStart(9),
    `${s.methods.linear}/${s.methods.holt}`.padStart(13),
  ].join('  ');
}

for (const method of ['auto', 'linear', 'holt'] as const) {
  const report = backtestForecasts(seed, {
    replicates,
    ...(method === 'auto' ? {} : { method }),
  });
  const st = report.settings;
  console.log(
    `\nmethod ${method}: seed ${seed}, ${replicates} series per kind, ${st.historyMs / 86_400_000} days of ` +
      `${st.stepMs / 60_000}-minute points, recent window ${st.recentWindowMs / 86_400_000} days, ` +
      `horizon ${st.horizonMs / 86_400_000} days, ${100 * st.confidence}% intervals`,
  );
  console.log(
    [
      'kind'.padEnd(15),
      'coverage'.padStart(11),
      'median |err| h'.padStart(10),
      'horizon ok'.padStart(9),
      'linear/holt'.padStart(13),
    ].join('  '),
  );
  for (const kind of BACKTEST_KINDS) console.log(row(kind, report.perKind[kind]));
  console.log(row('overall', report.overall));
}
