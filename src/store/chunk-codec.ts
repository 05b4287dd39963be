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
// gcd of two irregular offsets is small): those samples are kept as numbers and encoded once, YOUNG_SAMPLES in.
import { BitReader, BitWriter } from './bits.ts';
import { readFloat64, readXor, writeFloat64, writeXor, XorState } from './float-xor.ts';
import { fromScaled, gcd, MAX_SCALED, toScaled } from './precision.ts';
import { readSignedRice, RiceState, writeSignedRice } from './rice.ts';

const CHUNK_VERSION = 1;
const MODE_INT = 0;
const MODE_FLOAT = 1;

/** Samples decoded from a chunk: ascending timestamps (ms) and values. */
export interface DecodedChunk {
  readonly timestampsMs: Float64Array;
  readonly values: Float64Array;
}

/**
 * Samples a chunk keeps unencoded before it settles its unit and factor: re-encoding on every early sample was most of
 * a collection's store time while the heads were young (four of five appends rebuilt the chunk).
 */
const YOUNG_SAMPLES = 8;

/** Incremental encoder of one raw chunk. Samples must arrive with strictly increasing timestamps. */
export class ChunkEncoder {
  count = 0;
  firstTs = 0;
  lastTs = 0;
  // Allocated when the chunk settles (encodeAll): a young head is three objects instead of eight for the garbage
  // collector to trace, at a million heads.
  private body!: BitWriter;
  private tsRice!: RiceState;
  private valRice!: RiceState;
  private tsUnit = 0;
  private prevUnits = 0;
  private prevDelta = 0;
  private floatMode: boolean;
  private firstInt = 0;
  private prevInt = 0;
  private valueFactor = 0;
  private firstFloat = 0;
  private xor: XorState | null = null;
  /** Timestamp and value pairs while the chunk is young; null once encoded. */
  private young: number[] | null = [];

  /** `decimals` null stores exact float64 values. */
  constructor(readonly decimals: number | null) {
    this.floatMode = decimals === null;
  }

  /** Appends a finite sample with a timestamp after {@link lastTs}; the caller checks both. */
  append(tsMs: number, value: number): void {
    if (this.young) {
      if (this.count === 0) this.firstTs = tsMs;
      this.young.push(tsMs, value);
      this.lastTs = tsMs;
      this.count++;
      if (this.count >= YOUNG_SAMPLES) this.settle();
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
      const copy = new ChunkEncoder(this.decimals);
      copy.young = null;
      copy.encodeAll(this.young);
      return copy.toBytes();
    }
    const out = new BitWriter(16 + Math.ceil(this.body.bitLength / 8));
    out.writeVarUint(CHUNK_VERSION);
    out.writeBits(this.floatMode ? MODE_FLOAT : MODE_INT, 8);
    out.writeVarUint(this.count);
    out.writeVarInt(this.firstTs);
    out.writeVarUint(this.tsUnit);
    if (this.floatMode) {
      writeFloat64(out, this.firstFloat);
    } else {
      out.writeVarInt(this.decimals ?? 0);
      out.writeVarUint(this.valueFactor);
      out.writeVarInt(this.firstInt);
    }
    out.append(this.body);
    return out.toBytes();
  }

  /** Approximate encoded size in bytes. */
  get sizeBytes(): number {
    // A young chunk: a few bits per sample once encoded, as a settled one.
    return 16 + (this.young ? this.count : this.body.bitLength >>> 3);
  }

  private writeFirst(tsMs: number, value: number): void {
    this.firstTs = tsMs;
    this.lastTs = tsMs;
    this.count = 1;
    if (!this.floatMode) {
      const n = toScaled(value, this.decimals ?? 0);
      if (Math.abs(n) <= MAX_SCALED) {
        this.firstInt = n;
        this.prevInt = n;
        return;
      }
      this.floatMode = true;
    }
    this.firstFloat = value;
    this.xor = new XorState(value);
  }

  /** The value factor that fits `value` (-1: float mode needed); sets a first factor in place when possible. */
  private fitValue(value: number): number {
    const n = toScaled(value, this.decimals ?? 0);
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
    writeSignedRice(this.body, this.tsRice, delta - this.prevDelta);
    this.prevUnits = units;
    this.prevDelta = delta;
    this.lastTs = tsMs;
    this.count++;
    if (this.xor) {
      writeXor(this.body, this.xor, value);
      return;
    }
    const n = toScaled(value, this.decimals ?? 0);
    writeSignedRice(this.body, this.valRice, this.valueFactor === 0 ? 0 : (n - this.prevInt) / this.valueFactor);
    this.prevInt = n;
  }

  /** Encodes the young samples, with the unit and factor that fit them all. */
  private settle(): void {
    const pairs = this.young ?? [];
    this.young = null;
    this.encodeAll(pairs);
  }

  /** Re-encodes every sample with the unit, factor and mode that fit the new one too, then appends it. */
  private rebuild(tsMs: number, value: number): void {
    const old = decodeChunk(this.toBytes());
    const pairs: number[] = [];
    for (let i = 0; i < old.values.length; i++) pairs.push(old.timestampsMs[i] ?? 0, old.values[i] ?? 0);
    pairs.push(tsMs, value);
    this.encodeAll(pairs);
  }

  private reset(samples: number): void {
    this.body = new BitWriter(Math.max(32, samples * 3));
    this.tsRice = new RiceState();
    this.valRice = new RiceState();
    this.prevUnits = 0;
    this.prevDelta = 0;
    this.count = 0;
  }

  /** Encodes timestamp and value pairs from scratch (the encoder's body is replaced), with the gcd unit and factor. */
  private encodeAll(pairs: readonly number[]): void {
    const n = pairs.length / 2;
    this.reset(n);
    if (n === 0) return;
    const tsUnit = tsUnitOf(pairs);
    const valueFactor = this.floatMode ? 0 : valueFactorOf(pairs, this.decimals ?? 0);
    if (valueFactor < 0) this.floatMode = true;
    // writeFirst keeps float mode once it is on, and starts a fresh XOR state for it.
    this.writeFirst(pairs[0] as number, pairs[1] as number);
    this.tsUnit = tsUnit;
    this.valueFactor = Math.max(0, valueFactor);
    for (let i = 1; i < n; i++) this.writeNext(pairs[2 * i] ?? 0, pairs[2 * i + 1] ?? 0);
  }
}

function gcdOrFirst(acc: number, x: number): number {
  if (x === 0) return acc;
  return acc === 0 ? x : gcd(acc, x);
}

/** The gcd of the timestamps' offsets from the first (0 for one sample). */
function tsUnitOf(pairs: readonly number[]): number {
  const first = pairs[0] ?? 0;
  let unit = 0;
  for (let i = 2; i < pairs.length; i += 2) unit = gcdOrFirst(unit, (pairs[i] ?? 0) - first);
  return unit;
}

/** The gcd of the scaled values' offsets from the first (0: all equal); -1 when one is out of the integer range. */
function valueFactorOf(pairs: readonly number[], decimals: number): number {
  const first = toScaled(pairs[1] ?? 0, decimals);
  if (Math.abs(first) > MAX_SCALED) return -1;
  let factor = 0;
  for (let i = 3; i < pairs.length; i += 2) {
    const n = toScaled(pairs[i] ?? 0, decimals);
    if (Math.abs(n) > MAX_SCALED) return -1;
    factor = gcdOrFirst(factor, Math.abs(n - first));
  }
  return factor;
}

interface Header {
  readonly count: number;
  readonly firstTs: number;
  readonly tsUnit: number;
  readonly floatMode: boolean;
  readonly decimals: number;
  readonly valueFactor: number;
  readonly first: number;
}

function readHeader(r: BitReader): Header {
  const version = r.readVarUint();
  if (version !== CHUNK_VERSION) throw new RangeError(`unsupported chunk version ${version}`);
  const floatMode = r.readBits(8) === MODE_FLOAT;
  const count = r.readVarUint();
  const firstTs = r.readVarInt();
  const tsUnit = r.readVarUint();
  if (floatMode) return { count, firstTs, tsUnit, floatMode, decimals: 0, valueFactor: 0, first: readFloat64(r) };
  const decimals = r.readVarInt();
  const valueFactor = r.readVarUint();
  return { count, firstTs, tsUnit, floatMode, decimals, valueFactor, first: r.readVarInt() };
}

/** Decodes a chunk written by {@link ChunkEncoder}. Throws RangeError on an unknown version. */
export function decodeChunk(bytes: Uint8Array): DecodedChunk {
  const r = new BitReader(bytes);
  const h = readHeader(r);
  const timestampsMs = new Float64Array(h.count);
  const values = new Float64Array(h.count);
  if (h.count === 0) return { timestampsMs, values };
  timestampsMs[0] = h.firstTs;
  values[0] = h.floatMode ? h.first : fromScaled(h.first, h.decimals);
  const tsRice = new RiceState();
  const valRice = new RiceState();
  const xor = h.floatMode ? new XorState(h.first) : null;
  let units = 0;
  let delta = 0;
  let n = h.first;
  for (let i = 1; i < h.count; i++) {
    delta += readSignedRice(r, tsRice);
    units += delta;
    timestampsMs[i] = h.firstTs + units * h.tsUnit;
    if (xor) {
      values[i] = readXor(r, xor);
    } else {
      n += readSignedRice(r, valRice) * h.valueFactor;
      values[i] = fromScaled(n, h.decimals);
    }
  }
  return { timestampsMs, values };
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
