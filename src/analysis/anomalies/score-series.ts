// SPDX-License-Identifier: Apache-2.0
// Batch helper: runs a fresh streaming detector over a whole series. Each score depends only on earlier samples.
import type { AnomalyDetectorOptions } from './detector-options.ts';
import { createAnomalyDetector } from './streaming-detector.ts';

export interface SeriesInput {
  /** Epoch milliseconds, non-decreasing; NaN when unknown (disables the time-of-day context). */
  readonly timestampsMs: ArrayLike<number>;
  /** Values; NaN marks a missing sample. */
  readonly values: ArrayLike<number>;
}

/** One anomaly score in [0, 1] per sample. */
export function scoreSeries(series: SeriesInput, options: Partial<AnomalyDetectorOptions> = {}): Float64Array {
  const n = series.values.length;
  if (series.timestampsMs.length !== n) throw new RangeError('scoreSeries: timestamps and values differ in length');
  const detector = createAnomalyDetector(options);
  const scores = new Float64Array(n);
  for (let i = 0; i < n; i++) scores[i] = detector.update(series.timestampsMs[i] as number, series.values[i] as number);
  return scores;
}
