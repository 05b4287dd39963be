// SPDX-License-Identifier: Apache-2.0
// Buckets samples into fixed-width means (e.g. 5 minutes), dropping empty buckets: a gap stays a gap, never a 0.
import type { Sample } from '../../domain/series.ts';

/** An evenly bucketed series: `tsMs[i]` is the start of a bucket holding at least one sample, `values[i]` its mean. */
export interface Bucketed {
  readonly tsMs: number[];
  readonly values: number[];
}

/** Means of `samples` (ascending time) in buckets of `stepMs` aligned to the epoch, within `[fromMs, toMs)`. */
export function bucketMeans(samples: readonly Sample[], range: { fromMs: number; toMs: number; stepMs: number }): Bucketed {
  const tsMs: number[] = [];
  const values: number[] = [];
  let bucket = Number.NaN;
  let sum = 0;
  let count = 0;
  const emit = (): void => {
    if (count > 0) {
      tsMs.push(bucket);
      values.push(sum / count);
    }
  };
  for (const s of samples) {
    if (s.tsMs < range.fromMs || s.tsMs >= range.toMs || !Number.isFinite(s.value)) continue;
    const b = Math.floor(s.tsMs / range.stepMs) * range.stepMs;
    if (b !== bucket) {
      emit();
      bucket = b;
      sum = 0;
      count = 0;
    }
    sum += s.value;
    count++;
  }
  emit();
  return { tsMs, values };
}
