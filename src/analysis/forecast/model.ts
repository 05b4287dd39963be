// SPDX-License-Identifier: Apache-2.0
// The seasonal model behind every forecast: additive Holt–Winters in error-correction form with a damped trend, a
// daily season (one coefficient per slot of the day) and, from two weeks of history, a day-of-week offset. Phases
// come from the slot's calendar time, so a gap in the data never shifts the season. A missing slot advances level
// and trend without an update. The recursion is online, so the h-step errors it records while running are honest
// out-of-sample errors: the prediction intervals are built from them (see docs/forecasting.md).
import type { Grid } from './grid.ts';
import { DAY_MS } from '../../domain/time.ts';

/**
 * Arrays of the given lengths as views of one buffer, every value `fill`: a forecast runs the recursion about a dozen
 * times with an array per checkpoint, and a typed array each cost more to allocate than to fill.
 */
export function views(lengths: readonly number[], fill = 0): Float64Array[] {
  const buffer = new Float64Array(lengths.reduce((a, n) => a + n, 0));
  if (fill !== 0) buffer.fill(fill);
  let at = 0;
  return lengths.map((n) => buffer.subarray(at, (at += n)));
}

/** Which seasonal terms the model carries. */
export interface Shape {
  readonly daily: boolean;
  readonly weekly: boolean;
}

/** Smoothing weights; `phi` is the per-step damping of the trend (1 = undamped). */
export interface Smoothing {
  readonly alpha: number;
  readonly beta: number;
  readonly gamma: number;
  readonly phi: number;
}

/** Model state after the last slot. */
export interface State {
  level: number;
  trend: number;
  /** Running mean absolute one-step error, the scale against which outliers are clipped; NaN until the first error. */
  scale: number;
  readonly season: Float64Array;
  readonly week: Float64Array;
}

/**
 * Errors per checkpoint horizon, aligned on the grid: entry i is actual − forecast for slot i made h slots earlier,
 * NaN where there is none. Alignment lets two models' errors be compared and combined slot by slot.
 */
export type Errors = readonly Float64Array[];

/** Result of one pass: the final state and the in-sample errors. */
export interface RunResult {
  readonly state: State;
  readonly errors: Errors;
}

export function slotOfDay(tsMs: number, stepMs: number): number {
  return Math.floor((((tsMs % DAY_MS) + DAY_MS) % DAY_MS) / stepMs);
}

export function dayOfWeek(tsMs: number): number {
  return ((Math.floor(tsMs / DAY_MS) % 7) + 7) % 7;
}

/** Sum of φ^j for j = 1..k: how much of the current trend a k-step forecast carries. */
export function dampedSteps(phi: number, k: number): number {
  return phi >= 1 ? k : (phi * (1 - phi ** k)) / (1 - phi);
}

/**
 * Slots used to initialise the daily season and the level (up to three days, else the first hour), after which the
 * errors count. The day-of-week offsets start at 0 and are learnt online: initialising them from the first week
 * would leave either a week without errors or errors that saw their own data.
 */
export function initSlots(grid: Grid, shape: Shape): number {
  const perDay = Math.round(DAY_MS / grid.stepMs);
  if (shape.daily) return Math.min(3, Math.floor(grid.values.length / perDay)) * perDay;
  return Math.min(grid.values.length, Math.max(1, Math.round(3_600_000 / grid.stepMs)));
}

interface DayStats {
  readonly means: Map<number, number>;
}

/** Mean of each calendar day present in the first `slots` slots, keyed by epoch day. */
function dayMeans(grid: Grid, slots: number): DayStats {
  const sum = new Map<number, number>();
  const count = new Map<number, number>();
  for (let i = 0; i < slots; i++) {
    const v = grid.values[i] as number;
    if (Number.isNaN(v)) continue;
    const day = Math.floor((grid.startMs + i * grid.stepMs) / DAY_MS);
    sum.set(day, (sum.get(day) ?? 0) + v);
    count.set(day, (count.get(day) ?? 0) + 1);
  }
  const means = new Map<number, number>();
  for (const [day, s] of sum) means.set(day, s / (count.get(day) as number));
  return { means };
}

function centre(a: Float64Array): void {
  if (a.length === 0) return;
  const mean = a.reduce((s, v) => s + v, 0) / a.length;
  for (let i = 0; i < a.length; i++) a[i] = (a[i] as number) - mean;
}

/** Slope per slot between the first and last day means of the window (0 with fewer than two days). */
function dayMeanSlope(means: Map<number, number>, m: number): number {
  const days = [...means.keys()].sort((a, b) => a - b);
  const first = days[0];
  const last = days[days.length - 1];
  if (first === undefined || last === undefined || last === first) return 0;
  return ((means.get(last) as number) - (means.get(first) as number)) / ((last - first) * m);
}

/**
 * Season from the deviations of each slot from its day's mean, after removing the slope between day means (a ramp
 * would otherwise turn into a sawtooth season). Weekly offsets start at 0.
 */
function initSeasons(grid: Grid, shape: Shape, slots: number): { season: Float64Array; week: Float64Array } {
  const m = Math.round(DAY_MS / grid.stepMs);
  const season = new Float64Array(shape.daily ? m : 0);
  const week = new Float64Array(shape.weekly ? 7 : 0);
  if (!shape.daily) return { season, week };
  const { means } = dayMeans(grid, slots);
  const slope = dayMeanSlope(means, m);
  const sum = new Float64Array(m);
  const count = new Float64Array(m);
  for (let i = 0; i < slots; i++) {
    const v = grid.values[i] as number;
    const ts = grid.startMs + i * grid.stepMs;
    const dayMean = means.get(Math.floor(ts / DAY_MS));
    if (Number.isNaN(v) || dayMean === undefined) continue;
    const p = slotOfDay(ts, grid.stepMs);
    sum[p] = (sum[p] as number) + v - dayMean - slope * (p - (m - 1) / 2);
    count[p] = (count[p] as number) + 1;
  }
  for (let p = 0; p < m; p++) season[p] = (count[p] as number) > 0 ? (sum[p] as number) / (count[p] as number) : 0;
  centre(season);
  return { season, week };
}

/** Seasonal part of the forecast for the slot stamped `tsMs`. */
export function seasonalAt(state: State, tsMs: number, stepMs: number): number {
  const s = state.season.length > 0 ? (state.season[slotOfDay(tsMs, stepMs)] as number) : 0;
  const w = state.week.length > 0 ? (state.week[dayOfWeek(tsMs)] as number) : 0;
  return s + w;
}

/**
 * Initial trend per slot: the change between the means of the first and second half of the initialisation window
 * (whole days when seasonal, so the season cancels). Without it a trend-following model would spend its first days
 * learning a slope the data showed from the start.
 */
function initTrend(grid: Grid, slots: number): number {
  const half = Math.floor(slots / 2);
  if (half < 1) return 0;
  const meanOf = (from: number, to: number): number => {
    let sum = 0;
    let n = 0;
    for (let i = from; i < to; i++) {
      const v = grid.values[i] as number;
      if (Number.isNaN(v)) continue;
      sum += v;
      n++;
    }
    return n === 0 ? Number.NaN : sum / n;
  };
  const slope = (meanOf(half, 2 * half) - meanOf(0, half)) / half;
  return Number.isFinite(slope) ? slope : 0;
}

/** Initial state: seasons from the first slots, level from their deseasonalised mean, the trend when one is modelled. */
export function initState(grid: Grid, shape: Shape, withTrend = false): State {
  const slots = initSlots(grid, shape);
  const { season, week } = initSeasons(grid, shape, slots);
  const state: State = { level: 0, trend: 0, scale: Number.NaN, season, week };
  let sum = 0;
  let n = 0;
  for (let i = 0; i < Math.max(1, slots); i++) {
    const v = grid.values[i] as number;
    if (Number.isNaN(v)) continue;
    sum += v - seasonalAt(state, grid.startMs + i * grid.stepMs, grid.stepMs);
    n++;
  }
  // A grid that starts with a gap: the first present value seeds the level.
  state.level = n > 0 ? sum / n : (Array.from(grid.values).find((v) => !Number.isNaN(v)) ?? 0);
  if (withTrend) {
    state.trend = initTrend(grid, slots);
    // The level is the window's mean, which sits at its middle: move it to the window's end.
    state.level += state.trend * (Math.max(1, slots) / 2);
  }
  return state;
}

/** Errors beyond this many running mean absolute errors are clipped before they update the state. */
const CLIP = 4;
/** Weight of the newest error in the running scale. */
const SCALE_WEIGHT = 0.1;

/**
 * The error the state learns from: clipped at CLIP × the running scale (a robust Holt–Winters in the manner of
 * Gelper, Fried and Croux, 2010). A three-minute fault spike then hardly moves the level or the season, while a lasting
 * shift (a restart, a new release) grows the scale step by step until the model follows it.
 */
function robustError(state: State, e: number): number {
  if (Number.isNaN(state.scale)) {
    state.scale = Math.abs(e);
    return e;
  }
  const limit = CLIP * state.scale;
  const clipped = limit > 0 ? Math.max(-limit, Math.min(limit, e)) : e;
  state.scale = (1 - SCALE_WEIGHT) * state.scale + SCALE_WEIGHT * Math.abs(clipped);
  return clipped;
}

/** The k-step point forecast from `state` for the slot stamped `tsMs`. */
export function pointForecast(state: State, at: { k: number; tsMs: number; stepMs: number }, phi: number): number {
  return state.level + dampedSteps(phi, at.k) * state.trend + seasonalAt(state, at.tsMs, at.stepMs);
}

/**
 * Calendar position of every slot of a grid and of the slots its forecasts reach past the end: the season slot and
 * the day of the week. A fit runs the recursion once per candidate weight set over the same grid, and computing
 * these from timestamps at every step (twice per slot and checkpoint) was most of a forecast's time.
 */
export interface Phases {
  readonly slot: Int32Array;
  readonly day: Int8Array;
}

/** The phases of the grid's slots and of `beyond` slots after its last one. */
function phasesOf(grid: Grid, beyond: number): Phases {
  const n = grid.values.length + Math.max(0, beyond);
  const slot = new Int32Array(n);
  const day = new Int8Array(n);
  for (let j = 0; j < n; j++) {
    const tsMs = grid.startMs + j * grid.stepMs;
    slot[j] = slotOfDay(tsMs, grid.stepMs);
    day[j] = dayOfWeek(tsMs);
  }
  return { slot, day };
}

/** What every candidate of one fit shares: the phases and the initial state without and with a trend. */
export interface Prepared {
  readonly phases: Phases;
  readonly initial: readonly [State, State];
}

/** Prepares a fit over `grid` whose forecasts reach `beyond` slots past its end. */
export function prepare(grid: Grid, shape: Shape, beyond: number): Prepared {
  return { phases: phasesOf(grid, beyond), initial: [initState(grid, shape, false), initState(grid, shape, true)] };
}

function copyOf(s: State): State {
  return { level: s.level, trend: s.trend, scale: s.scale, season: s.season.slice(), week: s.week.slice() };
}

/** Seasonal part at slot j of the phases (seasonalAt without the calendar arithmetic). */
function seasonalOf(state: State, phases: Phases, j: number): number {
  const s = state.season.length > 0 ? (state.season[phases.slot[j] as number] as number) : 0;
  const w = state.week.length > 0 ? (state.week[phases.day[j] as number] as number) : 0;
  return s + w;
}

/** One slot of the recursion: value `y` at slot j of the phases; NaN advances level and trend only. */
function updateAt(state: State, at: { phases: Phases; j: number; y: number }, p: Smoothing): void {
  const y = at.y;
  const base = state.level + p.phi * state.trend;
  if (Number.isNaN(y)) {
    state.level = base;
    state.trend *= p.phi;
    return;
  }
  const e = robustError(state, y - base - seasonalOf(state, at.phases, at.j));
  state.level = base + p.alpha * e;
  state.trend = p.phi * state.trend + p.beta * e;
  const g = p.gamma * (1 - p.alpha) * e;
  if (state.season.length > 0) {
    const s = at.phases.slot[at.j] as number;
    state.season[s] = (state.season[s] as number) + g;
  }
  if (state.week.length > 0) {
    // Each day updates its offset once per slot: a per-slot weight of γ/m moves it about as fast as one season slot.
    const d = at.phases.day[at.j] as number;
    state.week[d] = (state.week[d] as number) + g / Math.max(1, state.season.length);
  }
}

/**
 * Runs the recursion over the whole grid and records, for each checkpoint horizon h (in slots), the error of the
 * forecast made h slots earlier, for every present slot after the initialisation window. `prepared` (from
 * {@link prepare} with the same shape, reaching the largest checkpoint) saves computing it again per candidate.
 */
export function run(grid: Grid, fit: { shape: Shape; smoothing: Smoothing; prepared?: Prepared }, checkpoints: readonly number[]): RunResult {
  const { phases, initial } = fit.prepared ?? prepare(grid, fit.shape, Math.max(0, ...checkpoints));
  const state = copyOf(initial[fit.smoothing.beta > 0 ? 1 : 0]);
  const warm = initSlots(grid, fit.shape);
  const n = grid.values.length;
  const hs = Int32Array.from(checkpoints);
  const damp = Float64Array.from(checkpoints, (h) => dampedSteps(fit.smoothing.phi, h));
  const rings = views(checkpoints);
  const errors = views(checkpoints.map(() => n), Number.NaN);
  // Slot i's place in each checkpoint's ring (i mod h), advanced instead of divided: this loop runs for every
  // candidate of every forecast, tens of thousands of forecasts a pass.
  const pos = new Int32Array(hs.length);
  const at = { phases, j: 0, y: Number.NaN };
  for (let i = 0; i < n; i++) {
    const y = grid.values[i] as number;
    for (let c = 0; c < hs.length; c++) if (i - (hs[c] as number) >= warm && !Number.isNaN(y)) (errors[c] as Float64Array)[i] = y - ((rings[c] as Float64Array)[pos[c] as number] as number);
    at.j = i;
    at.y = y;
    updateAt(state, at, fit.smoothing);
    for (let c = 0; c < hs.length; c++) {
      const h = hs[c] as number;
      const p = pos[c] as number;
      // pointForecast() with the phases: the same sum in the same order.
      if (i + h < n) (rings[c] as Float64Array)[p] = state.level + (damp[c] as number) * state.trend + seasonalOf(state, phases, i + h);
      pos[c] = p + 1 === h ? 0 : p + 1;
    }
  }
  return { state, errors };
}
