// SPDX-License-Identifier: Apache-2.0
// The per-row half of NAB v1.1's Sweeper (nab/sweeper.py `calcSweepScore`): for every row, which window it belongs
// to (or none, or the probation period) and the unweighted scaled-sigmoid value a detection there would earn.
// The profile weights are applied later, so one labelling serves every profile.
import { scaledSigmoid } from './scaled-sigmoid.ts';
import type { NabWindow } from './types.ts';

/** Row kind: a window index (0, 1, …), OUTSIDE (a detection there is a false positive) or PROBATION (ignored). */
export const OUTSIDE = -1;
export const PROBATION = -2;

/** The share of rows at the start of each file that is never scored, and its cap in rows (NAB: 15%, 0.15 × 5000). */
export const PROBATION_FRACTION = 0.15;
export const PROBATION_MAX_ROWS = 750;

export interface LabelledRows {
  readonly scores: ArrayLike<number>;
  /** OUTSIDE, PROBATION or the index of the window holding the row. */
  readonly kinds: Int32Array;
  /** Unweighted scaled sigmoid: in (0, 1) inside a window, in [-1, 0] outside. */
  readonly sigmoids: Float64Array;
  /** Number of windows holding at least one row after the probation period (the ones a detector can hit or miss). */
  readonly scorableWindows: number;
  /** Number of windows in the label file for this series (the perfect detector's count). */
  readonly labelledWindows: number;
}

/** NAB's probation length: min(floor(15% of rows), 750). */
export function probationLength(rowCount: number): number {
  return Math.min(Math.floor(PROBATION_FRACTION * rowCount), PROBATION_MAX_ROWS);
}

interface WindowSpan {
  readonly left: number;
  readonly right: number;
}

/** Row index spans of the windows: first row at or after the start to last row at or before the end. Windows that
 * hold no row are dropped (NAB's windows are always aligned on rows, so this only concerns foreign label files). */
function windowSpans(timestampsMs: ArrayLike<number>, windows: readonly NabWindow[]): WindowSpan[] {
  const spans: WindowSpan[] = [];
  const sorted = [...windows].sort((a, b) => a[0] - b[0]);
  let i = 0;
  for (const [startMs, endMs] of sorted) {
    while (i < timestampsMs.length && (timestampsMs[i] as number) < startMs) i++;
    let right = i - 1;
    for (let j = i; j < timestampsMs.length && (timestampsMs[j] as number) <= endMs; j++) right = j;
    if (right >= i) spans.push({ left: i, right });
  }
  return spans;
}

function fillWindow(span: WindowSpan, index: number, out: { kinds: Int32Array; sigmoids: Float64Array }): void {
  const width = span.right - span.left + 1;
  for (let i = span.left; i <= span.right; i++) {
    out.kinds[i] = index;
    out.sigmoids[i] = scaledSigmoid(-(span.right - i + 1) / width);
  }
}

/** Rows [from, to) lie outside every window; `prev` is the window before them, if any. */
function fillOutside(rows: { from: number; to: number; prev: WindowSpan | undefined }, sigmoids: Float64Array): void {
  const { from, to, prev } = rows;
  for (let i = from; i < to; i++) {
    if (!prev) {
      sigmoids[i] = -1;
      continue;
    }
    // NAB divides by (previous width - 1); a one-row window would divide by zero there, so the floor is 1.
    const denominator = Math.max(prev.right - prev.left, 1);
    sigmoids[i] = scaledSigmoid(Math.abs(prev.right - i) / denominator);
  }
}

/** Labels each row of one series for scoring. `timestampsMs` must be ascending. */
export function labelRows(input: {
  timestampsMs: ArrayLike<number>;
  scores: ArrayLike<number>;
  windows: readonly NabWindow[];
}): LabelledRows {
  const n = input.timestampsMs.length;
  const kinds = new Int32Array(n).fill(OUTSIDE);
  const sigmoids = new Float64Array(n);
  const spans = windowSpans(input.timestampsMs, input.windows);
  let cursor = 0;
  let prev: WindowSpan | undefined;
  spans.forEach((span, index) => {
    fillOutside({ from: cursor, to: span.left, prev }, sigmoids);
    fillWindow(span, index, { kinds, sigmoids });
    cursor = span.right + 1;
    prev = span;
  });
  fillOutside({ from: cursor, to: n, prev }, sigmoids);
  const probation = probationLength(n);
  kinds.fill(PROBATION, 0, Math.min(probation, n));
  const scorableWindows = spans.filter((s) => s.right >= probation).length;
  return { scores: input.scores, kinds, sigmoids, scorableWindows, labelledWindows: input.windows.length };
}
