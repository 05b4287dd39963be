// SPDX-License-Identifier: Apache-2.0
// The anomaly-likelihood idea of Numenta's HTM detector (Ahmad et al. 2017, "Unsupervised real-time anomaly detection
// for streaming data"), written from its published description: a raw score in [0, 1] per sample is averaged over a
// short window, and that short average is compared with the distribution (mean, variance) of the same averages over
// a long history. The tail probability is two-sided: a stream that suddenly becomes far more predictable than usual
// (a flat line in a noisy metric) is as suspicious as one that becomes unpredictable.
//
// Unlike the original, the long baseline never contains the averages of the current short window (they enter it
// `averagingWindow` samples late), so the tested window is disjoint from its baseline (REQUIREMENTS §11 D-02).
import { normalTail } from '../stats/normal-tail.ts';

export interface LikelihoodOptions {
  /** Samples in the short moving average (HTM: 10). */
  readonly averagingWindow: number;
  /** Short averages kept in the long baseline (HTM: 8640, a month of 5-minute samples). */
  readonly historySamples: number;
  /** Baseline averages needed before any probability below 1 is given. */
  readonly minBaseline: number;
}

/** HTM's floors: a mean below 0.03 or a variance below 0.0003 is raised, so that a stream whose raw scores are
 * almost always 0 does not turn the slightest blip into a certainty. */
const MEAN_FLOOR = 0.03;
const VARIANCE_FLOOR = 0.0003;

export class AnomalyLikelihood {
  private readonly recent: Float64Array;
  private recentSum = 0;
  private recentCount = 0;
  private recentHead = 0;
  /** Averages waiting to enter the baseline (a ring of averagingWindow). */
  private readonly pending: Float64Array;
  private pendingCount = 0;
  private pendingHead = 0;
  private readonly history: Float64Array;
  private historyCount = 0;
  private historyHead = 0;
  private sum = 0;
  private sumSquares = 0;
  private pushesSinceResum = 0;

  constructor(private readonly options: LikelihoodOptions) {
    this.recent = new Float64Array(options.averagingWindow);
    this.pending = new Float64Array(options.averagingWindow);
    this.history = new Float64Array(options.historySamples);
  }

  /** Number of averages in the baseline. */
  get baselineSize(): number {
    return this.historyCount;
  }

  /** Adds a raw score in [0, 1] and returns the two-sided tail probability of the new short average. */
  update(raw: number): number {
    const average = this.pushRecent(raw);
    const p = this.tailProbability(average);
    this.pushPending(average);
    return p;
  }

  private pushRecent(raw: number): number {
    const n = this.options.averagingWindow;
    if (this.recentCount === n) this.recentSum -= this.recent[this.recentHead] as number;
    else this.recentCount++;
    this.recent[this.recentHead] = raw;
    this.recentSum += raw;
    this.recentHead = (this.recentHead + 1) % n;
    return this.recentSum / this.recentCount;
  }

  private tailProbability(average: number): number {
    if (this.historyCount < this.options.minBaseline) return 1;
    const mean = Math.max(this.sum / this.historyCount, MEAN_FLOOR);
    const variance = Math.max(this.sumSquares / this.historyCount - (this.sum / this.historyCount) ** 2, VARIANCE_FLOOR);
    return normalTail(Math.abs(average - mean) / Math.sqrt(variance));
  }

  private pushPending(average: number): void {
    const n = this.options.averagingWindow;
    if (this.pendingCount === n) this.pushHistory(this.pending[this.pendingHead] as number);
    else this.pendingCount++;
    this.pending[this.pendingHead] = average;
    this.pendingHead = (this.pendingHead + 1) % n;
  }

  private pushHistory(average: number): void {
    const cap = this.options.historySamples;
    if (this.historyCount === cap) {
      const old = this.history[this.historyHead] as number;
      this.sum -= old;
      this.sumSquares -= old * old;
    } else {
      this.historyCount++;
    }
    this.history[this.historyHead] = average;
    this.sum += average;
    this.sumSquares += average * average;
    this.historyHead = (this.historyHead + 1) % cap;
    if (++this.pushesSinceResum >= cap) this.resum();
  }

  /** Recomputes the running sums so rounding errors cannot accumulate on endless streams. */
  private resum(): void {
    this.pushesSinceResum = 0;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < this.historyCount; i++) {
      const v = this.history[i] as number;
      s += v;
      s2 += v * v;
    }
    this.sum = s;
    this.sumSquares = s2;
  }
}
