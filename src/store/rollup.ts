// SPDX-License-Identifier: Apache-2.0
// Rollup buckets: min, max, sum and count of the samples of one fixed-width time bucket, plus a quantile sketch.
// Every field is mergeable, so a coarse bucket is the merge of the finer buckets inside it and two partial rows of
// the same bucket (written before and after a restart, or by two cuts) merge into the exact same result.
import { mergeSketches, sketchFromOrdinals, sketchOrdinal, type Sketch } from './sketch.ts';

/** Aggregates of the samples in `[startMs, startMs + resolution)`. */
export interface RollupBucket {
  readonly startMs: number;
  readonly count: number;
  readonly min: number;
  readonly max: number;
  readonly sum: number;
  /** Null when the tier keeps no sketch or the reader skipped it. */
  readonly sketch: Sketch | null;
}

/** Ascending samples. */
export interface SampleColumns {
  readonly timestampsMs: ArrayLike<number>;
  readonly values: ArrayLike<number>;
}

/** Sketch ordinals of all values, computed once and shared by every tier. */
export function ordinalsOf(values: ArrayLike<number>): Int32Array {
  const out = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = sketchOrdinal(values[i] ?? 0);
  return out;
}

function bucketOf(samples: SampleColumns, range: { from: number; to: number }, ordinals: Int32Array | null) {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (let i = range.from; i < range.to; i++) {
    const v = samples.values[i] ?? 0;
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
  }
  const sketch = ordinals ? sketchFromOrdinals(ordinals.slice(range.from, range.to)) : null;
  return { count: range.to - range.from, min, max, sum, sketch };
}

/** Buckets of `resolutionMs` (aligned to the epoch) from ascending samples; `ordinals` null skips sketches. */
export function rollupSamples(
  samples: SampleColumns,
  resolutionMs: number,
  ordinals: Int32Array | null,
): RollupBucket[] {
  const out: RollupBucket[] = [];
  const n = samples.values.length;
  let from = 0;
  while (from < n) {
    const startMs = Math.floor((samples.timestampsMs[from] ?? 0) / resolutionMs) * resolutionMs;
    const end = startMs + resolutionMs;
    let to = from + 1;
    while (to < n && (samples.timestampsMs[to] ?? 0) < end) to++;
    out.push({ startMs, ...bucketOf(samples, { from, to }, ordinals) });
    from = to;
  }
  return out;
}

/** Merges two buckets with the same start. */
export function mergeBuckets(a: RollupBucket, b: RollupBucket): RollupBucket {
  const sketch: Sketch | null = a.sketch && b.sketch ? mergeSketches(a.sketch, b.sketch) : (a.sketch ?? b.sketch);
  return {
    startMs: a.startMs,
    count: a.count + b.count,
    min: Math.min(a.min, b.min),
    max: Math.max(a.max, b.max),
    sum: a.sum + b.sum,
    sketch,
  };
}

/** Re-buckets ascending buckets into coarser ones of `resolutionMs` (a multiple of theirs). */
export function coarsen(buckets: readonly RollupBucket[], resolutionMs: number): RollupBucket[] {
  const out: RollupBucket[] = [];
  for (const b of buckets) {
    const startMs = Math.floor(b.startMs / resolutionMs) * resolutionMs;
    const last = out[out.length - 1];
    if (last && last.startMs === startMs) out[out.length - 1] = mergeBuckets(last, b);
    else out.push({ ...b, startMs });
  }
  return out;
}

/** Sorts buckets by start and merges those with equal starts (partial rows of the same bucket). */
export function normalizeBuckets(buckets: RollupBucket[]): RollupBucket[] {
  buckets.sort((a, b) => a.startMs - b.startMs);
  const out: RollupBucket[] = [];
  for (const b of buckets) {
    const last = out[out.length - 1];
    if (last && last.startMs === b.startMs) out[out.length - 1] = mergeBuckets(last, b);
    else out.push(b);
  }
  return out;
}

/** Splits ascending buckets into groups that each lie inside one epoch-aligned span of `spanMs`. */
export function splitBySpan(buckets: readonly RollupBucket[], spanMs: number): RollupBucket[][] {
  const groups: RollupBucket[][] = [];
  let current: RollupBucket[] = [];
  let currentSpan = NaN;
  for (const b of buckets) {
    const span = Math.floor(b.startMs / spanMs);
    if (span !== currentSpan && current.length > 0) {
      groups.push(current);
      current = [];
    }
    currentSpan = span;
    current.push(b);
  }
  if (current.length > 0) groups.push(current);
  return groups;
}
