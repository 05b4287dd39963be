// SPDX-License-Identifier: Apache-2.0
// The corpus half of NAB v1.1's Sweeper (`calcScoreByThreshold`) and Optimizer (`optimizeThreshold`): rows of every
// file are visited from the highest anomaly score down; each distinct score is a candidate threshold (a row is a
// detection when its score >= threshold). Inside a window only the best (earliest) detection counts, a window left
// without a detection costs fnWeight, and every detection outside the windows adds its weighted sigmoid. The
// threshold with the highest raw score wins; among equal scores the highest threshold, as NAB's stable sort keeps.
import { OUTSIDE, PROBATION, type LabelledRows } from './label-rows.ts';
import type { CostMatrix } from './types.ts';

/** Raw score and counts at one threshold. */
export interface RawResult {
  readonly threshold: number;
  readonly rawScore: number;
  readonly truePositives: number;
  readonly falsePositives: number;
  readonly falseNegatives: number;
}

/** NAB starts its sweep above any score: a threshold of 1.1 means "no detection". */
export const NO_DETECTION_THRESHOLD = 1.1;

interface CorpusRows {
  readonly scores: Float64Array;
  /** Global window id, or OUTSIDE / PROBATION. */
  readonly kinds: Int32Array;
  readonly sigmoids: Float64Array;
  readonly windowCount: number;
  readonly scorable: Uint8Array;
}

function concatenate(files: readonly LabelledRows[]): CorpusRows {
  const total = files.reduce((sum, f) => sum + f.kinds.length, 0);
  const windowCount = files.reduce((sum, f) => sum + f.labelledWindows, 0);
  const rows = { scores: new Float64Array(total), kinds: new Int32Array(total), sigmoids: new Float64Array(total) };
  const scorable = new Uint8Array(windowCount);
  let offset = 0;
  let windowOffset = 0;
  for (const f of files) {
    for (let i = 0; i < f.kinds.length; i++) {
      const kind = f.kinds[i] as number;
      const global = kind >= 0 ? kind + windowOffset : kind;
      rows.kinds[offset + i] = global;
      rows.sigmoids[offset + i] = f.sigmoids[i] as number;
      // a missing score (NaN) is no detection at any threshold
      const score = f.scores[i] as number;
      rows.scores[offset + i] = Number.isNaN(score) ? 0 : score;
      if (global >= 0) scorable[global] = 1;
    }
    offset += f.kinds.length;
    windowOffset += f.labelledWindows;
  }
  return { ...rows, windowCount, scorable };
}

/** Mutable tally of the score while the threshold goes down. */
class Tally {
  readonly best: Float64Array;
  readonly hit: Uint8Array;
  rawScore: number;
  truePositives = 0;
  falsePositives = 0;
  readonly scorableCount: number;

  constructor(
    rows: CorpusRows,
    private readonly cost: CostMatrix,
  ) {
    this.best = new Float64Array(rows.windowCount).fill(-cost.fnWeight);
    this.hit = new Uint8Array(rows.windowCount);
    this.scorableCount = rows.scorable.reduce((s, v) => s + v, 0);
    this.rawScore = -cost.fnWeight * this.scorableCount;
  }

  /** Adds a detection on a row. */
  detect(kind: number, sigmoid: number): void {
    if (kind === PROBATION) return;
    if (kind === OUTSIDE) {
      this.rawScore += sigmoid * this.cost.fpWeight;
      this.falsePositives++;
      return;
    }
    const weighted = sigmoid * this.cost.tpWeight;
    const old = this.best[kind] as number;
    if (this.hit[kind] === 0) {
      this.hit[kind] = 1;
      this.truePositives++;
    }
    if (weighted > old) {
      this.best[kind] = weighted;
      this.rawScore += weighted - old;
    }
  }

  result(threshold: number): RawResult {
    const { rawScore, truePositives, falsePositives } = this;
    return { threshold, rawScore, truePositives, falsePositives, falseNegatives: this.scorableCount - truePositives };
  }
}

function byScoreDescending(scores: Float64Array): Uint32Array {
  const order = new Uint32Array(scores.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort((a, b) => (scores[b] as number) - (scores[a] as number));
}

/** Sweeps every distinct score of the corpus as a threshold and returns the best raw result (NAB's optimizer). */
export function sweepBestThreshold(files: readonly LabelledRows[], cost: CostMatrix): RawResult {
  const rows = concatenate(files);
  const order = byScoreDescending(rows.scores);
  const tally = new Tally(rows, cost);
  let best = tally.result(NO_DETECTION_THRESHOLD);
  let i = 0;
  while (i < order.length) {
    const threshold = rows.scores[order[i] as number] as number;
    // every row sharing this score becomes a detection at once
    while (i < order.length && rows.scores[order[i] as number] === threshold) {
      const r = order[i] as number;
      tally.detect(rows.kinds[r] as number, rows.sigmoids[r] as number);
      i++;
    }
    if (tally.rawScore > best.rawScore) best = tally.result(threshold);
  }
  return best;
}

/** The raw corpus result at a fixed threshold (a row is a detection when its score >= threshold). */
export function scoreAtThreshold(files: readonly LabelledRows[], cost: CostMatrix, threshold: number): RawResult {
  const rows = concatenate(files);
  const tally = new Tally(rows, cost);
  for (let r = 0; r < rows.scores.length; r++) {
    if ((rows.scores[r] as number) >= threshold) tally.detect(rows.kinds[r] as number, rows.sigmoids[r] as number);
  }
  return tally.result(threshold);
}
