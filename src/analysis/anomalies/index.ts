// SPDX-License-Identifier: Apache-2.0
// Online anomaly detection on usage series: one score in [0, 1] per sample, from the past only.
export {
  DEFAULT_ANOMALY_THRESHOLD,
  DEFAULT_DETECTOR_OPTIONS,
  probabilityToScore,
  resolveDetectorOptions,
  type AnomalyDetectorOptions,
} from './detector-options.ts';
export { scoreSeries, type SeriesInput } from './score-series.ts';
export { scoreSeriesCsv } from './score-series-csv.ts';
export { formatScoredCsv, parseSeriesCsv, type ParsedSeries } from './series-csv.ts';
export {
  createAnomalyDetector,
  type AnomalyCause,
  type AnomalyDetector,
  type AnomalyEvidence,
} from './streaming-detector.ts';
