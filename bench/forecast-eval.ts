// SPDX-License-Identifier: Apache-2.0
// Rolling-origin evaluation of the seasonal forecast. At each origin the model sees only the samples up to it and
// forecasts the slot `horizon` ahead; the seasonal naive forecast at the same origin is the value one season
// earlier than the target (a day; the latest value when less than a day of history exists, as on the Nezha
// traces). Scores: the relative MAE (model ÷ seasonal naive) per series, summarised by the geometric mean across
// series (scale-free), and the share of targets inside the 80 % and 95 % prediction intervals.
import { forecastSeries } from '../src/analysis/forecast/forecast.ts';
import { toGrid, type Grid } from '../src/analysis/forecast/grid.ts';
import type { EvalSeries } from './forecast-series.ts';
import { DAY_MS } from '../src/domain/time.ts';

export interface EvalPlan {
  readonly horizonMs: number;
  readonly stepMs: number;
  /** History before the first origin. */
  readonly minTrainMs: number;
  readonly originEveryMs: number;
}

export interface SeriesScore {
  readonly name: string;
  readonly forecasts: number;
  readonly maeModel: number;
  readonly maeNaive: number;
  readonly in80: number;
  readonly in95: number;
}

function seasonalNaive(grid: Grid, origin: number, target: number): number {
  const m = Math.round(DAY_MS / grid.stepMs);
  // Less than a season of history: the naive forecast (the latest present value).
  if (origin + 1 < m) return lastPresent(grid, origin);
  for (let i = target - m * Math.ceil((target - origin) / m); i >= 0; i -= m) {
    const v = grid.values[i] as number;
    if (!Number.isNaN(v)) return v;
  }
  return lastPresent(grid, origin);
}

function lastPresent(grid: Grid, origin: number): number {
  for (let i = origin; i >= 0; i--) if (!Number.isNaN(grid.values[i] as number)) return grid.values[i] as number;
  return Number.NaN;
}

export function evaluateSeries(series: EvalSeries, plan: EvalPlan): SeriesScore {
  const grid = toGrid(series.samples, plan.stepMs);
  const h = Math.round(plan.horizonMs / plan.stepMs);
  const every = Math.max(1, Math.round(plan.originEveryMs / plan.stepMs));
  const first = Math.round(plan.minTrainMs / plan.stepMs);
  let n = 0;
  let model = 0;
  let naive = 0;
  let in80 = 0;
  let in95 = 0;
  for (let o = first; o + h < grid.values.length; o += every) {
    const actual = grid.values[o + h] as number;
    const cutMs = grid.startMs + (o + 1) * plan.stepMs;
    if (Number.isNaN(actual) || Number.isNaN(grid.values[o] as number)) continue;
    const f = forecastSeries({ samples: series.samples.filter((s) => s.tsMs < cutMs), nowMs: cutMs - plan.stepMs, horizonMs: plan.horizonMs, stepMs: plan.stepMs });
    const p = f.points.at(h - 1);
    if (p === undefined) continue;
    n++;
    model += Math.abs(actual - p.mean);
    naive += Math.abs(actual - seasonalNaive(grid, o, o + h));
    if (actual >= p.lower80 && actual <= p.upper80) in80++;
    if (actual >= p.lower95 && actual <= p.upper95) in95++;
  }
  return { name: series.name, forecasts: n, maeModel: model / Math.max(1, n), maeNaive: naive / Math.max(1, n), in80, in95 };
}

export interface Summary {
  readonly series: number;
  readonly forecasts: number;
  /** Geometric mean over series of MAE(model) ÷ MAE(seasonal naive). */
  readonly maeRatio: number;
  /** Share of series whose ratio is below 1. */
  readonly seriesBetter: number;
  readonly coverage80: number;
  readonly coverage95: number;
}

export function summarise(scores: readonly SeriesScore[]): Summary {
  const usable = scores.filter((s) => s.forecasts > 0 && s.maeNaive > 0 && s.maeModel > 0);
  const logSum = usable.reduce((a, s) => a + Math.log(s.maeModel / s.maeNaive), 0);
  const forecasts = scores.reduce((a, s) => a + s.forecasts, 0);
  return {
    series: usable.length,
    forecasts,
    maeRatio: Math.exp(logSum / Math.max(1, usable.length)),
    seriesBetter: usable.filter((s) => s.maeModel < s.maeNaive).length / Math.max(1, usable.length),
    coverage80: scores.reduce((a, s) => a + s.in80, 0) / Math.max(1, forecasts),
    coverage95: scores.reduce((a, s) => a + s.in95, 0) / Math.max(1, forecasts),
  };
}
