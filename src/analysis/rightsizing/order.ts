// SPDX-License-Identifier: Apache-2.0
// The ascending order of a series' values, ties in position order: what the weighted quantiles walk. Every
// recommendation orders each pod's CPU and the pooled working set, so this is the hot loop of rightsizing: a
// merge sort on typed arrays for short series, an LSD radix sort (stable, linear) for long ones (a workload's
// pool of thousands of pods), both several times faster than a comparator sort or a native sort of the values plus
// a search for each position.

/** From this length on the radix sort is the faster (its histograms cost a fixed few microseconds). */
const RADIX_FROM = 1024;
/** Whether the high word of a double comes second in memory. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Positions sorted in runs of this many by insertion before the merges. */
const RUN = 16;

/** Sorts `order` by value in runs of {@link RUN}, stably (a later position moves only past a greater value). */
function insertionRuns(v: Float64Array, order: Int32Array): void {
  const n = order.length;
  for (let start = 0; start < n; start += RUN) {
    const end = Math.min(n, start + RUN);
    for (let i = start + 1; i < end; i++) {
      const k = order[i] as number;
      const kv = v[k] as number;
      let j = i - 1;
      while (j >= start && (v[order[j] as number] as number) > kv) {
        order[j + 1] = order[j] as number;
        j--;
      }
      order[j + 1] = k;
    }
  }
}

/** Merges the sorted runs of `width` in `from` pairwise into `to`, stably (ties take the left run first). */
function mergePass(v: Float64Array, order: { from: Int32Array; to: Int32Array }, width: number): void {
  const { from, to } = order;
  const n = from.length;
  for (let lo = 0; lo < n; lo += 2 * width) {
    const mid = Math.min(n, lo + width);
    const hi = Math.min(n, lo + 2 * width);
    let i = lo;
    let j = mid;
    let k = lo;
    while (i < mid && j < hi) to[k++] = (v[from[j] as number] as number) < (v[from[i] as number] as number) ? (from[j++] as number) : (from[i++] as number);
    while (i < mid) to[k++] = from[i++] as number;
    while (j < hi) to[k++] = from[j++] as number;
  }
}

/** A stable bottom-up merge sort of the positions, for short series. */
function mergeOrder(v: Float64Array): Int32Array {
  const n = v.length;
  let order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  insertionRuns(v, order);
  let spare = new Int32Array(n);
  for (let width = RUN; width < n; width *= 2) {
    mergePass(v, { from: order, to: spare }, width);
    [order, spare] = [spare, order];
  }
  return order;
}

/**
 * Each value's bits as an unsigned 64-bit key in two words that order as the values do: the sign bit set for a
 * positive value, every bit flipped for a negative one. −0 is read as 0, so that the two tie.
 */
function keysOf(v: Float64Array): { lo: Uint32Array; hi: Uint32Array } {
  const n = v.length;
  const f = new Float64Array(n);
  for (let i = 0; i < n; i++) f[i] = (v[i] as number) + 0;
  const words = new Uint32Array(f.buffer);
  const [l, h] = LITTLE_ENDIAN ? [0, 1] : [1, 0];
  const lo = new Uint32Array(n);
  const hi = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const high = words[2 * i + h] as number;
    const low = words[2 * i + l] as number;
    const negative = (high & 0x80000000) !== 0;
    hi[i] = negative ? ~high >>> 0 : (high | 0x80000000) >>> 0;
    lo[i] = negative ? ~low >>> 0 : low;
  }
  return { lo, hi };
}

function bump(count: Int32Array, i: number): void {
  count[i] = (count[i] as number) + 1;
}

/** The count of each byte value per byte of the keys, low byte first: 8 × 256 counts. */
function byteCounts(keys: { lo: Uint32Array; hi: Uint32Array }): Int32Array {
  const count = new Int32Array(8 * 256);
  for (const [word, base] of [
    [keys.lo, 0],
    [keys.hi, 1024],
  ] as const) {
    for (let i = 0; i < word.length; i++) {
      const w = word[i] as number;
      bump(count, base + (w & 255));
      bump(count, base + 256 + ((w >>> 8) & 255));
      bump(count, base + 512 + ((w >>> 16) & 255));
      bump(count, base + 768 + (w >>> 24));
    }
  }
  return count;
}

/** Whether every key has the same byte there (a pass over it would change nothing). */
function shared(count: Int32Array, base: number, n: number): boolean {
  for (let b = 0; b < 256; b++) {
    const c = count[base + b] as number;
    if (c > 0) return c === n;
  }
  return true;
}

/** One stable counting pass over byte `p` of the keys: `from`'s positions into `to`. */
function radixPass(keys: { lo: Uint32Array; hi: Uint32Array; count: Int32Array }, p: number, order: { from: Int32Array; to: Int32Array }): void {
  const base = p * 256;
  const { count } = keys;
  let sum = 0;
  for (let b = 0; b < 256; b++) {
    const c = count[base + b] as number;
    count[base + b] = sum;
    sum += c;
  }
  const word = p < 4 ? keys.lo : keys.hi;
  const shift = (p & 3) * 8;
  const { from, to } = order;
  for (let i = 0; i < from.length; i++) {
    const k = from[i] as number;
    const slot = base + (((word[k] as number) >>> shift) & 255);
    const at = count[slot] as number;
    to[at] = k;
    count[slot] = at + 1;
  }
}

/** A least-significant-byte-first radix sort of the positions: stable, so ties stay in position order. */
function radixOrder(v: Float64Array): Int32Array {
  const n = v.length;
  const words = keysOf(v);
  const keys = { ...words, count: byteCounts(words) };
  let from = new Int32Array(n);
  for (let i = 0; i < n; i++) from[i] = i;
  let to = new Int32Array(n);
  for (let p = 0; p < 8; p++) {
    if (shared(keys.count, p * 256, n)) continue;
    radixPass(keys, p, { from, to });
    [from, to] = [to, from];
  }
  return from;
}

/** The values as a `Float64Array` (the hot loops then see one array type only). */
export function float64(values: ArrayLike<number>): Float64Array {
  return values instanceof Float64Array ? values : Float64Array.from(values);
}

/**
 * Positions of `values` in ascending order of value, ties in position order (−0 ties with 0): what a stable
 * comparator sort of the positions gives. With a NaN (no order) it falls back to that comparator sort.
 */
export function ascendingOrder(values: ArrayLike<number>): Int32Array {
  const v = float64(values);
  for (let i = 0; i < v.length; i++) {
    if (Number.isNaN(v[i])) return Int32Array.from(v, (_, j) => j).sort((a, b) => (v[a] as number) - (v[b] as number));
  }
  return v.length >= RADIX_FROM ? radixOrder(v) : mergeOrder(v);
}
