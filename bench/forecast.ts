// SPDX-License-Identifier: Apache-2.0
// `npm run bench:forecast [-- --traces DIR] [--days N] [--json]`: rolling-origin evaluation of the capacity forecast
// (issue 5 item 7) on the simulator's demo scenario (weeks of cluster and namespace totals, horizons 1 h, 1 day and
// 7 days) and on real pod traces (Nezha, 15–20 h long, so only the 1 h horizon). Targets: MAE ratio against the
// seasonal naive forecast below 1; interval coverage within 5 points of 80 % and 95 %.
import { parseArgs } from 'node:util';
import { evaluateSeries, summarise, type EvalPlan, type Summary } from './forecast-eval.ts';
import { simSeries, traceSeries, type EvalSeries } from './forecast-series.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface Row extends Summary {
  readonly dataset: string;
  readonly horizon: string;
}

function evaluate(dataset: string, series: readonly EvalSeries[], plan: EvalPlan & { label: string }): Row {
  const scores = series.map((s) => evaluateSeries(s, plan));
  return { dataset, horizon: plan.label, ...summarise(scores) };
}

const pct = (v: number): string => `${(v * 100).toFixed(1)} %`;

function table(rows: readonly Row[]): string {
  const head = '| dataset | horizon | series | forecasts | MAE ratio vs seasonal naive (geo. mean) | series better | 80 % coverage | 95 % coverage |';
  const sep = '|---|---|---:|---:|---:|---:|---:|---:|';
  const body = rows.map(
    (r) => `| ${r.dataset} | ${r.horizon} | ${r.series} | ${r.forecasts} | ${r.maeRatio.toFixed(3)} | ${pct(r.seriesBetter)} | ${pct(r.coverage80)} | ${pct(r.coverage95)} |`,
  );
  return [head, sep, ...body].join('\n');
}

function main(): void {
  const { values } = parseArgs({
    options: {
      traces: { type: 'string', default: '../shared/traces/nezha' },
      days: { type: 'string', default: '28' },
      namespaces: { type: 'string', default: '3' },
      json: { type: 'boolean', default: false },
    },
  });
  const started = performance.now();
  const rows: Row[] = [];
  const days = Number(values.days);
  const sim = simSeries({ scenario: 'demo', days, stepMs: 5 * 60_000, namespaces: Number(values.namespaces) });
  const simPlan = { stepMs: 5 * 60_000, minTrainMs: 14 * DAY };
  rows.push(evaluate('sim-demo', sim, { ...simPlan, label: '1 h', horizonMs: HOUR, originEveryMs: 12 * HOUR }));
  rows.push(evaluate('sim-demo', sim, { ...simPlan, label: '1 day', horizonMs: DAY, originEveryMs: 12 * HOUR }));
  rows.push(evaluate('sim-demo', sim, { ...simPlan, label: '7 days', horizonMs: 7 * DAY, originEveryMs: 12 * HOUR }));
  const traces = traceSeries(values.traces);
  if (traces.length > 0) {
    rows.push(evaluate('nezha (real)', traces, { label: '1 h', horizonMs: HOUR, stepMs: 60_000, minTrainMs: 4 * HOUR, originEveryMs: HOUR }));
  }
  if (values.json) console.log(JSON.stringify(rows, null, 2));
  else console.log(table(rows));
  console.log(`\n(${((performance.now() - started) / 1000).toFixed(1)} s)`);
}

main();
