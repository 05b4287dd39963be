// SPDX-License-Identifier: Apache-2.0
// The online anomaly detector: one score in [0, 1] per sample, from the past only, in constant time per sample.
//
//   range check    a value beyond everything seen so far by 5% of the range is an anomaly outright (HTM's
//                  "spatial anomaly"); this is what catches the first spike or level shift of a series.
//   context        raw = 1 − P(level | recent levels, hour of day) from an online back-off model (context-model.ts):
//                  unpredicted shapes, missing daily peaks, flat lines in a cycling metric.
//   level          raw = distance outside Tukey's fences of the previous day (tukey-raw.ts): level shifts and
//                  spikes inside the historical range.
//   likelihood     each raw stream goes through the anomaly likelihood (anomaly-likelihood.ts): a burst of raw
//                  scores is judged against the stream's own history, so noisy series do not alarm all the time.
//   time scales    the level raw goes through a second likelihood with a 48-sample average (one 4-hour incident at
//                  5 minutes): a moderate shift that lasts for hours is rare over hours but not over 10 samples.
//                  p_level is the smaller of the two; nested averages of one raw stream count as one test.
//   combination    p = min(1, 2 · min(p_context, p_level)) (Bonferroni over the two tests); 0 for a range breach.
//   refractory     red samples (p ≤ 1e-5) after a red sample of the same incident are lowered to 1e-3, because a
//                  detector should report an incident once: NAB credits only the earliest detection in a window
//                  and charges every repeat outside it, and an operator wants one alert.
//   score          log(p + 1e-10) / log(1e-10), HTM's log scale: 0.5 is p = 1e-5, the default threshold.
import { AnomalyLikelihood } from './anomaly-likelihood.ts';
import { ContextModel } from './context-model.ts';
import { probabilityToScore, resolveDetectorOptions, type AnomalyDetectorOptions } from './detector-options.ts';
import { SortedWindow } from './sorted-window.ts';
import { tukeyRaw } from './tukey-raw.ts';

/** Which test drove the last score. */
export type AnomalyCause = 'warming-up' | 'missing' | 'range' | 'context' | 'level';

/** Why the last sample scored what it did, for findings' evidence. */
export interface AnomalyEvidence {
  readonly score: number;
  /** Combined tail probability (after the refractory rule). */
  readonly probability: number;
  readonly cause: AnomalyCause;
  /** True when a red sample was lowered because an earlier one opened the same incident. */
  readonly suppressed: boolean;
  /** Range of values seen so far. */
  readonly low: number;
  readonly high: number;
}

export interface AnomalyDetector {
  /** Scores one sample; timestamps must not decrease. A non-finite value is a gap: score 0, state unchanged. */
  update(timestampMs: number, value: number): number;
  /** Evidence for the last `update`. */
  lastEvidence(): AnomalyEvidence;
}

/** Scale floor of the level check as a share of the range seen so far (a floor for series centred on 0, where the
 * 1%-of-median floor vanishes): 0.1%, a level difference no chart would show. */
const RANGE_SCALE_FLOOR = 1e-3;

class StreamingDetector implements AnomalyDetector {
  private readonly model: ContextModel;
  private readonly baseline: SortedWindow;
  private readonly contextLikelihood: AnomalyLikelihood;
  private readonly levelLikelihood: AnomalyLikelihood;
  private readonly slowLevelLikelihood: AnomalyLikelihood;
  private low = Number.POSITIVE_INFINITY;
  private high = Number.NEGATIVE_INFINITY;
  private index = 0;
  private lastRedIndex = Number.NEGATIVE_INFINITY;
  private lastRedMs = Number.NEGATIVE_INFINITY;
  // the last sample's evidence, kept as plain fields: building an object per sample would dominate the cost
  private lastProbability = 1;
  private lastCause: AnomalyCause = 'warming-up';
  private lastSuppressed = false;

  constructor(private readonly o: AnomalyDetectorOptions) {
    this.model = new ContextModel({ levels: o.levels, order: o.contextOrder, hourBuckets: o.hourBuckets, countCap: o.countCap });
    this.baseline = new SortedWindow(o.baselineSamples);
    const likelihood = { averagingWindow: o.averagingWindow, historySamples: o.historySamples, minBaseline: o.minBaseline };
    this.contextLikelihood = new AnomalyLikelihood(likelihood);
    this.levelLikelihood = new AnomalyLikelihood(likelihood);
    this.slowLevelLikelihood = new AnomalyLikelihood({ ...likelihood, averagingWindow: o.slowAveragingWindow });
  }

  update(timestampMs: number, value: number): number {
    if (!Number.isFinite(value)) return this.record(1, 'missing', false);
    const range = this.high > this.low ? this.high - this.low : 0;
    const reach = this.o.rangeTolerance * range;
    const breach = range > 0 && (value > this.high + reach || value < this.low - reach);
    this.low = Math.min(this.low, value);
    this.high = Math.max(this.high, value);
    const rawContext = this.model.observe(this.model.levelOf(value, this.low, this.high), timestampMs);
    const rawLevel = this.levelRaw(value, range);
    const pContext = this.contextLikelihood.update(rawContext);
    const pLevel = Math.min(this.levelLikelihood.update(rawLevel), this.slowLevelLikelihood.update(rawLevel));
    this.index++;
    if (this.contextLikelihood.baselineSize < this.o.minBaseline) {
      return this.record(1, 'warming-up', false);
    }
    const probability = breach ? 0 : Math.min(1, 2 * Math.min(pContext, pLevel));
    const cause: AnomalyCause = breach ? 'range' : pContext <= pLevel ? 'context' : 'level';
    return this.refractory(timestampMs, probability, cause);
  }

  /** Tukey raw of the value against the previous `baselineSamples` values, then the value joins the baseline. */
  private levelRaw(value: number, range: number): number {
    const raw = tukeyRaw(value, this.baseline, {
      fence: this.o.fence,
      relativeFloor: this.o.relativeScaleFloor,
      rangeFloor: RANGE_SCALE_FLOOR,
      range,
    });
    this.baseline.push(value);
    return raw;
  }

  lastEvidence(): AnomalyEvidence {
    return {
      score: probabilityToScore(this.lastProbability),
      probability: this.lastProbability,
      cause: this.lastCause,
      suppressed: this.lastSuppressed,
      low: this.low,
      high: this.high,
    };
  }

  private refractory(timestampMs: number, probability: number, cause: AnomalyCause): number {
    if (probability > this.o.alertProbability) return this.record(probability, cause, false);
    const sameIncident =
      this.index - this.lastRedIndex === 1 ||
      (Number.isFinite(timestampMs) && timestampMs - this.lastRedMs <= this.o.refractoryMs);
    this.lastRedIndex = this.index;
    if (Number.isFinite(timestampMs)) this.lastRedMs = timestampMs;
    if (!sameIncident) return this.record(probability, cause, false);
    return this.record(this.o.suppressedProbability, cause, true);
  }

  /** Keeps the evidence of this sample and returns its score. */
  private record(probability: number, cause: AnomalyCause, suppressed: boolean): number {
    this.lastProbability = probability;
    this.lastCause = cause;
    this.lastSuppressed = suppressed;
    return probabilityToScore(probability);
  }
}

/** Creates a detector; options default to DEFAULT_DETECTOR_OPTIONS (see detector-options.ts for each rule). */
export function createAnomalyDetector(options: Partial<AnomalyDetectorOptions> = {}): AnomalyDetector {
  return new StreamingDetector(resolveDetectorOptions(options));
}
