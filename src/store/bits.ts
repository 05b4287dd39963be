// SPDX-License-Identifier: Apache-2.0
// Bit-level writer and reader used by the chunk codecs. Bits are written most significant first. JavaScript bit
// operators work on 32 bits, so wider values (up to 2^53) go through `writeWide` / `readWide`, which split them.

const TWO_32 = 2 ** 32;

/** Appends bits to a growable byte buffer. */
export class BitWriter {
  private buf: Uint8Array;
  private byteIndex = 0;
  /** Pending bits not yet in `buf` (fewer than 8 between calls), right-aligned. */
  private acc = 0;
  private accBits = 0;

  constructor(capacityBytes = 64) {
    this.buf = new Uint8Array(Math.max(8, capacityBytes));
  }

  /** Number of bits written. */
  get bitLength(): number {
    return this.byteIndex * 8 + this.accBits;
  }

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
    while (this.accBits >= 8) {
      this.accBits -= 8;
      if (this.byteIndex >= this.buf.length) this.grow();
      this.buf[this.byteIndex++] = (this.acc >>> this.accBits) & 0xff;
    }
    this.acc &= (1 << this.accBits) - 1;
  }

  /** Writes a non-negative integer `v` < 2^53 in `n` bits (0 ≤ n ≤ 53). */
  writeWide(v: number, n: number): void {
    if (n > 32) {
      this.writeBits(Math.floor(v / TWO_32), n - 32);
      this.writeBits(v >>> 0, 32);
    } else {
      this.writeBits(v >>> 0, n);
    }
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
    if (this.accBits === 0) {
      while (this.byteIndex + other.byteIndex > this.buf.length) this.grow();
      this.buf.set(other.buf.subarray(0, other.byteIndex), this.byteIndex);
      this.byteIndex += other.byteIndex;
    } else {
      for (let i = 0; i < other.byteIndex; i++) this.writeBits(other.buf[i] as number, 8);
    }
    if (other.accBits > 0) this.writeBits(other.acc, other.accBits);
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

/** Reads bits written by {@link BitWriter}. Reading past the end yields zero bits. */
export class BitReader {
  private byteIndex: number;
  private bitIndex = 0;

  constructor(
    private readonly buf: Uint8Array,
    startByte = 0,
  ) {
    this.byteIndex = startByte;
  }

  /** True once every byte has been consumed. */
  get exhausted(): boolean {
    return this.byteIndex >= this.buf.length;
  }

  /** Reads `n` bits (0 ≤ n ≤ 32) as an unsigned integer. */
  readBits(n: number): number {
    let v = 0;
    let left = n;
    while (left > 0) {
      const avail = 8 - this.bitIndex;
      const take = left < avail ? left : avail;
      const b = this.buf[this.byteIndex] ?? 0;
      v = v * (1 << take) + ((b >>> (avail - take)) & ((1 << take) - 1));
      left -= take;
      this.bitIndex += take;
      if (this.bitIndex === 8) {
        this.byteIndex++;
        this.bitIndex = 0;
      }
    }
    return v;
  }

  /** Reads `n` bits (0 ≤ n ≤ 53) as a non-negative integer. */
  readWide(n: number): number {
    if (n <= 32) return this.readBits(n);
    const hi = this.readBits(n - 32);
    return hi * TWO_32 + this.readBits(32);
  }

  /** Counts consecutive 1 bits, up to `max`, and consumes them plus the terminating 0 (absent when `max` is hit). */
  readOnes(max: number): number {
    let ones = 0;
    for (;;) {
      const b = this.buf[this.byteIndex] ?? 0;
      const avail = 8 - this.bitIndex;
      const run = Math.min(Math.clz32(~(b << (24 + this.bitIndex))), avail, max - ones);
      ones += run;
      this.advance(run);
      if (ones === max) return ones;
      if (run < avail) {
        this.advance(1);
        return ones;
      }
    }
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

  private advance(bits: number): void {
    const total = this.bitIndex + bits;
    this.byteIndex += total >>> 3;
    this.bitIndex = total & 7;
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
