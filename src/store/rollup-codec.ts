// SPDX-License-Identifier: Apache-2.0
// Rollup chunks: the buckets of one series and tier over one row span, stored column by column so that a reader
// decodes only the columns a query asks for. Version 2 (docs/store.md): a byte-aligned header (version, flags,
// resolution, bucket count, first start, decimals, then the byte length of every column before the sketches), then the
// columns, each byte-aligned: bucket starts and counts, the min, max and sum columns (scaled integers with a gcd
// factor and Rice-coded deltas, or float64 XOR), and in tiers with sketches the sketch ordinal answering each stored
// quantile per bucket, then the sketches (bin count, first ordinal as a delta to the previous bucket's, ordinal gaps,
// bin counts). Version 1 rows (no lengths, no stored quantiles) are still read.
import { BitReader, BitWriter, unzigzag } from './bits.ts';
import { readXor, writeXor, XorState } from './float-xor.ts';
import { fromScaled, gcd, MAX_SCALED, toScaled } from './precision.ts';
import { readRice, readRiceZeros, readSignedRice, RiceState, writeRice, writeSignedRice } from './rice.ts';
import type { RollupBucket } from './rollup.ts';
import type { Sketch } from './sketch.ts';
import { readOrdinalColumn, readSketches, storedOrdinals, STORED_QUANTILES, writeOrdinalColumn, writeSketches } from './rollup-sketch-columns.ts';

const ROLLUP_V1 = 1;
const ROLLUP_VERSION = 2;
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

function bytesOf(write: (w: BitWriter) => void, capacity: number): Uint8Array {
  const w = new BitWriter(capacity);
  write(w);
  return w.toBytes();
}

/** The columns before the sketches, in order: starts and counts, min, max, sum, then the stored quantiles. */
function leadingColumns(buckets: readonly RollupBucket[], opts: { resolutionMs: number; withSketch: boolean; cols: number[][] | null }): Uint8Array[] {
  const n = buckets.length;
  const out = [bytesOf((w) => writeStartsAndCounts(w, buckets, opts.resolutionMs), 16 + n * 2)];
  const { cols } = opts;
  (['min', 'max', 'sum'] as const).forEach((key, k) => {
    out.push(bytesOf((w) => (cols ? writeIntColumn(w, cols[k] as number[]) : writeFloatColumn(w, buckets.map((b) => b[key]))), 16 + n * 4));
  });
  if (opts.withSketch) {
    const ords = storedOrdinals(buckets);
    for (let k = 0; k < STORED_QUANTILES.length; k++) out.push(writeOrdinalColumn(ords, k));
  }
  return out;
}

/** Encodes ascending, distinct-start buckets of one tier. Sketches are kept when `withSketch` and present. */
export function encodeRollups(
  buckets: readonly RollupBucket[],
  opts: { resolutionMs: number; decimals: number | null; withSketch: boolean },
): Uint8Array {
  const cols = scaledColumns(buckets, opts.decimals);
  const head = new BitWriter(48);
  head.writeVarUint(ROLLUP_VERSION);
  head.writeBits((cols ? 0 : FLAG_FLOAT) | (opts.withSketch ? FLAG_SKETCH : 0), 8);
  head.writeVarUint(opts.resolutionMs);
  head.writeVarUint(buckets.length);
  if (buckets.length === 0) return head.toBytes();
  head.writeVarInt((buckets[0] as RollupBucket).startMs);
  if (cols) head.writeVarInt(opts.decimals ?? 0);
  const parts = leadingColumns(buckets, { resolutionMs: opts.resolutionMs, withSketch: opts.withSketch, cols });
  // The length of every column before the sketches, so that a reader jumps to the columns it needs.
  for (const p of parts) head.writeVarUint(p.length);
  if (opts.withSketch) parts.push(bytesOf((w) => writeSketches(w, buckets), 32 + buckets.length * 16));
  parts.unshift(head.toBytes());
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function readStartsAndCounts(r: BitReader, head: { n: number; resolutionMs: number; firstStartMs: number }) {
  const { n, resolutionMs } = head;
  const starts = new Array<number>(n);
  const counts = new Array<number>(n);
  const startState = new RiceState(1);
  const countState = new RiceState();
  let start = head.firstStartMs;
  starts[0] = start;
  // Gaps of one bucket (coded 0) and unchanged counts (a delta of 0) are most of both columns: read in runs.
  for (let i = 1; i < n; ) {
    const run = readRiceZeros(r, startState, n - i);
    for (let z = 0; z < run; z++) starts[i++] = start += resolutionMs;
    if (i < n) starts[i++] = start += (readRice(r, startState) + 1) * resolutionMs;
  }
  let count = 0;
  for (let i = 0; i < n; ) {
    const run = readRiceZeros(r, countState, n - i);
    for (let z = 0; z < run; z++) counts[i++] = count;
    if (i < n) counts[i++] = count += readSignedRice(r, countState);
  }
  return { starts, counts };
}

/** A min, max or sum column as values: float XOR, or scaled integers divided back. */
function readValueColumn(r: BitReader, n: number, decimals: number | null): number[] {
  if (decimals === null) return readFloatColumn(r, n);
  const col = readIntColumn(r, n);
  for (let i = 0; i < n; i++) col[i] = fromScaled(col[i] as number, decimals);
  return col;
}

/** Which columns a reader needs; starts and counts are always read. */
export interface RollupWant {
  readonly min: boolean;
  readonly max: boolean;
  readonly sum: boolean;
  /** The sketches. */
  readonly sketches: boolean;
  /** Indexes into {@link STORED_QUANTILES} to read; a row that stores none (version 1) reads its sketches instead. */
  readonly quantiles: readonly number[];
}

const EVERY_COLUMN: RollupWant = { min: true, max: true, sum: true, sketches: false, quantiles: [] };
const EVERY_COLUMN_AND_SKETCH: RollupWant = { ...EVERY_COLUMN, sketches: true };

/** A decoded rollup chunk column by column (no object per bucket); a column not asked for is empty. */
export interface RollupColumns {
  readonly decimals: number | null;
  readonly starts: readonly number[];
  readonly counts: readonly number[];
  readonly mins: readonly number[];
  readonly maxs: readonly number[];
  readonly sums: readonly number[];
  /** Null when not read (or the row keeps none). */
  readonly sketches: readonly Sketch[] | null;
  /**
   * Per index of {@link STORED_QUANTILES}, when asked and the row stores it: per bucket, the ordinal of the bin
   * answering it (NaN for an empty sketch). Null when the row stores none (version 1, or a tier without sketches).
   */
  readonly quantileOrdinals: ReadonlyArray<readonly number[] | null> | null;
}

const NONE: readonly number[] = [];
const EMPTY_COLUMNS: RollupColumns = {
  decimals: null,
  starts: NONE,
  counts: NONE,
  mins: NONE,
  maxs: NONE,
  sums: NONE,
  sketches: null,
  quantileOrdinals: null,
};

/** Version 1: every column in sequence, so all of min, max and sum are read; sketches also stand in for quantiles. */
function decodeV1(bytes: Uint8Array, want: RollupWant): RollupColumns {
  const r = new BitReader(bytes);
  r.readVarUint();
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
  const withSketch = want.sketches || want.quantiles.length > 0;
  const sketches = withSketch && (flags & FLAG_SKETCH) !== 0 ? readSketches(r, n) : null;
  return { decimals, starts, counts, mins, maxs, sums, sketches, quantileOrdinals: null };
}

/** Reads the byte-aligned varuints of a version 2 header. */
class HeaderCursor {
  pos = 0;
  constructor(private readonly bytes: Uint8Array) {}

  varUint(): number {
    let v = 0;
    let scale = 1;
    for (;;) {
      const b = this.bytes[this.pos++] ?? 0;
      v += (b & 127) * scale;
      if (b < 128) return v;
      scale *= 128;
    }
  }

  varInt(): number {
    return unzigzag(this.varUint());
  }
}

/** A version 2 header: what every column needs, and where each column starts. */
interface V2Layout {
  readonly n: number;
  readonly decimals: number | null;
  readonly sketched: boolean;
  readonly starts: { n: number; resolutionMs: number; firstStartMs: number };
  readonly offsets: readonly number[];
}

function layoutV2(bytes: Uint8Array): V2Layout | null {
  const c = new HeaderCursor(bytes);
  c.varUint();
  const flags = c.varUint() & 0xff;
  const resolutionMs = c.varUint();
  const n = c.varUint();
  if (n === 0) return null;
  const firstStartMs = c.varInt();
  const decimals = (flags & FLAG_FLOAT) !== 0 ? null : c.varInt();
  const sketched = (flags & FLAG_SKETCH) !== 0;
  const lengths = Array.from({ length: 4 + (sketched ? STORED_QUANTILES.length : 0) }, () => c.varUint());
  const offsets = [c.pos];
  for (const len of lengths) offsets.push((offsets[offsets.length - 1] as number) + len);
  return { n, decimals, sketched, starts: { n, resolutionMs, firstStartMs }, offsets };
}

function decodeV2(bytes: Uint8Array, want: RollupWant): RollupColumns {
  const l = layoutV2(bytes);
  if (!l) return EMPTY_COLUMNS;
  const at = (k: number) => new BitReader(bytes, l.offsets[k]);
  const value = (k: number, asked: boolean) => (asked ? readValueColumn(at(k), l.n, l.decimals) : NONE);
  const { starts, counts } = readStartsAndCounts(at(0), l.starts);
  let quantileOrdinals: Array<number[] | null> | null = null;
  if (l.sketched) quantileOrdinals = STORED_QUANTILES.map((_, k) => (want.quantiles.includes(k) ? readOrdinalColumn(at(4 + k), l.n) : null));
  const sketches = l.sketched && want.sketches ? readSketches(at(4 + STORED_QUANTILES.length), l.n) : null;
  return { decimals: l.decimals, starts, counts, mins: value(1, want.min), maxs: value(2, want.max), sums: value(3, want.sum), sketches, quantileOrdinals };
}

/**
 * Decodes a rollup chunk into columns. `want` true or false reads every column, with or without the sketches;
 * otherwise only the asked columns are decoded (a version 2 row jumps over the others).
 */
export function decodeRollupColumns(bytes: Uint8Array, want: boolean | RollupWant): RollupColumns {
  const w = typeof want === 'boolean' ? (want ? EVERY_COLUMN_AND_SKETCH : EVERY_COLUMN) : want;
  const version = bytes[0] ?? 0;
  if (version === ROLLUP_VERSION) return decodeV2(bytes, w);
  if (version === ROLLUP_V1) return decodeV1(bytes, w);
  throw new RangeError(`unsupported rollup version ${version}`);
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
