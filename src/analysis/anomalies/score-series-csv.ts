// SPDX-License-Identifier: Apache-2.0
// What `krm anomaly score` runs: `timestamp,value` CSV text in, `timestamp,value,anomaly_score` CSV text out.
import type { AnomalyDetectorOptions } from './detector-options.ts';
import { scoreSeries } from './score-series.ts';
import { formatScoredCsv, parseSeriesCsv } from './series-csv.ts';

/** Scores a `timestamp,value` CSV; throws InputError (KRM_INPUT_INVALID) naming the line of the first bad row. */
export function scoreSeriesCsv(text: string, options: Partial<AnomalyDetectorOptions> = {}): string {
  const series = parseSeriesCsv(text);
  return formatScoredCsv(series, scoreSeries(series, options));
}
