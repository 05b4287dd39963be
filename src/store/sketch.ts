// SPDX-License-Identifier: Apache-2.0
// A mergeable quantile sketch with relative accuracy, after DDSketch (Masson et al., VLDB 2019): a value v > 0 falls
// into bin ceil(log_γ v) with γ = (1 + α)/(1 − α); answering with the bin's midpoint 2γ^k/(γ + 1) is within α of
// every value of the bin. Bins are kept as one sorted list of "ordinals" that are monotonic in the value: positive
// values at OFFSET + k, negative ones mirrored below zero, and 0 itself at ordinal 0. Merging adds counts, so the
// 1-hour sketch of 12 five-minute sketches equals the sketch of the hour's samples.

/**
 * Relative accuracy α of every quantile answered from a sketch (2 %; the VPA recommender's histograms use 5 %
 * bucket growth). Halving α roughly doubles the bins of a 1-hour sketch, which dominates the rollup tiers' size.
 */
export const SKETCH_RELATIVE_ACCURACY = 0.02;

const GAMMA = (1 + SKETCH_RELATIVE_ACCURACY) / (1 - SKETCH_RELATIVE_ACCURACY);
const INV_LN_GAMMA = 1 / Math.log(GAMMA);
// Doubles span about ±18,000 bins at α = 2 %, so this keeps every positive ordinal above 0.
const OFFSET = 1 << 16;

/** Sorted bins: `ordinals` strictly ascending, `counts` ≥ 1, same length. */
export interface Sketch {
  readonly ordinals: readonly number[];
  readonly counts: readonly number[];
}

/** The ordinal of a finite value. */
export function sketchOrdinal(v: number): number {
  if (v > 0) return OFFSET + Math.ceil(Math.log(v) * INV_LN_GAMMA);
  if (v < 0) return -(OFFSET + Math.ceil(Math.log(-v) * INV_LN_GAMMA));
  return 0;
}

/** Representative value of an ordinal: within α of every value mapped to it. */
export function ordinalValue(ordinal: number): number {
  if (ordinal === 0) return 0;
  const k = Math.abs(ordinal) - OFFSET;
  const v = (2 * Math.pow(GAMMA, k)) / (GAMMA + 1);
  return ordinal > 0 ? v : -v;
}

/** Builds a sketch from ordinals (any order); `ords` is sorted in place. */
export function sketchFromOrdinals(ords: number[] | Int32Array): Sketch {
  if (ords instanceof Int32Array) ords.sort();
  else ords.sort((a, b) => a - b);
  const ordinals: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < ords.length; i++) {
    const o = ords[i] ?? 0;
    if (ordinals.length > 0 && ordinals[ordinals.length - 1] === o) {
      counts[counts.length - 1] = (counts[counts.length - 1] ?? 0) + 1;
    } else {
      ordinals.push(o);
      counts.push(1);
    }
  }
  return { ordinals, counts };
}

/** Merges two sketches. */
export function mergeSketches(a: Sketch, b: Sketch): Sketch {
  const ordinals: number[] = [];
  const counts: number[] = [];
  let i = 0;
  let j = 0;
  const na = a.ordinals.length;
  const nb = b.ordinals.length;
  while (i < na || j < nb) {
    const oa = i < na ? (a.ordinals[i] as number) : Infinity;
    const ob = j < nb ? (b.ordinals[j] as number) : Infinity;
    const o = Math.min(oa, ob);
    let c = 0;
    if (oa === o) c += a.counts[i++] as number;
    if (ob === o) c += b.counts[j++] as number;
    ordinals.push(o);
    counts.push(c);
  }
  return { ordinals, counts };
}

/** Widest span of positive ordinals merged densely (bins); wider inputs use sorted merges. */
const DENSE_LIMIT = 1 << 16;
/** Dense counts reused by every {@link SketchAccumulator.quantiles} call (synchronous, so never shared), all zero. */
let scratch = new Float64Array(256);

/**
 * Bins in ascending order: `ordinals[i]` holds `counts[i]`; with `ordinals` null the bins are dense, slot 0 holding
 * the zeros and slot i > 0 the ordinal `lo + i − 1`.
 */
interface Bins {
  readonly counts: ArrayLike<number>;
  readonly ordinals: ArrayLike<number> | null;
  readonly lo: number;
}

function binOrdinal(bins: Bins, i: number): number {
  if (bins.ordinals) return bins.ordinals[i] as number;
  return i === 0 ? 0 : i - 1 + bins.lo;
}

/** Extends the span of positive ordinals (lo, hi) and the smallest ordinal seen (min). */
function widen(span: { lo: number; hi: number; min: number }, o: number): void {
  if (o < span.min) span.min = o;
  if (o > 0) {
    if (o < span.lo) span.lo = o;
    if (o > span.hi) span.hi = o;
  }
}

function isAscending(xs: readonly number[]): boolean {
  for (let i = 1; i < xs.length; i++) if ((xs[i] as number) < (xs[i - 1] as number)) return false;
  return true;
}

/**
 * One pass over bin counts: per quantile (lower rank floor(q·(total − 1))), the index of the bin holding its rank;
 * null when the bins are empty. The one rank and bin choice of every quantile, shared by the walk of a query and by
 * the rollup encoder, which stores the chosen bin's ordinal so that a query answers the same without the sketch.
 */
export function quantileBins(counts: ArrayLike<number>, qs: readonly number[]): number[] | null {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i] as number;
  if (total === 0) return null;
  const ranks = qs.map((q) => Math.floor(Math.min(1, Math.max(0, q)) * (total - 1)));
  const order = ranks.map((_, i) => i);
  if (!isAscending(ranks)) order.sort((a, b) => (ranks[a] as number) - (ranks[b] as number));
  const out = ranks.map(() => -1);
  let seen = 0;
  let k = 0;
  for (let i = 0; i < counts.length && k < order.length; i++) {
    seen += counts[i] as number;
    while (k < order.length && seen > (ranks[order[k] as number] as number)) out[order[k++] as number] = i;
  }
  return out;
}

/** The answer of a bin: its representative value clamped to the known [min, max] (NaN for a NaN ordinal). */
export function ordinalAnswer(ordinal: number, bounds: { min: number; max: number }): number {
  return Math.min(bounds.max, Math.max(bounds.min, ordinalValue(ordinal)));
}

/** Per quantile, the answer of the bin holding its rank (the max when none does); NaN when empty. */
function walk(bins: Bins, qs: readonly number[], bounds: { min: number; max: number }): number[] {
  const at = quantileBins(bins.counts, qs);
  if (!at) return qs.map(() => NaN);
  return at.map((i) => (i < 0 ? bounds.max : ordinalAnswer(binOrdinal(bins, i), bounds)));
}

/** Quantiles (each in [0, 1], lower rank) of a sketch, clamped to the known [min, max]; NaN when empty. */
export function sketchQuantiles(s: Sketch, qs: readonly number[], bounds: { min: number; max: number }): number[] {
  return walk({ counts: s.counts, ordinals: s.ordinals, lo: 0 }, qs, bounds);
}

/**
 * The q-quantile (0 ≤ q ≤ 1) of a sketch, using the lower rank floor(q·(n − 1)) as the exact reference does;
 * clamped to the known [min, max]. NaN for an empty sketch.
 */
export function sketchQuantile(s: Sketch, q: number, bounds: { min: number; max: number }): number {
  return sketchQuantiles(s, [q], bounds)[0] ?? NaN;
}

/**
 * Collects the sketches and single values of one output point. Quantiles add counts into a dense array over the
 * positive ordinals (no sorting, no intermediate sketches); negative values, or a span too wide, go through sorted
 * merges instead.
 */
export class SketchAccumulator {
  private readonly parts: Sketch[] = [];
  private readonly ordinals: number[] = [];

  addOrdinal(ordinal: number): void {
    this.ordinals.push(ordinal);
  }

  addSketch(s: Sketch): void {
    this.parts.push(s);
  }

  /** Everything added, as one sketch (a balanced tree of pairwise merges). */
  toSketch(): Sketch {
    let level = this.ordinals.length > 0 ? [...this.parts, sketchFromOrdinals([...this.ordinals])] : this.parts;
    while (level.length > 1) {
      const next: Sketch[] = [];
      for (let i = 0; i < level.length; i += 2) {
        const a = level[i] as Sketch;
        const b = level[i + 1];
        next.push(b ? mergeSketches(a, b) : a);
      }
      level = next;
    }
    return level[0] ?? { ordinals: [], counts: [] };
  }

  /** Quantiles of everything added, clamped to the known [min, max]; NaN when empty. */
  quantiles(qs: readonly number[], bounds: { min: number; max: number }): number[] {
    // One sketch alone (a step of one rollup bucket, as hourly CPU over the 1 h tier) is walked as it is: its bins
    // are sorted already, and the walk meets the same non-empty bins in the same order as over the dense array.
    if (this.ordinals.length === 0 && this.parts.length === 1) return sketchQuantiles(this.parts[0] as Sketch, qs, bounds);
    const range = this.positiveRange();
    if (!range) return sketchQuantiles(this.toSketch(), qs, bounds);
    const size = range.hi - range.lo + 2;
    if (scratch.length < size) scratch = new Float64Array(Math.max(size, scratch.length * 2));
    const counts = scratch.subarray(0, size);
    for (const p of this.parts) {
      for (let i = 0; i < p.ordinals.length; i++) {
        const o = p.ordinals[i] as number;
        const slot = o === 0 ? 0 : o - range.lo + 1;
        counts[slot] = (counts[slot] as number) + (p.counts[i] as number);
      }
    }
    for (const o of this.ordinals) {
      const slot = o === 0 ? 0 : o - range.lo + 1;
      counts[slot] = (counts[slot] as number) + 1;
    }
    const out = walk({ counts, ordinals: null, lo: range.lo }, qs, bounds);
    counts.fill(0);
    return out;
  }

  /** Span of the positive ordinals; null when a value is negative or the span is too wide for a dense array. */
  private positiveRange(): { lo: number; hi: number } | null {
    const span = { lo: Infinity, hi: -Infinity, min: 0 };
    for (const p of this.parts) {
      // Sorted: the first bin is the smallest (negative, zero or positive), the last the largest.
      const n = p.ordinals.length;
      if (n === 0) continue;
      const first = p.ordinals[0] as number;
      widen(span, first);
      if (first === 0 && n > 1) widen(span, p.ordinals[1] as number);
      widen(span, p.ordinals[n - 1] as number);
    }
    for (const o of this.ordinals) widen(span, o);
    if (span.min < 0) return null;
    if (span.lo === Infinity) return { lo: 1, hi: 0 };
    return span.hi - span.lo < DENSE_LIMIT ? { lo: span.lo, hi: span.hi } : null;
  }
}

/** Exact lower-rank quantile of sorted values, the reference the sketch approximates. */
export function exactQuantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.floor(Math.min(1, Math.max(0, q)) * (sorted.length - 1));
  return sorted[rank] ?? NaN;
}
