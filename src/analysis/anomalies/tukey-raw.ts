// SPDX-License-Identifier: Apache-2.0
// Distance of a value outside Tukey's fences [Q1 − k·IQR, Q3 + k·IQR] of a baseline window, as a raw score in [0, 1]:
// 0 inside the fences, 1 at k·IQR beyond them. Quartiles resist contamination up to 25%, so past spikes do not widen
// the fences; the scale floor of REQUIREMENTS §3.7 (1% of |median|) keeps a flat baseline from making every
// wiggle infinitely far out (§11 D-01).
import type { SortedWindow } from './sorted-window.ts';

export interface TukeyOptions {
  /** Fence multiplier (Tukey: 1.5). */
  readonly fence: number;
  /** Scale floor as a share of |median| (REQUIREMENTS §3.7: 1%). */
  readonly relativeFloor: number;
  /** Scale floor as a share of the range seen so far, for series centred on 0. */
  readonly rangeFloor: number;
}

/** Baseline values needed before the fences mean anything (a quarter of them sit between Q1 and the median). */
export const MIN_TUKEY_BASELINE = 20;

/** Raw fence-exceedance score of `value` against `baseline` (0 while the baseline is too short). */
export function tukeyRaw(value: number, baseline: SortedWindow, opts: TukeyOptions & { range: number }): number {
  if (baseline.size < MIN_TUKEY_BASELINE) return 0;
  const q1 = baseline.quantile(0.25);
  const q3 = baseline.quantile(0.75);
  // 1.349 converts a standard deviation into the IQR of a normal distribution
  const floor = Math.max(opts.relativeFloor * 1.349 * Math.abs(baseline.quantile(0.5)), opts.rangeFloor * opts.range);
  const iqr = Math.max(q3 - q1, floor, Number.MIN_VALUE);
  const reach = opts.fence * iqr;
  const excess = value > q3 + reach ? value - q3 - reach : value < q1 - reach ? q1 - reach - value : 0;
  return Math.min(1, excess / reach);
}
