// SPDX-License-Identifier: Apache-2.0
// Where an encoder's bytes live: a slot of a ByteArena, grown by moving to a slot of a larger class. Young samples
// are kept there as raw float64 pairs, and the encoded body then continues in the same slot. Apart from the chunk
// codec (chunk-codec.ts), which decides what the bits are.
import { BitAccumulator, type BitWriter } from './bits.ts';
import { ByteArena } from './byte-arena.ts';

/** Bytes of a young sample in the slot: timestamp and value as float64. */
export const YOUNG_BYTES = 16;
const pairScratch = new Float64Array(2);
const pairBytes = new Uint8Array(pairScratch.buffer);

export abstract class ArenaBody extends BitAccumulator {
  /** Size class and offset of the slot in the arena (class -1: none yet). */
  protected cls = -1;
  protected base = 0;
  /** Bytes of the body written to the slot (whole bytes; `acc` holds the rest). */
  protected byteIndex = 0;

  constructor(protected readonly arena: ByteArena) {
    super();
  }

  /** Gives the slot back to the arena; the encoder is not used afterwards. */
  release(): void {
    if (this.cls >= 0) this.arena.release(this.cls, this.base);
    this.cls = -1;
  }

  protected flushBytes(): void {
    if (this.byteIndex + 4 > ByteArena.slotSize(this.cls)) this.grow(this.byteIndex + 4);
    const page = this.arena.page(this.cls, this.base);
    const at = this.arena.at(this.cls, this.base);
    while (this.accBits >= 8) {
      this.accBits -= 8;
      page[at + this.byteIndex++] = (this.acc >>> this.accBits) & 0xff;
    }
  }

  /** Moves the slot's first `byteIndex` bytes to a slot of at least `bytes` bytes. */
  protected grow(bytes: number): void {
    const cls = ByteArena.classFor(Math.max(bytes, this.byteIndex * 2));
    const base = this.arena.alloc(cls);
    if (this.cls >= 0) {
      const from = this.arena.at(this.cls, this.base);
      const bytes = this.arena.page(this.cls, this.base).subarray(from, from + this.byteIndex);
      this.arena.page(cls, base).set(bytes, this.arena.at(cls, base));
      this.arena.release(this.cls, this.base);
    }
    this.cls = cls;
    this.base = base;
  }

  /** Writes the body (the slot's bytes and the pending bits) to `out`. */
  protected copyBodyTo(out: BitWriter): void {
    if (this.cls >= 0) {
      const at = this.arena.at(this.cls, this.base);
      out.appendBytes(this.arena.page(this.cls, this.base), at, at + this.byteIndex);
    }
    if (this.accBits > 0) out.writeBits(this.acc, this.accBits);
  }

  /** Stores young sample number `index` (the slot must hold it). */
  protected putPair(index: number, tsMs: number, value: number): void {
    pairScratch[0] = tsMs;
    pairScratch[1] = value;
    this.arena.page(this.cls, this.base).set(pairBytes, this.arena.at(this.cls, this.base) + index * YOUNG_BYTES);
  }

  /** The first `count` young samples as timestamp and value pairs. */
  protected pairs(count: number): number[] {
    const out: number[] = [];
    if (this.cls < 0) return out;
    const page = this.arena.page(this.cls, this.base);
    const start = this.arena.at(this.cls, this.base);
    for (let i = 0; i < count; i++) {
      const at = start + i * YOUNG_BYTES;
      for (let b = 0; b < YOUNG_BYTES; b++) pairBytes[b] = page[at + b] as number;
      out.push(pairScratch[0] as number, pairScratch[1] as number);
    }
    return out;
  }
}
