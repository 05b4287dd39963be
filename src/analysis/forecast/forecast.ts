// SPDX-License-Identifier: Apache-2.0
// Seasonal forecast of one usage or requests series with prediction intervals (REQUIREMENTS §3.8, issue 5 item 7).
// The samples go onto a calendar-aligned grid; a damped additive Holt–Winters model (model.ts) is fitted by a small
// grid search that minimises its own out-of-sample errors at the horizons asked for, and the intervals are the
// empirical quantiles of those errors (intervals.ts). Seasonality is used only when the data can show it: a daily
// season from two days of history, a day-of-week offset from two weeks. docs/forecasting.md gives the reasons.
import { columnSamples, type Sample, type SeriesColumn } from '../../domain/series.ts';
import { confidenceOf, type Confidence } from '../confidence.ts';
import { chooseStep, chooseStepOf, gridCoverage, toGrid, type Grid } from './grid.ts';
import { fit, type Fitted, type ModelChoice } from './fit.ts';
import { pointForecast, type Shape, type Smoothing } from './model.ts';
import { seasonalNaiveValue } from './seasonal-naive.ts';
import { ForecastPath, type ForecastPoint } from './path.ts';
import { DAY_MS } from '../../domain/time.ts';

export { ForecastPath, type ForecastPoint, type ModelChoice };

/** Fewest present slots a forecast stands on. */
export const MIN_FORECAST_POINTS = 12;

/** Values at a regular step, value k at `startMs + k × stepMs` (a multiple of the step); non-finite values are absent. */
export interface RegularSeries {
  readonly startMs: number;
  readonly stepMs: number;
  readonly values: ArrayLike<number>;
}

/**
 * A column of samples as a forecast input: the regular series it already is when its times strictly ascend, end by
 * `nowMs` and sit on the grid of `stepMs` that the forecast would choose for them, with no object per point (the
 * capacity step forecasts 40,000 series of 336 hourly means a pass at the scale envelope); otherwise as samples (a
 * sparse series that the forecast grids more coarsely, a non-finite value, times out of order or past `nowMs`).
 * Either way the forecast is the same.
 */
export function columnInput(c: SeriesColumn, at: { stepMs: number; nowMs: number }): readonly Sample[] | RegularSeries {
  const { timestampsMs: ts, values } = c;
  const { stepMs } = at;
  const n = ts.length;
  const first = ts[0] ?? 0;
  if (!onGrid(c, at)) return columnSamples(c);
  const grid = new Float64Array(((ts[n - 1] as number) - first) / stepMs + 1).fill(Number.NaN);
  // + 0 as the grid of samples adds each value to a zero sum: −0 becomes 0, every other value stays as it is.
  for (let i = 0; i < n; i++) grid[((ts[i] as number) - first) / stepMs] = (values[i] as number) + 0;
  return { startMs: first, stepMs, values: grid };
}

/** Whether {@link columnInput} may pass the column as a regular series (see there). */
function onGrid(c: SeriesColumn, at: { stepMs: number; nowMs: number }): boolean {
  const { timestampsMs: ts, values } = c;
  const n = ts.length;
  const first = ts[0] ?? 0;
  if (n === 0 || first % at.stepMs !== 0 || (ts[n - 1] as number) > at.nowMs || chooseStepOf(ts) !== at.stepMs) return false;
  let previous = -Infinity;
  for (let i = 0; i < n; i++) {
    const t = ts[i] as number;
    if ((t - first) % at.stepMs !== 0 || t <= previous || !Number.isFinite(values[i])) return false;
    previous = t;
  }
  return true;
}

export interface ForecastInput {
  /**
   * Ascending samples, or a series already on a day-dividing step, its `startMs` a multiple of it (`stepMs` below is
   * then ignored): the capacity step's requests history, 40,000 series of a pass at the scale envelope, which need
   * no sample objects. Non-finite values are absent.
   */
  readonly samples: readonly Sample[] | RegularSeries;
  /** Samples after `nowMs` are ignored; the forecast runs from the last sample to `nowMs + horizonMs`. */
  readonly nowMs: number;
  readonly horizonMs: number;
  /** Grid step (a divisor of a day); default from the sample spacing and the span. */
  readonly stepMs?: number;
  /** Clamp forecasts and bounds at 0 (usage, requests, bytes); default true. */
  readonly nonNegative?: boolean;
  /** A model chosen before for this series ({@link Forecast.choice}): fitted alone when it still applies. */
  readonly reuse?: ModelChoice;
}

export interface Forecast {
  readonly status: 'ok' | 'insufficient_data';
  /** e.g. `holt-winters(daily+weekly, damped trend)`. */
  readonly method: string;
  readonly stepMs: number;
  /** The path from the slot after the last sample to the horizon (none when short of data). */
  readonly points: ForecastPath;
  readonly smoothing?: Smoothing;
  readonly seasonality: Shape;
  /** Present slots used, their share of the grid and the span of history (REQUIREMENTS §3.0). */
  readonly dataPoints: number;
  readonly coverage: number;
  readonly windowMs: number;
  readonly confidence: Confidence;
  /** Errors behind the intervals at the shortest usable checkpoint (0: no intervals could be formed, bands are 0 wide). */
  readonly residuals: number;
  /** The fitted model, to give back as {@link ForecastInput.reuse} (none for a flat or short series). */
  readonly choice?: ModelChoice;
}

function shapeOf(grid: Grid): Shape {
  const span = grid.values.length * grid.stepMs;
  return { daily: span >= 2 * DAY_MS, weekly: span >= 14 * DAY_MS };
}

/**
 * Checkpoint horizons (slots) at which errors are recorded: 1, 1/64, 1/16, 1/4, 1/2 and all of the horizon. The short
 * ones give the long ones a band to widen from when the history is too short to judge them directly.
 */
export function checkpointsFor(horizonSlots: number): number[] {
  const h = Math.max(1, horizonSlots);
  return [...new Set([1, ...[64, 16, 4, 2].map((d) => Math.ceil(h / d)), h])].sort((a, b) => a - b);
}

function methodOf(fitted: Fitted, hwName: string, stepMs: number): string {
  if (fitted.naivePeriod === undefined) return hwName;
  const naive = `seasonal-naive(${fitted.naivePeriod * stepMs >= 7 * DAY_MS ? 'weekly' : 'daily'})`;
  return fitted.state === undefined ? naive : `mean of ${hwName} and ${naive}`;
}

function methodName(shape: Shape): string {
  const seasons = [shape.daily ? 'daily' : '', shape.weekly ? 'weekly' : ''].filter((s) => s !== '').join('+');
  return `holt-winters(${seasons === '' ? 'no season' : seasons}, damped trend)`;
}

/** Point forecast k slots past the grid's last slot. */
function meanAt(fitted: Fitted, grid: Grid, k: number): number {
  const last = grid.values.length - 1;
  const tsMs = grid.startMs + (last + k) * grid.stepMs;
  const hw = fitted.state === undefined ? undefined : pointForecast(fitted.state, { k, tsMs, stepMs: grid.stepMs }, (fitted.smoothing as Smoothing).phi);
  const naive = fitted.naivePeriod === undefined ? undefined : seasonalNaiveValue(grid, { origin: last, target: last + k, period: fitted.naivePeriod });
  if (hw === undefined) return naive ?? Number.NaN;
  // A seasonal naive value lost to gaps leaves the Holt–Winters forecast alone.
  return naive === undefined || Number.isNaN(naive) ? hw : (hw + naive) / 2;
}

function pathOf(fitted: Fitted, grid: Grid, at: { slots: number; floor: number }): ForecastPath {
  const means = new Float64Array(at.slots);
  const lastTsMs = grid.startMs + (grid.values.length - 1) * grid.stepMs;
  for (let k = 1; k <= at.slots; k++) means[k - 1] = meanAt(fitted, grid, k);
  return ForecastPath.modelled({ firstTsMs: lastTsMs + grid.stepMs, stepMs: grid.stepMs }, { means, bands: fitted.table, floor: at.floor });
}

/**
 * The value of a grid whose present slots all hold the same one, else undefined. Such a series (Σ requests of a
 * namespace nobody redeployed in two weeks, a quota's used, an idle namespace's zero) is forecast flat with bands of
 * zero width, which is what every candidate model would say, without fitting them: at the scale envelope most of the
 * 40,000 requests series of a pass are like that.
 */
function constantOf(grid: Grid): number | undefined {
  let value: number | undefined;
  for (const v of grid.values) {
    if (Number.isNaN(v)) continue;
    if (value === undefined) value = v;
    else if (v !== value) return undefined;
  }
  return value;
}

/**
 * The grid of the input's samples up to `nowMs`. A regular series is that grid already once trimmed to its first and
 * last present value, as toGrid() would make of the same values as samples.
 */
function gridOf(input: ForecastInput): Grid {
  const s = input.samples;
  if (Array.isArray(s)) {
    const samples = (s as readonly Sample[]).filter((x) => x.tsMs <= input.nowMs && Number.isFinite(x.value));
    return toGrid(samples, input.stepMs ?? chooseStep(samples));
  }
  const r = s as RegularSeries;
  const upTo = Math.min(r.values.length, Math.floor((input.nowMs - r.startMs) / r.stepMs) + 1);
  let first = 0;
  while (first < upTo && !Number.isFinite(r.values[first] as number)) first++;
  let end = upTo;
  while (end > first && !Number.isFinite(r.values[end - 1] as number)) end--;
  const values = new Float64Array(Math.max(0, end - first));
  for (let k = first; k < end; k++) {
    const v = r.values[k] as number;
    values[k - first] = Number.isFinite(v) ? v : Number.NaN;
  }
  return { startMs: values.length === 0 ? 0 : r.startMs + first * r.stepMs, stepMs: r.stepMs, values };
}

/** Forecasts one series `horizonMs` past `nowMs`; `insufficient_data` (no points) below {@link MIN_FORECAST_POINTS}. */
export function forecastSeries(input: ForecastInput): Forecast {
  const grid = gridOf(input);
  const stepMs = grid.stepMs;
  const shape = shapeOf(grid);
  const dataPoints = grid.values.reduce((n, v) => (Number.isNaN(v) ? n : n + 1), 0);
  const windowMs = grid.values.length * stepMs;
  const coverage = gridCoverage(grid);
  const base = { stepMs, seasonality: shape, dataPoints, coverage, windowMs, confidence: confidenceOf(windowMs, coverage), method: methodName(shape) };
  if (dataPoints < MIN_FORECAST_POINTS) return { ...base, status: 'insufficient_data', points: ForecastPath.empty(), residuals: 0, confidence: 'low' };
  const lastTsMs = grid.startMs + (grid.values.length - 1) * stepMs;
  const slots = Math.max(1, Math.ceil((input.nowMs + input.horizonMs - lastTsMs) / stepMs));
  const floor = input.nonNegative === false ? -Infinity : 0;
  const constant = constantOf(grid);
  if (constant !== undefined) return { ...base, method: 'constant', status: 'ok', points: ForecastPath.flat({ firstTsMs: lastTsMs + stepMs, stepMs, length: slots, value: Math.max(floor, constant) }), residuals: dataPoints - 1 };
  const checkpoints = checkpointsFor(slots);
  const fitted = fit(grid, { shape, checkpoints, ...(input.reuse === undefined ? {} : { reuse: input.reuse }) });
  const points = pathOf(fitted, grid, { slots, floor });
  const method = methodOf(fitted, base.method, stepMs);
  return { ...base, method, status: 'ok', points, smoothing: fitted.smoothing, residuals: fitted.table.counts[0] ?? 0, choice: fitted.choice };
}
