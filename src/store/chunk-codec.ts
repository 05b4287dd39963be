// SPDX-License-Identifier: Apache-2.0
// Raw sample chunks. One chunk holds the samples of one series over one window, encoded incrementally as they
// arrive so that the in-memory head costs about as much as the stored chunk.
//
// Layout (see docs/store.md): a byte-aligned header (version, mode, count, first timestamp, timestamp unit, and for
// integer mode the decimals, the value factor and the first value) followed by a bit stream. Timestamps are coded as
// delta-of-delta in units of `tsUnit` (the gcd of all offsets from the first sample: 60000 for aligned 60 s samples,
// 1000 for second-resolution jitter), so regular series cost ~1 bit per timestamp. Values are scaled integers
// (10^-decimals) coded as deltas in units of `valueFactor` (the gcd of all offsets from the first value, e.g. 4096
// for page-granular memory) with adaptive Rice codes; or float64 XOR (Gorilla) when the series is exact or out of
// range. When a new sample breaks the current unit or factor, the chunk is re-encoded with the gcd (bounded by log2
// of the unit). Unit and factor settle in a chunk's first few samples, when nearly every sample would break them (the
// gcd of two irregular offsets is small): those samples are kept as raw float64 pairs and encoded once,
// YOUNG_SAMPLES in.
import { ArenaBody, YOUNG_BYTES } from './arena-body.ts';
import { F_DECIMALS, f64Base, f64Page, FLAG_FLOAT, FLAG_XOR, FLAG_YOUNG, i32Base, i32Page, type StateColumns } from './head-state.ts';
import { BitWriter, zigzag } from './bits.ts';
import { ByteArena } from './byte-arena.ts';
import { CHUNK_VERSION, decodeChunk, MODE_FLOAT, MODE_INT, tsUnitOf, valueFactorOf } from './chunk-format.ts';
import { floatHalves, writeFloat64, writeXor, type XorFields } from './float-xor.ts';
import { gcd, MAX_SCALED, toScaled } from './precision.ts';
import { RICE_RESET_COUNT, riceK, writeRiceK } from './rice.ts';

export { decodeChunk, type DecodedChunk } from './chunk-format.ts';

/**
 * Samples a chunk keeps unencoded before it settles its unit and factor: re-encoding on every early sample was most of
 * a collection's store time while the heads were young (four of five appends rebuilt the chunk).
 */
const YOUNG_SAMPLES = 8;
/** Bytes of the slot a chunk's first sample takes (its young samples' room). */
export const FIRST_SLOT_BYTES = YOUNG_SAMPLES * YOUNG_BYTES;
/** Slots of the short-lived encoders that encode a young chunk for {@link ChunkEncoder.toBytes}. */
const copyArena = new ByteArena();

/**
 * Incremental encoder of one raw chunk. Samples must arrive with strictly increasing timestamps.
 *
 * The bit writer, the two Rice states and the XOR state are the encoder's own number fields, and its bytes live in
 * a slot of a {@link ByteArena} (young samples as raw float64 pairs, then the encoded body): so that its whole state
 * is numbers, which a set of heads keeps in {@link StateColumns} and one encoder loads, appends to and saves back.
 */
export class ChunkEncoder extends ArenaBody implements XorFields {
  count = 0;
  firstTs = 0;
  lastTs = 0;
  private dec = 0;
  /** The samples are raw pairs in the slot (until YOUNG_SAMPLES of them). */
  private young = true;
  private tsSum = 4;
  private tsN = 1;
  private valSum = 4;
  private valN = 1;
  private tsUnit = 0;
  private prevUnits = 0;
  private prevDelta = 0;
  private floatMode = false;
  private xorMode = false;
  private firstInt = 0;
  private prevInt = 0;
  private valueFactor = 0;
  private firstFloat = 0;
  /** XOR state (see float-xor.ts), used in float mode. */
  hi = 0;
  lo = 0;
  lead = -1;
  trail = 0;

  /** `decimals` null stores exact float64 values; without an arena the encoder has one of its own. */
  constructor(decimals: number | null, arena: ByteArena = new ByteArena(0)) {
    super(arena);
    this.clear(decimals);
  }

  /** Storage precision (null: exact float64). */
  get decimals(): number | null {
    return Number.isNaN(this.dec) ? null : this.dec;
  }

  /** Decimals of the scaled integers (0 for exact float64 values, which never scale). */
  private get scaleDecimals(): number {
    return Number.isNaN(this.dec) ? 0 : this.dec;
  }

  /** Makes this a new empty encoder (its slot, if any, must have been released or saved elsewhere). */
  clear(decimals: number | null): void {
    this.dec = decimals ?? NaN;
    this.count = 0;
    this.firstTs = 0;
    this.lastTs = 0;
    this.cls = -1;
    this.base = 0;
    this.byteIndex = 0;
    this.acc = 0;
    this.accBits = 0;
    this.young = true;
    this.resetCodes();
    this.tsUnit = 0;
    this.floatMode = decimals === null;
    this.xorMode = false;
    this.firstInt = 0;
    this.prevInt = 0;
    this.valueFactor = 0;
    this.firstFloat = 0;
    this.hi = 0;
    this.lo = 0;
    this.lead = -1;
    this.trail = 0;
  }

  /** Saves the state into a slot of the columns. */
  saveState(c: StateColumns, slot: number): void {
    const f = f64Page(c, slot);
    const fi = f64Base(c, slot);
    f[fi] = this.firstTs;
    f[fi + 1] = this.lastTs;
    f[fi + 2] = this.firstInt;
    f[fi + 3] = this.prevInt;
    f[fi + 4] = this.valueFactor;
    f[fi + 5] = this.firstFloat;
    f[fi + 6] = this.tsSum;
    f[fi + 7] = this.valSum;
    f[fi + 8] = this.base;
    f[fi + 9] = this.tsUnit;
    f[fi + 10] = this.prevUnits;
    f[fi + 11] = this.prevDelta;
    f[fi + F_DECIMALS] = this.dec;
    const i = i32Page(c, slot);
    const ii = i32Base(c, slot);
    i[ii] = this.count;
    i[ii + 1] = this.cls;
    i[ii + 2] = this.byteIndex;
    i[ii + 3] = this.acc;
    i[ii + 4] = this.accBits;
    i[ii + 5] = (this.young ? FLAG_YOUNG : 0) | (this.floatMode ? FLAG_FLOAT : 0) | (this.xorMode ? FLAG_XOR : 0);
    i[ii + 6] = this.tsN;
    i[ii + 7] = this.valN;
    i[ii + 8] = this.hi;
    i[ii + 9] = this.lo;
    i[ii + 10] = this.lead;
    i[ii + 11] = this.trail;
  }

  /** Loads the state saved in a slot of the columns (by an encoder on the same arena). */
  loadState(c: StateColumns, slot: number): void {
    const f = f64Page(c, slot);
    const fi = f64Base(c, slot);
    this.firstTs = f[fi] as number;
    this.lastTs = f[fi + 1] as number;
    this.firstInt = f[fi + 2] as number;
    this.prevInt = f[fi + 3] as number;
    this.valueFactor = f[fi + 4] as number;
    this.firstFloat = f[fi + 5] as number;
    this.tsSum = f[fi + 6] as number;
    this.valSum = f[fi + 7] as number;
    this.base = f[fi + 8] as number;
    this.tsUnit = f[fi + 9] as number;
    this.prevUnits = f[fi + 10] as number;
    this.prevDelta = f[fi + 11] as number;
    this.dec = f[fi + F_DECIMALS] as number;
    const i = i32Page(c, slot);
    const ii = i32Base(c, slot);
    this.count = i[ii] as number;
    this.cls = i[ii + 1] as number;
    this.byteIndex = i[ii + 2] as number;
    this.acc = i[ii + 3] as number;
    this.accBits = i[ii + 4] as number;
    const flags = i[ii + 5] as number;
    this.young = (flags & FLAG_YOUNG) !== 0;
    this.floatMode = (flags & FLAG_FLOAT) !== 0;
    this.xorMode = (flags & FLAG_XOR) !== 0;
    this.tsN = i[ii + 6] as number;
    this.valN = i[ii + 7] as number;
    this.hi = i[ii + 8] as number;
    this.lo = i[ii + 9] as number;
    this.lead = i[ii + 10] as number;
    this.trail = i[ii + 11] as number;
  }

  /** Appends a finite sample with a timestamp after {@link lastTs}; the caller checks both. */
  append(tsMs: number, value: number): void {
    if (this.young) {
      this.appendYoung(tsMs, value);
      return;
    }
    const offset = tsMs - this.firstTs;
    let tsUnit = this.tsUnit;
    if (tsUnit === 0) {
      tsUnit = offset;
      this.tsUnit = offset;
    } else if (offset % tsUnit !== 0) {
      tsUnit = gcd(tsUnit, offset);
    }
    const valueFactor = this.floatMode ? this.valueFactor : this.fitValue(value);
    if (tsUnit !== this.tsUnit || valueFactor !== this.valueFactor) {
      return this.rebuild(tsMs, value);
    }
    this.writeNext(tsMs, value);
  }

  /** The chunk so far: header plus body. A young chunk is encoded into a copy and stays young. */
  toBytes(): Uint8Array {
    if (this.young) {
      const copy = new ChunkEncoder(this.decimals, copyArena);
      copy.encodeAll(this.youngPairs());
      const bytes = copy.toBytes();
      copy.release();
      return bytes;
    }
    const out = new BitWriter(16 + this.byteIndex + 1);
    out.writeVarUint(CHUNK_VERSION);
    out.writeBits(this.floatMode ? MODE_FLOAT : MODE_INT, 8);
    out.writeVarUint(this.count);
    out.writeVarInt(this.firstTs);
    out.writeVarUint(this.tsUnit);
    if (this.floatMode) {
      writeFloat64(out, this.firstFloat);
    } else {
      out.writeVarInt(this.scaleDecimals);
      out.writeVarUint(this.valueFactor);
      out.writeVarInt(this.firstInt);
    }
    this.copyBodyTo(out);
    return out.toBytes();
  }

  /** Approximate encoded size in bytes. */
  get sizeBytes(): number {
    // A young chunk: a few bits per sample once encoded, as a settled one.
    return 16 + (this.young ? this.count : this.byteIndex);
  }

  private appendYoung(tsMs: number, value: number): void {
    if (this.count === 0) this.firstTs = tsMs;
    // One slot for the young samples that the encoded body then starts in: a slot per size on the way up would
    // leave a class of slots that every head used once, at start, and none needs again.
    if (this.cls < 0) this.grow(FIRST_SLOT_BYTES);
    this.putPair(this.count, tsMs, value);
    this.lastTs = tsMs;
    this.count++;
    if (this.count >= YOUNG_SAMPLES) this.encodeAll(this.youngPairs());
  }

  /** The young samples as timestamp and value pairs. */
  private youngPairs(): number[] {
    return this.pairs(this.count);
  }

  private writeFirst(tsMs: number, value: number): void {
    this.firstTs = tsMs;
    this.lastTs = tsMs;
    this.count = 1;
    if (!this.floatMode) {
      const n = toScaled(value, this.scaleDecimals);
      if (Math.abs(n) <= MAX_SCALED) {
        this.firstInt = n;
        this.prevInt = n;
        return;
      }
      this.floatMode = true;
    }
    this.firstFloat = value;
    this.xorMode = true;
    const [hi, lo] = floatHalves(value);
    this.hi = hi | 0;
    this.lo = lo | 0;
    this.lead = -1;
    this.trail = 0;
  }

  /** The value factor that fits `value` (-1: float mode needed); sets a first factor in place when possible. */
  private fitValue(value: number): number {
    const n = toScaled(value, this.scaleDecimals);
    if (Math.abs(n) > MAX_SCALED) return -1;
    const diff = Math.abs(n - this.firstInt);
    if (diff === 0) return this.valueFactor;
    if (this.valueFactor === 0) {
      // Every earlier delta was 0, which any factor divides.
      this.valueFactor = diff;
      return diff;
    }
    return diff % this.valueFactor === 0 ? this.valueFactor : gcd(this.valueFactor, diff);
  }

  private writeNext(tsMs: number, value: number): void {
    const units = (tsMs - this.firstTs) / this.tsUnit;
    const delta = units - this.prevUnits;
    this.writeTsCode(delta - this.prevDelta);
    this.prevUnits = units;
    this.prevDelta = delta;
    this.lastTs = tsMs;
    this.count++;
    if (this.xorMode) {
      writeXor(this, this, value);
      return;
    }
    const n = toScaled(value, this.scaleDecimals);
    this.writeValueCode(this.valueFactor === 0 ? 0 : (n - this.prevInt) / this.valueFactor);
    this.prevInt = n;
  }

  /** A signed Rice code of the timestamp column (as writeSignedRice with a RiceState). */
  private writeTsCode(v: number): void {
    const u = zigzag(v);
    writeRiceK(this, riceK(this.tsSum, this.tsN), u);
    this.tsSum += u;
    if (++this.tsN >= RICE_RESET_COUNT) {
      this.tsSum = Math.floor(this.tsSum / 2);
      this.tsN = RICE_RESET_COUNT / 2;
    }
  }

  /** A signed Rice code of the value column. */
  private writeValueCode(v: number): void {
    const u = zigzag(v);
    writeRiceK(this, riceK(this.valSum, this.valN), u);
    this.valSum += u;
    if (++this.valN >= RICE_RESET_COUNT) {
      this.valSum = Math.floor(this.valSum / 2);
      this.valN = RICE_RESET_COUNT / 2;
    }
  }

  /** Re-encodes every sample with the unit, factor and mode that fit the new one too, then appends it. */
  private rebuild(tsMs: number, value: number): void {
    const old = decodeChunk(this.toBytes());
    const pairs: number[] = [];
    for (let i = 0; i < old.values.length; i++) pairs.push(old.timestampsMs[i] ?? 0, old.values[i] ?? 0);
    pairs.push(tsMs, value);
    this.encodeAll(pairs);
  }

  /** Starts an empty body, in the slot it has when that holds about three bytes a sample. */
  private reset(samples: number): void {
    this.young = false;
    this.byteIndex = 0;
    this.acc = 0;
    this.accBits = 0;
    const bytes = Math.max(16, samples * 3);
    if (this.cls < 0 || ByteArena.slotSize(this.cls) < bytes) {
      this.release();
      this.grow(bytes);
    }
    this.resetCodes();
    this.count = 0;
  }

  /** The Rice statistics and timestamp deltas of an empty body. */
  private resetCodes(): void {
    this.tsSum = 4;
    this.tsN = 1;
    this.valSum = 4;
    this.valN = 1;
    this.prevUnits = 0;
    this.prevDelta = 0;
  }

  /** Encodes timestamp and value pairs from scratch (the encoder's body is replaced), with the gcd unit and factor. */
  private encodeAll(pairs: readonly number[]): void {
    const n = pairs.length / 2;
    this.reset(n);
    if (n === 0) return;
    const tsUnit = tsUnitOf(pairs);
    const valueFactor = this.floatMode ? 0 : valueFactorOf(pairs, this.scaleDecimals);
    if (valueFactor < 0) this.floatMode = true;
    // writeFirst keeps float mode once it is on, and starts a fresh XOR state for it.
    this.writeFirst(pairs[0] as number, pairs[1] as number);
    this.tsUnit = tsUnit;
    this.valueFactor = Math.max(0, valueFactor);
    for (let i = 1; i < n; i++) this.writeNext(pairs[2 * i] ?? 0, pairs[2 * i + 1] ?? 0);
  }
}

/** Encodes samples (strictly ascending, finite) as one chunk. */
export function encodeChunk(
  samples: { readonly timestampsMs: ArrayLike<number>; readonly values: ArrayLike<number> },
  decimals: number | null,
): Uint8Array {
  const enc = new ChunkEncoder(decimals);
  for (let i = 0; i < samples.values.length; i++) enc.append(samples.timestampsMs[i] ?? 0, samples.values[i] ?? 0);
  return enc.toBytes();
}
