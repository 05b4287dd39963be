// SPDX-License-Identifier: Apache-2.0
// Buckets samples into fixed-width means (e.g. 5 minutes), dropping empty buckets: a gap stays a gap, never a 0.
import type { Sample } from '../../domain/series.ts';

/** An evenly bucketed series: `tsMs[i]` is the start of a bucket holding at least one sample, `values[i]` its mean. */
export interface Bucketed {
  readonly tsMs: number[];
  readonly values: number[];
}

/** Samples in time order, as objects or as two columns of the same length (views of a columnar read). */
export type SampleSeries = readonly Sample[] | { readonly timestampsMs: ArrayLike<number>; readonly values: ArrayLike<number> };

/** Means of `samples` (ascending time) in buckets of `stepMs` aligned to the epoch, within `[fromMs, toMs)`. */
export function bucketMeans(samples: SampleSeries, range: { fromMs: number; toMs: number; stepMs: number }): Bucketed {
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
  const add = (ts: number, value: number): void => {
    if (ts < range.fromMs || ts >= range.toMs || !Number.isFinite(value)) return;
    const b = Math.floor(ts / range.stepMs) * range.stepMs;
    if (b !== bucket) {
      emit();
      bucket = b;
      sum = 0;
      count = 0;
    }
    sum += value;
    count++;
  };
  if ('timestampsMs' in samples) for (let i = 0; i < samples.values.length; i++) add(samples.timestampsMs[i] as number, samples.values[i] as number);
  else for (const s of samples) add(s.tsMs, s.value);
  emit();
  return { tsMs, values };
}
