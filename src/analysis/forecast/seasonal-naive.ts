// SPDX-License-Identifier: Apache-2.0
// The seasonal naive forecast, a candidate of the model choice and the evaluation's baseline: the value one season
// before the target (the same slot yesterday, or last week), stepping back further seasons over gaps. Some usage
// really does repeat day after day more exactly than any smoothed level can say; the model choice keeps this
// candidate when its own out-of-sample errors are the smallest, so the forecast is never worse than it on the past.
import type { Grid } from './grid.ts';
import { views } from './model.ts';

/** The grid value `period` slots (times whole seasons) before `target`, seen from `origin`; NaN if none. */
export function seasonalNaiveValue(grid: Grid, at: { origin: number; target: number; period: number }): number {
  const { origin, target, period } = at;
  for (let j = target - period * Math.ceil((target - origin) / period); j >= 0; j -= period) {
    const v = grid.values[j];
    if (v !== undefined && !Number.isNaN(v)) return v;
  }
  return Number.NaN;
}

/** In-sample h-step errors of the seasonal naive forecast for each checkpoint, origins from `warm` on. */
export function seasonalNaiveErrors(grid: Grid, opts: { period: number; warm: number }, checkpoints: readonly number[]): Float64Array[] {
  const all = views(checkpoints.map(() => grid.values.length), Number.NaN);
  return checkpoints.map((h, c) => {
    const errors = all[c] as Float64Array;
    for (let i = opts.warm + h; i < grid.values.length; i++) {
      const y = grid.values[i] as number;
      if (Number.isNaN(y)) continue;
      const f = seasonalNaiveValue(grid, { origin: i - h, target: i, period: opts.period });
      if (!Number.isNaN(f)) errors[i] = y - f;
    }
    return errors;
  });
}
