// SPDX-License-Identifier: Apache-2.0
// Every constant of the streaming detector, each with the rule it comes from. None was fitted to a benchmark: they
// are published defaults (HTM's anomaly likelihood, Tukey's fences, contextOSE's 3-bit levels), the product's own
// rules (REQUIREMENTS §3.7's scale floor, Alertmanager's repeat interval) or natural units (a day, an hour).
import { ConfigError } from '../../errors/app-error.ts';

export interface AnomalyDetectorOptions {
  /** Levels the value range is quantised into for the context model: 8 (3 bits, as contextOSE). */
  readonly levels: number;
  /** Longest context of recent levels: 3 (a few samples; longer contexts are rarely seen twice). */
  readonly contextOrder: number;
  /** Time-of-day buckets of the context model: 24, one per hour (metrics of people-driven systems cycle daily). */
  readonly hourBuckets: number;
  /** Baseline of the level check: the previous 288 samples, one day at the 5-minute step of the NAB corpus. */
  readonly baselineSamples: number;
  /** Tukey's fence multiplier: 1.5. */
  readonly fence: number;
  /** Scale floor as a share of |median| (REQUIREMENTS §3.7: max(MAD, 1% of |median|, …)). */
  readonly relativeScaleFloor: number;
  /** Short average of raw scores in the likelihood: 10 samples (HTM). */
  readonly averagingWindow: number;
  /** Short average of the level test's second, slower likelihood: 48 samples, one refractory period (4 hours) at
   * the 5-minute step. A moderate shift that lasts for hours builds up evidence here that the 10-sample average
   * cannot see; the two averages are nested views of one raw stream, so they count as one test. */
  readonly slowAveragingWindow: number;
  /** Long baseline of the likelihood: 8640 short averages (HTM; a month at 5 minutes). */
  readonly historySamples: number;
  /** Baseline averages needed before anything is scored: 100 (the standard error of a variance estimate from n
   * samples is about √(2/n), 14% here; fewer would make the tail probabilities meaningless). */
  readonly minBaseline: number;
  /** A value beyond the range seen so far by this share of the range is an anomaly outright: 5% (HTM's "spatial
   * anomaly" tolerance). */
  readonly rangeTolerance: number;
  /** Tail probability at or below which a sample is an anomaly ("red"): 1e-5 (HTM's 0.99999 likelihood). */
  readonly alertProbability: number;
  /** Probability given to a red sample inside the refractory period: 1e-3 (HTM's "yellow"). */
  readonly suppressedProbability: number;
  /** After a red sample, further red samples within this time are the same incident: 4 hours, Alertmanager's
   * default `repeat_interval`. Without timestamps only the next sample is suppressed (HTM's rule). */
  readonly refractoryMs: number;
  /** Counts of a context are halved when they reach this total, so an endless stream keeps adapting: 8640. */
  readonly countCap: number;
}

export const DEFAULT_DETECTOR_OPTIONS: AnomalyDetectorOptions = Object.freeze({
  levels: 8,
  contextOrder: 3,
  hourBuckets: 24,
  baselineSamples: 288,
  fence: 1.5,
  relativeScaleFloor: 0.01,
  averagingWindow: 10,
  slowAveragingWindow: 48,
  historySamples: 8640,
  minBaseline: 100,
  rangeTolerance: 0.05,
  alertProbability: 1e-5,
  suppressedProbability: 1e-3,
  refractoryMs: 4 * 3_600_000,
  countCap: 8640,
});

/** Probabilities are mapped to scores on HTM's log scale: 1e-10 or less scores 1, 1 scores 0. */
const PROBABILITY_FLOOR = 1e-10;

/** Maps a tail probability to an anomaly score in [0, 1]: log(p + 1e-10) / log(1e-10). */
export function probabilityToScore(p: number): number {
  const score = Math.log(p + PROBABILITY_FLOOR) / Math.log(PROBABILITY_FLOOR);
  return Math.min(1, Math.max(0, score));
}

/** The product's fixed threshold, from a rule and not from any benchmark: a sample is reported when its tail
 * probability is at most `alertProbability` (1e-5, about one false report per 100,000 ordinary samples, i.e. per
 * year of 5-minute samples), which is a score of 0.5 on the log scale. */
export const DEFAULT_ANOMALY_THRESHOLD = probabilityToScore(DEFAULT_DETECTOR_OPTIONS.alertProbability);

const INTEGER_KEYS = ['levels', 'contextOrder', 'hourBuckets', 'baselineSamples', 'averagingWindow', 'slowAveragingWindow', 'historySamples', 'minBaseline', 'countCap'] as const;

/** Merges overrides with the defaults and checks them. */
export function resolveDetectorOptions(overrides: Partial<AnomalyDetectorOptions> = {}): AnomalyDetectorOptions {
  const options = { ...DEFAULT_DETECTOR_OPTIONS, ...overrides };
  for (const key of INTEGER_KEYS) {
    if (!Number.isInteger(options[key]) || options[key] < 1) {
      throw new ConfigError('KRM_CONFIG_INVALID', `anomaly detector: ${key} must be a positive integer`);
    }
  }
  if (options.levels < 2 || options.levels ** options.contextOrder > 1 << 20) {
    throw new ConfigError('KRM_CONFIG_INVALID', 'anomaly detector: levels must be ≥ 2 and levels^contextOrder ≤ 2^20');
  }
  if (!(options.alertProbability > 0 && options.alertProbability < 1) || !(options.fence > 0)) {
    throw new ConfigError('KRM_CONFIG_INVALID', 'anomaly detector: alertProbability must be in (0, 1) and fence > 0');
  }
  return Object.freeze(options);
}
