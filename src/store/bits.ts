// SPDX-License-Identifier: Apache-2.0
// Bit-level writer and reader used by the chunk codecs. Bits are written most significant first. JavaScript bit
// operators work on 32 bits, so wider values (up to 2^53) go through `writeWide` / `readWide`, which split them.

const TWO_32 = 2 ** 32;
const POW2: readonly number[] = Array.from({ length: 33 }, (_, i) => 2 ** i);

/** Where bits are written: a {@link BitWriter}, or a head's chunk encoder writing into its arena slot. */
export interface BitSink {
  /** Writes the low `n` bits of `v` (0 ≤ n ≤ 32). */
  writeBits(v: number, n: number): void;
}

/** Writes a non-negative integer `v` < 2^53 in `n` bits (0 ≤ n ≤ 53). */
export function writeWideTo(w: BitSink, v: number, n: number): void {
  if (n > 32) {
    w.writeBits(Math.floor(v / TWO_32), n - 32);
    w.writeBits(v >>> 0, 32);
  } else {
    w.writeBits(v >>> 0, n);
  }
}

/**
 * The bit accumulator both writers share (a {@link BitWriter}, and a head's chunk encoder writing into its arena
 * slot): bits gather in `acc`, and whole bytes go to the writer's own storage in {@link flushBytes}.
 */
export abstract class BitAccumulator implements BitSink {
  /** Pending bits not yet written out (fewer than 8 between calls), right-aligned. */
  protected acc = 0;
  protected accBits = 0;

  /** Writes the low `n` bits of `v` (0 ≤ n ≤ 32); bits of `v` above `n` are ignored. */
  writeBits(v: number, n: number): void {
    if (n > 24) {
      // Keep the accumulator within 31 bits: at most 7 pending plus 24 new.
      this.writeBits(v >>> 16, n - 16);
      this.writeBits(v & 0xffff, 16);
      return;
    }
    this.acc = (this.acc << n) | (v & ((1 << n) - 1));
    this.accBits += n;
    if (this.accBits >= 8) this.flushBytes();
    this.acc &= (1 << this.accBits) - 1;
  }

  /** Writes out the whole bytes of `acc` (while `accBits` ≥ 8), leaving the rest. */
  protected abstract flushBytes(): void;
}

/** Appends bits to a growable byte buffer. */
export class BitWriter extends BitAccumulator {
  private buf: Uint8Array;
  private byteIndex = 0;

  constructor(capacityBytes = 64) {
    super();
    this.buf = new Uint8Array(Math.max(8, capacityBytes));
  }

  /** Number of bits written. */
  get bitLength(): number {
    return this.byteIndex * 8 + this.accBits;
  }

  protected flushBytes(): void {
    while (this.accBits >= 8) {
      this.accBits -= 8;
      if (this.byteIndex >= this.buf.length) this.grow();
      this.buf[this.byteIndex++] = (this.acc >>> this.accBits) & 0xff;
    }
  }

  /** Writes a non-negative integer `v` < 2^53 in `n` bits (0 ≤ n ≤ 53). */
  writeWide(v: number, n: number): void {
    writeWideTo(this, v, n);
  }

  /** Writes a non-negative integer < 2^53 as 7-bit groups with a continuation bit (LEB128 order). */
  writeVarUint(v: number): void {
    let rest = v;
    while (rest >= 128) {
      this.writeBits((rest % 128) | 128, 8);
      rest = Math.floor(rest / 128);
    }
    this.writeBits(rest, 8);
  }

  /** Writes a signed integer with |v| < 2^52 via zigzag + varuint. */
  writeVarInt(v: number): void {
    this.writeVarUint(zigzag(v));
  }

  /** Appends all bits of another writer. */
  append(other: BitWriter): void {
    this.appendBytes(other.buf, 0, other.byteIndex);
    if (other.accBits > 0) this.writeBits(other.acc, other.accBits);
  }

  /** Appends the whole bytes `src[from, to)`. */
  appendBytes(src: Uint8Array, from: number, to: number): void {
    if (this.accBits === 0) {
      while (this.byteIndex + to - from > this.buf.length) this.grow();
      this.buf.set(src.subarray(from, to), this.byteIndex);
      this.byteIndex += to - from;
    } else {
      for (let i = from; i < to; i++) this.writeBits(src[i] as number, 8);
    }
  }

  /** Copy of the written bytes; the last byte is zero-padded. */
  toBytes(): Uint8Array {
    const out = new Uint8Array(this.byteIndex + (this.accBits > 0 ? 1 : 0));
    out.set(this.buf.subarray(0, this.byteIndex));
    if (this.accBits > 0) out[this.byteIndex] = (this.acc << (8 - this.accBits)) & 0xff;
    return out;
  }

  private grow(): void {
    const next = new Uint8Array(this.buf.length * 2);
    next.set(this.buf);
    this.buf = next;
  }
}

/**
 * Reads bits written by {@link BitWriter}. Reading past the end yields zero bits. The unread bits are kept in a
 * 32-bit cache refilled a byte at a time, so a read is a shift, not a loop over bytes: decoding rollups is most of
 * an analysis pass's reading.
 */
export class BitReader {
  /** The next byte to load into the cache. */
  private pos: number;
  /** Unread bits, left-aligned; the bits below the `cached` valid ones are zero. */
  private cache = 0;
  private cached = 0;

  constructor(
    private readonly buf: Uint8Array,
    startByte = 0,
  ) {
    this.pos = startByte;
  }

  /** True once every byte has been consumed. */
  get exhausted(): boolean {
    return Math.floor((this.pos * 8 - this.cached) / 8) >= this.buf.length;
  }

  /** Loads bytes until the cache holds at least 25 bits. */
  private refill(): void {
    while (this.cached <= 24) {
      const b = this.pos < this.buf.length ? (this.buf[this.pos] as number) : 0;
      this.pos++;
      this.cache |= b << (24 - this.cached);
      this.cached += 8;
    }
  }

  /** Drops `n` (≤ cached) bits from the cache. */
  private skip(n: number): void {
    this.cache = n >= 32 ? 0 : this.cache << n;
    this.cached -= n;
  }

  /** Reads `n` bits (0 ≤ n ≤ 32) as an unsigned integer. */
  readBits(n: number): number {
    if (n === 0) return 0;
    if (n > 24) {
      // The cache holds at least 25 bits after a refill: split wider reads.
      const hi = this.readBits(n - 16);
      return hi * 65_536 + this.readBits(16);
    }
    if (this.cached < n) this.refill();
    const v = this.cache >>> (32 - n);
    this.skip(n);
    return v;
  }

  /** Reads `n` bits (0 ≤ n ≤ 53) as a non-negative integer. */
  readWide(n: number): number {
    if (n <= 32) return this.readBits(n);
    const hi = this.readBits(n - 32);
    return hi * TWO_32 + this.readBits(32);
  }

  /**
   * Consumes the consecutive 0 bits at the front of the cache, up to `max`, and returns how many (at most the bits
   * the cache holds: the caller loops for longer runs). The bit that ends a shorter run is left unread.
   */
  readZeroBits(max: number): number {
    if (this.cached <= 24) this.refill();
    const run = Math.min(Math.clz32(this.cache), this.cached, max);
    this.skip(run);
    return run;
  }

  /** Counts consecutive 1 bits, up to `max`, and consumes them plus the terminating 0 (absent when `max` is hit). */
  readOnes(max: number): number {
    let ones = 0;
    for (;;) {
      if (this.cached <= 24) this.refill();
      // Leading ones of the cache, capped at its valid bits (the zeros below them turn to ones under `~`).
      const avail = this.cached;
      const run = Math.min(Math.clz32(~this.cache), avail, max - ones);
      ones += run;
      this.skip(run);
      if (ones === max) return ones;
      if (run < avail) {
        this.skip(1);
        return ones;
      }
    }
  }

  /**
   * The common Rice code in one step: fewer than `max` ones, their terminating 0 and `k` bits, all within the cache,
   * as q·2^k + remainder; −1 (nothing consumed) when the code is not of that kind and must be read piece by piece.
   */
  readShortRice(k: number, max: number): number {
    if (this.cached <= 24) this.refill();
    const q = Math.clz32(~this.cache);
    const used = q + 1 + k;
    if (q >= max || used > this.cached || used >= 32) return -1;
    const rest = k === 0 ? 0 : (this.cache << (q + 1)) >>> (32 - k);
    this.cache <<= used;
    this.cached -= used;
    return q * POW2[k]! + rest;
  }

  /** Reads a value written by {@link BitWriter.writeVarUint}. */
  readVarUint(): number {
    let v = 0;
    let scale = 1;
    for (;;) {
      const b = this.readBits(8);
      v += (b & 127) * scale;
      if (b < 128) return v;
      scale *= 128;
    }
  }

  /** Reads a value written by {@link BitWriter.writeVarInt}. */
  readVarInt(): number {
    return unzigzag(this.readVarUint());
  }
}

/** Maps a signed integer (|v| < 2^52) to an unsigned one: 0, -1, 1, -2 … → 0, 1, 2, 3 … */
export function zigzag(v: number): number {
  return v >= 0 ? v * 2 : -v * 2 - 1;
}

/** Inverse of {@link zigzag}. */
export function unzigzag(u: number): number {
  return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
}

/** Number of bits needed for a non-negative integer < 2^53 (0 for 0). */
export function bitLength(v: number): number {
  if (v < TWO_32) return 32 - Math.clz32(v);
  return 64 - Math.clz32(Math.floor(v / TWO_32));
}
