// SPDX-License-Identifier: Apache-2.0
// A regular time grid for the forecasters. Stored samples arrive at irregular times with gaps; the seasonal model
// needs one slot per step whose phase in the day and in the week follows from its timestamp. Samples are averaged
// per slot and an empty slot stays NaN (absent, never 0, REQUIREMENTS §1.6): the model skips its update there.
import type { Sample } from '../../domain/series.ts';
import { MINUTE_MS } from '../../domain/time.ts';

/** Steps that divide a day, so that a slot's phase of the day is the same every day. */
const STEPS_MS = [1, 2, 5, 10, 15, 30, 60, 120, 240].map((m) => m * MINUTE_MS);

/** Slots beyond which the grid is coarsened: bounds the cost of fitting while keeping hourly detail for weeks. */
const MAX_SLOTS = 12_000;

/** Values on a regular grid: slot i covers `[startMs + i·stepMs, startMs + (i+1)·stepMs)` and is stamped at its start. */
export interface Grid {
  readonly startMs: number;
  readonly stepMs: number;
  /** NaN where the slot has no sample. */
  readonly values: Float64Array;
}

function medianSpacing(timestampsMs: ArrayLike<number>): number {
  const d: number[] = [];
  let uniform = true;
  for (let i = 1; i < timestampsMs.length; i++) {
    d.push((timestampsMs[i] as number) - (timestampsMs[i - 1] as number));
    uniform &&= d[i - 1] === d[0];
  }
  // Evenly spaced times (a series without gaps, the common case) need no sort.
  if (uniform && d.length > 0) return d[0] as number;
  d.sort((a, b) => a - b);
  return d.length === 0 ? MINUTE_MS : (d[d.length >> 1] as number);
}

/** {@link chooseStep} of samples stamped `timestampsMs` (ascending). */
export function chooseStepOf(timestampsMs: ArrayLike<number>): number {
  const n = timestampsMs.length;
  const span = n === 0 ? 0 : (timestampsMs[n - 1] as number) - (timestampsMs[0] as number);
  const wanted = Math.max(medianSpacing(timestampsMs), span / MAX_SLOTS);
  return STEPS_MS.find((s) => s >= wanted) ?? (STEPS_MS[STEPS_MS.length - 1] as number);
}

/** The finest day-dividing step at least the samples' median spacing that keeps the grid under {@link MAX_SLOTS}. */
export function chooseStep(samples: readonly Sample[]): number {
  return chooseStepOf(samples.map((s) => s.tsMs));
}

/** Averages finite samples into slots aligned to multiples of `stepMs` since the epoch (so phases are calendar-true). */
export function toGrid(samples: readonly Sample[], stepMs: number): Grid {
  const finite = samples.filter((s) => Number.isFinite(s.value) && Number.isFinite(s.tsMs));
  if (finite.length === 0) return { startMs: 0, stepMs, values: new Float64Array(0) };
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of finite) {
    lo = Math.min(lo, s.tsMs);
    hi = Math.max(hi, s.tsMs);
  }
  const startMs = Math.floor(lo / stepMs) * stepMs;
  const n = Math.floor((hi - startMs) / stepMs) + 1;
  const sum = new Float64Array(n);
  const count = new Uint32Array(n);
  for (const s of finite) {
    const i = Math.floor((s.tsMs - startMs) / stepMs);
    sum[i] = (sum[i] as number) + s.value;
    count[i] = (count[i] as number) + 1;
  }
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = (count[i] as number) === 0 ? Number.NaN : (sum[i] as number) / (count[i] as number);
  return { startMs, stepMs, values };
}

/** Share of the grid's slots that hold a sample (0–1). */
export function gridCoverage(grid: Grid): number {
  if (grid.values.length === 0) return 0;
  let present = 0;
  for (const v of grid.values) if (!Number.isNaN(v)) present++;
  return present / grid.values.length;
}
