// SPDX-License-Identifier: Apache-2.0
// Lossless float64 compression after Gorilla (Pelkonen et al., VLDB 2015): each value is XORed with the previous
// one; an identical value costs 1 bit, otherwise the meaningful bits of the XOR are written inside a window of
// leading/trailing zeros that is reused while it fits. This is the fallback for series that cannot be stored as
// scaled integers (exact policy, values beyond ±2^50 after scaling). 64-bit words are handled as two 32-bit halves.
import type { BitReader, BitSink } from './bits.ts';

const scratch = new DataView(new ArrayBuffer(8));

/** High and low 32-bit halves of a float64's bit pattern. */
export function floatHalves(v: number): [number, number] {
  scratch.setFloat64(0, v);
  return [scratch.getUint32(0), scratch.getUint32(4)];
}

/** Float64 from its bit pattern halves. */
export function floatFromHalves(hi: number, lo: number): number {
  scratch.setUint32(0, hi >>> 0);
  scratch.setUint32(4, lo >>> 0);
  return scratch.getFloat64(0);
}

/** Writes a float64 verbatim (64 bits). */
export function writeFloat64(w: BitSink, v: number): void {
  const [hi, lo] = floatHalves(v);
  w.writeBits(hi, 32);
  w.writeBits(lo, 32);
}

/** Reads a float64 written by {@link writeFloat64}. */
export function readFloat64(r: BitReader): number {
  const hi = r.readBits(32);
  return floatFromHalves(hi, r.readBits(32));
}

function trailingZeros32(x: number): number {
  return x === 0 ? 32 : 31 - Math.clz32(x & -x);
}

/** The XOR state's fields, which a head's chunk encoder keeps as its own rather than as one more object per head. */
export interface XorFields {
  hi: number;
  lo: number;
  lead: number;
  trail: number;
}

/** XOR state shared by encoder and decoder: previous value bits and the current zero window. */
export class XorState implements XorFields {
  hi = 0;
  lo = 0;
  lead = -1;
  trail = 0;

  constructor(first: number) {
    [this.hi, this.lo] = floatHalves(first);
  }
}

/** Writes the n-bit slice of (hi:lo) that starts `shift` bits from the right. */
function writeSlice(w: BitSink, word: [number, number], slice: { shift: number; n: number }): void {
  const [hi, lo] = word;
  const { shift, n } = slice;
  let h: number;
  let l: number;
  if (shift >= 32) {
    h = 0;
    l = hi >>> (shift - 32);
  } else if (shift === 0) {
    h = hi;
    l = lo;
  } else {
    h = hi >>> shift;
    l = ((lo >>> shift) | (hi << (32 - shift))) >>> 0;
  }
  if (n > 32) {
    w.writeBits(h, n - 32);
    w.writeBits(l, 32);
  } else {
    w.writeBits(l, n);
  }
}

/** Reads an n-bit slice and puts it back `shift` bits from the right. */
function readSlice(r: BitReader, shift: number, n: number): [number, number] {
  const h = n > 32 ? r.readBits(n - 32) : 0;
  const l = r.readBits(n > 32 ? 32 : n);
  if (shift >= 32) return [l << (shift - 32), 0];
  if (shift === 0) return [h, l];
  return [(h << shift) | (l >>> (32 - shift)), l << shift];
}

/** Encodes the next value against the state. */
export function writeXor(w: BitSink, s: XorFields, v: number): void {
  const [hi, lo] = floatHalves(v);
  const xh = (hi ^ s.hi) >>> 0;
  const xl = (lo ^ s.lo) >>> 0;
  // Kept as int32, the same bits (only XOR reads them here): a head's state keeps them in an Int32Array.
  s.hi = hi | 0;
  s.lo = lo | 0;
  if (xh === 0 && xl === 0) {
    w.writeBits(0, 1);
    return;
  }
  const lead = xh !== 0 ? Math.clz32(xh) : 32 + Math.clz32(xl);
  const trail = xl !== 0 ? trailingZeros32(xl) : 32 + trailingZeros32(xh);
  if (s.lead >= 0 && lead >= s.lead && trail >= s.trail) {
    w.writeBits(0b10, 2);
    writeSlice(w, [xh, xl], { shift: s.trail, n: 64 - s.lead - s.trail });
    return;
  }
  const n = 64 - lead - trail;
  w.writeBits(0b11, 2);
  w.writeBits(lead, 6);
  w.writeBits(n - 1, 6);
  writeSlice(w, [xh, xl], { shift: trail, n });
  s.lead = lead;
  s.trail = trail;
}

/** Decodes the next value against the state. */
export function readXor(r: BitReader, s: XorState): number {
  if (r.readBits(1) === 0) return floatFromHalves(s.hi, s.lo);
  if (r.readBits(1) === 1) {
    s.lead = r.readBits(6);
    const n = r.readBits(6) + 1;
    s.trail = 64 - s.lead - n;
  }
  const [xh, xl] = readSlice(r, s.trail, 64 - s.lead - s.trail);
  s.hi = (s.hi ^ xh) >>> 0;
  s.lo = (s.lo ^ xl) >>> 0;
  return floatFromHalves(s.hi, s.lo);
}
