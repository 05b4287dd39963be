// SPDX-License-Identifier: Apache-2.0
// Model choice of a forecast (forecast.ts): damped Holt–Winters weight sets and seasonal naive forecasts compete on
// their own out-of-sample errors at the checkpoint horizons. The choice can be kept and given back (ModelChoice): a
// scope whose model was chosen within the last day is fitted again with that model alone, which is what a pass over
// tens of thousands of scopes needs, instead of searching every pass (docs/forecasting.md).
import type { Grid } from './grid.ts';
import { bandTable, MIN_ERRORS, type BandTable } from './intervals.ts';
import { initSlots, prepare, run, views, type Errors, type Shape, type Smoothing, type State } from './model.ts';
import { seasonalNaiveErrors } from './seasonal-naive.ts';
import { HOUR_MS, DAY_MS } from '../../domain/time.ts';

/** The model a fit chose, to fit again without the search: for the same grid step and seasons only. */
export interface ModelChoice {
  readonly stepMs: number;
  readonly shape: Shape;
  readonly smoothing?: Smoothing;
  readonly naivePeriod?: number;
}

export interface Fitted {
  /** Holt–Winters weights and state, the season (slots) of a seasonal naive forecast, or both: their mean. */
  readonly smoothing?: Smoothing;
  readonly state?: State;
  readonly naivePeriod?: number;
  readonly table: BandTable;
}

/** Level speeds tried, slow to fast. */
const ALPHAS = [0.03, 0.1, 0.25, 0.5, 0.8, 1];

/**
 * The weight grid: level speed × season speed × trend (none, or damped). The damped trend halves over half the
 * horizon (at least an hour): a trend is believed about as far as it is asked to reach, not for ever.
 */
function weightGrid(shape: Shape, grid: { stepMs: number; horizonSlots: number }): { gammas: number[]; phi: number } {
  const halfLifeSlots = Math.max(HOUR_MS / grid.stepMs, grid.horizonSlots / 2);
  return { gammas: shape.daily ? [0.2, 0.05, 0.5] : [0], phi: 0.5 ** (1 / halfLifeSlots) };
}

/**
 * Searches the weight grid one axis at a time instead of trying all 36 sets: the level speed first (season speed at
 * its middle, no trend), then the season speed at the best level speed, then the damped trend at both. Each step
 * keeps the best so far, so the result is never worse on the loss than the starting point; a forecast runs the
 * recursion 9 times instead of 36, and tens of thousands of scopes are forecast per pass.
 */
function searchWeights(shape: Shape, grid: { stepMs: number; horizonSlots: number }, score: (w: Smoothing) => Candidate): Candidate {
  const { gammas, phi } = weightGrid(shape, grid);
  const g0 = gammas[0] as number;
  let best: Candidate | undefined;
  let alpha = ALPHAS[0] as number;
  for (const a of ALPHAS) {
    const c = score({ alpha: a, beta: 0, gamma: g0, phi: 1 });
    if (best === undefined || c.loss < best.loss) [best, alpha] = [c, a];
  }
  let gamma = g0;
  for (const g of gammas.slice(1)) {
    const c = score({ alpha, beta: 0, gamma: g, phi: 1 });
    if (c.loss < (best as Candidate).loss) [best, gamma] = [c, g];
  }
  return better(best, score({ alpha, beta: alpha * 0.05, gamma, phi }));
}

/**
 * Mean over the checkpoints with enough errors of their mean absolute error: the whole path to the horizon counts,
 * which is steadier than the last checkpoint alone (fewer independent outcomes). A short history may have no such
 * checkpoint; then every checkpoint with any error counts, and Infinity means there was none at all.
 */
function lossOf(aligned: Errors): number {
  // Count and mean absolute error of each checkpoint in one pass, without copying its errors out (a dozen candidates
  // a forecast, tens of thousands of forecasts a pass), into arrays of numbers: a typed array per call cost more to
  // allocate than the sums.
  const counts: number[] = [];
  const means: number[] = [];
  for (let c = 0; c < aligned.length; c++) {
    const e = aligned[c] as Float64Array;
    let n = 0;
    let abs = 0;
    for (let i = 0; i < e.length; i++) {
      const v = e[i] as number;
      if (Number.isNaN(v)) continue;
      n++;
      abs += Math.abs(v);
    }
    counts[c] = n;
    means[c] = abs / n;
  }
  const enough = counts.some((n) => n >= MIN_ERRORS) ? MIN_ERRORS : 1;
  let sum = 0;
  let used = 0;
  for (let c = 0; c < aligned.length; c++) {
    if ((counts[c] as number) < enough) continue;
    sum += means[c] as number;
    used++;
  }
  return used === 0 ? Infinity : sum / used;
}

/** Season lengths (slots) of the seasonal naive candidates: a day, and a week from two weeks of history. */
function naivePeriods(shape: Shape, stepMs: number): number[] {
  const day = Math.round(DAY_MS / stepMs);
  return [...(shape.daily ? [day] : []), ...(shape.weekly ? [7 * day] : [])];
}

interface Candidate {
  readonly fitted: Omit<Fitted, 'table'>;
  readonly errors: Errors;
  readonly loss: number;
}

function better(a: Candidate | undefined, b: Candidate): Candidate {
  return a === undefined || b.loss < a.loss ? b : a;
}

/** The equal-weight mean of two forecasts, whose errors are the mean of theirs slot by slot. */
function combine(a: Candidate, b: Candidate): Candidate {
  const errors = views(a.errors.map((e) => e.length));
  a.errors.forEach((e, c) => {
    const other = b.errors[c] as Float64Array;
    const mean = errors[c] as Float64Array;
    for (let i = 0; i < e.length; i++) mean[i] = ((e[i] as number) + (other[i] as number)) / 2;
  });
  return { fitted: { ...a.fitted, ...b.fitted }, errors, loss: lossOf(errors) };
}

/** A model choice applies to a grid of the same step and seasons (a grown history may add the weekly one). */
function applies(choice: ModelChoice | undefined, grid: Grid, shape: Shape): choice is ModelChoice {
  return choice !== undefined && choice.stepMs === grid.stepMs && choice.shape.daily === shape.daily && choice.shape.weekly === shape.weekly;
}

/**
 * Model choice: every Holt–Winters weight set, the seasonal naive forecasts and the mean of the best of each compete
 * on their own out-of-sample errors at the horizons asked for; the smallest mean absolute error wins. Averaging two
 * different forecasts often beats both (their errors partly cancel), which is why the mean is a candidate. With a
 * `reuse` choice that applies, only that model runs (its errors still give the intervals).
 */
export function fit(grid: Grid, o: { shape: Shape; checkpoints: readonly number[]; reuse?: ModelChoice }): Fitted & { choice: ModelChoice } {
  const { shape, checkpoints } = o;
  const horizonSlots = checkpoints[checkpoints.length - 1] as number;
  const prepared = prepare(grid, shape, horizonSlots);
  const score = (smoothing: Smoothing): Candidate => {
    const result = run(grid, { shape, smoothing, prepared }, checkpoints);
    return { fitted: { smoothing, state: result.state }, errors: result.errors, loss: lossOf(result.errors) };
  };
  const warm = initSlots(grid, shape);
  const naiveOf = (period: number): Candidate => {
    const errors = seasonalNaiveErrors(grid, { period, warm }, checkpoints);
    return { fitted: { naivePeriod: period }, errors, loss: lossOf(errors) };
  };
  const best = applies(o.reuse, grid, shape) ? reused(o.reuse, { score, naiveOf }) : searched(shape, { stepMs: grid.stepMs, horizonSlots, score, naiveOf });
  const choice: ModelChoice = { stepMs: grid.stepMs, shape, ...(best.fitted.smoothing === undefined ? {} : { smoothing: best.fitted.smoothing }), ...(best.fitted.naivePeriod === undefined ? {} : { naivePeriod: best.fitted.naivePeriod }) };
  return { ...best.fitted, table: bandTable(checkpoints, best.errors), choice };
}

type Scorers = { readonly score: (w: Smoothing) => Candidate; readonly naiveOf: (period: number) => Candidate };

function searched(shape: Shape, o: Scorers & { stepMs: number; horizonSlots: number }): Candidate {
  const hw = searchWeights(shape, o, o.score);
  let naive: Candidate | undefined;
  for (const period of naivePeriods(shape, o.stepMs)) naive = better(naive, o.naiveOf(period));
  return naive === undefined ? hw : better(better(hw, naive), combine(hw, naive));
}

/** The kept model alone: its Holt–Winters weights, its seasonal naive period, or the mean of both. */
function reused(choice: ModelChoice, o: Scorers): Candidate {
  const hw = choice.smoothing === undefined ? undefined : o.score(choice.smoothing);
  const naive = choice.naivePeriod === undefined ? undefined : o.naiveOf(choice.naivePeriod);
  if (hw !== undefined && naive !== undefined) return combine(hw, naive);
  return (hw ?? naive) as Candidate;
}

