// SPDX-License-Identifier: Apache-2.0
// Rollup chunks: the buckets of one series and tier over one row span, stored column by column so that a reader
// that needs only min/max/mean stops before the sketches. Layout (docs/store.md): header (version, flags,
// resolution, bucket count, first start, decimals), then bucket starts (gaps in resolutions), counts, the min, max
// and sum columns (scaled integers with a gcd factor and Rice-coded deltas, or float64 XOR), then the sketches
// (bin count, first ordinal as a delta to the previous bucket's, ordinal gaps, bin counts).
import { BitReader, BitWriter } from './bits.ts';
import { readXor, writeXor, XorState } from './float-xor.ts';
import { fromScaled, gcd, MAX_SCALED, toScaled } from './precision.ts';
import { readRice, readSignedRice, RiceState, writeRice, writeSignedRice } from './rice.ts';
import type { RollupBucket } from './rollup.ts';
import type { Sketch } from './sketch.ts';

const ROLLUP_VERSION = 1;
const FLAG_FLOAT = 1;
const FLAG_SKETCH = 2;
const MAX_SCALED_SUM = 2 ** 52;

/** Decoded rollup chunk. `decimals` is null for float mode. */
export interface DecodedRollups {
  readonly decimals: number | null;
  readonly buckets: RollupBucket[];
}

/** [min, max, sum] as scaled integers, or null when min or max is not exact or a value is out of range. */
function scaledBucket(b: RollupBucket, decimals: number): [number, number, number] | null {
  const lo = toScaled(b.min, decimals);
  const hi = toScaled(b.max, decimals);
  const sum = toScaled(b.sum, decimals);
  if (fromScaled(lo, decimals) !== b.min || fromScaled(hi, decimals) !== b.max) return null;
  if (Math.max(Math.abs(lo), Math.abs(hi)) > MAX_SCALED || Math.abs(sum) > MAX_SCALED_SUM) return null;
  return [lo, hi, sum];
}

/** Scaled integer columns, or null when some bucket cannot be stored that way (then float mode). */
function scaledColumns(buckets: readonly RollupBucket[], decimals: number | null): number[][] | null {
  if (decimals === null) return null;
  const cols: [number[], number[], number[]] = [[], [], []];
  for (const b of buckets) {
    const scaled = scaledBucket(b, decimals);
    if (!scaled) return null;
    cols[0].push(scaled[0]);
    cols[1].push(scaled[1]);
    cols[2].push(scaled[2]);
  }
  return cols;
}

function writeIntColumn(w: BitWriter, col: readonly number[]): void {
  const first = col[0] ?? 0;
  let factor = 0;
  for (const v of col) factor = gcd(factor, Math.abs(v - first));
  w.writeVarInt(first);
  w.writeVarUint(factor);
  const state = new RiceState();
  for (let i = 1; i < col.length; i++) {
    writeSignedRice(w, state, factor === 0 ? 0 : ((col[i] ?? 0) - (col[i - 1] ?? 0)) / factor);
  }
}

function readIntColumn(r: BitReader, n: number): number[] {
  let v = r.readVarInt();
  const factor = r.readVarUint();
  const state = new RiceState();
  // Sized once: growing by push left a trail of copies for the collector on every decoded chunk.
  const out = new Array<number>(n);
  out[0] = v;
  for (let i = 1; i < n; i++) {
    v += readSignedRice(r, state) * factor;
    out[i] = v;
  }
  return out;
}

function writeFloatColumn(w: BitWriter, col: readonly number[]): void {
  const state = new XorState(0);
  for (const v of col) writeXor(w, state, v);
}

function readFloatColumn(r: BitReader, n: number): number[] {
  const state = new XorState(0);
  return Array.from({ length: n }, () => readXor(r, state));
}

function writeSketches(w: BitWriter, buckets: readonly RollupBucket[]): void {
  const nState = new RiceState();
  const firstState = new RiceState(64);
  const gapState = new RiceState();
  const countState = new RiceState();
  let prevFirst = 0;
  for (const b of buckets) {
    const s = b.sketch ?? { ordinals: [], counts: [] };
    writeRice(w, nState, s.ordinals.length);
    for (let i = 0; i < s.ordinals.length; i++) {
      const o = s.ordinals[i] ?? 0;
      if (i === 0) {
        writeSignedRice(w, firstState, o - prevFirst);
        prevFirst = o;
      } else {
        writeRice(w, gapState, o - (s.ordinals[i - 1] ?? 0) - 1);
      }
      writeRice(w, countState, (s.counts[i] ?? 1) - 1);
    }
  }
}

function readSketches(r: BitReader, n: number): Sketch[] {
  const nState = new RiceState();
  const firstState = new RiceState(64);
  const gapState = new RiceState();
  const countState = new RiceState();
  let prevFirst = 0;
  const out: Sketch[] = [];
  for (let b = 0; b < n; b++) {
    const bins = readRice(r, nState);
    const ordinals = new Array<number>(bins);
    const counts = new Array<number>(bins);
    let o = prevFirst;
    for (let i = 0; i < bins; i++) {
      o = i === 0 ? prevFirst + readSignedRice(r, firstState) : o + readRice(r, gapState) + 1;
      if (i === 0) prevFirst = o;
      ordinals[i] = o;
      counts[i] = readRice(r, countState) + 1;
    }
    out.push({ ordinals, counts });
  }
  return out;
}

function writeStartsAndCounts(w: BitWriter, buckets: readonly RollupBucket[], resolutionMs: number): void {
  const startState = new RiceState(1);
  const countState = new RiceState();
  for (let i = 1; i < buckets.length; i++) {
    const gap = ((buckets[i] as RollupBucket).startMs - (buckets[i - 1] as RollupBucket).startMs) / resolutionMs;
    writeRice(w, startState, gap - 1);
  }
  let prevCount = 0;
  for (const b of buckets) {
    writeSignedRice(w, countState, b.count - prevCount);
    prevCount = b.count;
  }
}

/** Encodes ascending, distinct-start buckets of one tier. Sketches are kept when `withSketch` and present. */
export function encodeRollups(
  buckets: readonly RollupBucket[],
  opts: { resolutionMs: number; decimals: number | null; withSketch: boolean },
): Uint8Array {
  const cols = scaledColumns(buckets, opts.decimals);
  const w = new BitWriter(32 + buckets.length * 8);
  w.writeVarUint(ROLLUP_VERSION);
  w.writeBits((cols ? 0 : FLAG_FLOAT) | (opts.withSketch ? FLAG_SKETCH : 0), 8);
  w.writeVarUint(opts.resolutionMs);
  w.writeVarUint(buckets.length);
  w.writeVarInt(buckets[0]?.startMs ?? 0);
  if (cols) {
    w.writeVarInt(opts.decimals ?? 0);
    writeStartsAndCounts(w, buckets, opts.resolutionMs);
    for (const col of cols) writeIntColumn(w, col);
  } else {
    writeStartsAndCounts(w, buckets, opts.resolutionMs);
    for (const key of ['min', 'max', 'sum'] as const) writeFloatColumn(w, buckets.map((b) => b[key]));
  }
  if (opts.withSketch) writeSketches(w, buckets);
  return w.toBytes();
}

function readStartsAndCounts(r: BitReader, head: { n: number; resolutionMs: number; firstStartMs: number }) {
  const { n, resolutionMs } = head;
  const starts = new Array<number>(n);
  const counts = new Array<number>(n);
  const startState = new RiceState(1);
  const countState = new RiceState();
  let start = head.firstStartMs;
  for (let i = 0; i < n; i++) {
    if (i > 0) start += (readRice(r, startState) + 1) * resolutionMs;
    starts[i] = start;
  }
  let count = 0;
  for (let i = 0; i < n; i++) counts[i] = count += readSignedRice(r, countState);
  return { starts, counts };
}

/** A min, max or sum column as values: float XOR, or scaled integers divided back. */
function readValueColumn(r: BitReader, n: number, decimals: number | null): number[] {
  if (decimals === null) return readFloatColumn(r, n);
  const col = readIntColumn(r, n);
  for (let i = 0; i < n; i++) col[i] = fromScaled(col[i] as number, decimals);
  return col;
}

/** A decoded rollup chunk column by column (no object per bucket); `sketches` is null when not read. */
export interface RollupColumns {
  readonly decimals: number | null;
  readonly starts: readonly number[];
  readonly counts: readonly number[];
  readonly mins: readonly number[];
  readonly maxs: readonly number[];
  readonly sums: readonly number[];
  readonly sketches: readonly Sketch[] | null;
}

const EMPTY_COLUMNS: RollupColumns = { decimals: null, starts: [], counts: [], mins: [], maxs: [], sums: [], sketches: null };

/**
 * Decodes a rollup chunk into columns; the sketches, stored last, are read only when `withSketch` (a reader of
 * min/max/mean stops before them).
 */
export function decodeRollupColumns(bytes: Uint8Array, withSketch: boolean): RollupColumns {
  const r = new BitReader(bytes);
  const version = r.readVarUint();
  if (version !== ROLLUP_VERSION) throw new RangeError(`unsupported rollup version ${version}`);
  const flags = r.readBits(8);
  const resolutionMs = r.readVarUint();
  const n = r.readVarUint();
  if (n === 0) return EMPTY_COLUMNS;
  const firstStartMs = r.readVarInt();
  const decimals = (flags & FLAG_FLOAT) !== 0 ? null : r.readVarInt();
  const { starts, counts } = readStartsAndCounts(r, { n, resolutionMs, firstStartMs });
  const mins = readValueColumn(r, n, decimals);
  const maxs = readValueColumn(r, n, decimals);
  const sums = readValueColumn(r, n, decimals);
  const sketches = withSketch && (flags & FLAG_SKETCH) !== 0 ? readSketches(r, n) : null;
  return { decimals, starts, counts, mins, maxs, sums, sketches };
}

/** Decodes a rollup chunk into buckets; sketches are read only when `withSketch` (else null). */
export function decodeRollups(bytes: Uint8Array, withSketch: boolean): DecodedRollups {
  const c = decodeRollupColumns(bytes, withSketch);
  const n = c.starts.length;
  const buckets = new Array<RollupBucket>(n);
  for (let i = 0; i < n; i++) {
    buckets[i] = {
      startMs: c.starts[i] as number,
      count: c.counts[i] as number,
      min: c.mins[i] as number,
      max: c.maxs[i] as number,
      sum: c.sums[i] as number,
      sketch: c.sketches ? (c.sketches[i] as Sketch) : null,
    };
  }
  return { decimals: c.decimals, buckets };
}
