// SPDX-License-Identifier: Apache-2.0
// Adaptive Rice coding of non-negative integers (the LOCO-I / JPEG-LS scheme): the parameter k follows a running
// mean of recent values, so noisy deltas cost about log2(mean) + 2 bits and runs of zeros cost one bit each. Encoder
// and decoder update the same state, so nothing but the bits is stored. Values far above the running mean are
// escaped (ESCAPE_ONES ones, a 6-bit length, the value) so one spike never costs more than ~70 bits.
import { bitLength, writeWideTo, type BitReader, type BitSink } from './bits.ts';

const ESCAPE_ONES = 12;
/** Values after which the running sum and count are halved. */
export const RICE_RESET_COUNT = 16;
const MAX_K = 52;
const POW2: readonly number[] = Array.from({ length: 64 }, (_, i) => 2 ** i);

/** Running statistics that choose k; one per coded column. */
export class RiceState {
  /** Sum of recent values. */
  sum: number;
  /** Number of recent values. */
  n = 1;

  constructor(initialMean = 4) {
    this.sum = initialMean;
  }

  /** Current Rice parameter: the smallest k with n·2^k ≥ sum, i.e. 2^k ≥ ceil(sum / n). */
  k(): number {
    return riceK(this.sum, this.n);
  }

  update(u: number): void {
    this.sum += u;
    this.n++;
    if (this.n >= RICE_RESET_COUNT) {
      this.sum = Math.floor(this.sum / 2);
      this.n = RICE_RESET_COUNT / 2;
    }
  }
}

/** The Rice parameter of a running sum and count (see {@link RiceState}). */
export function riceK(sum: number, n: number): number {
  if (sum <= n) return 0;
  return Math.min(MAX_K, bitLength(Math.ceil(sum / n) - 1));
}

/** Writes a non-negative integer u < 2^53. */
export function writeRice(w: BitSink, state: RiceState, u: number): void {
  writeRiceK(w, state.k(), u);
  state.update(u);
}

/**
 * Writes u < 2^53 with Rice parameter k; the caller keeps the running statistics (a head's encoder keeps them as
 * its own fields, rather than as two more objects per head).
 */
export function writeRiceK(w: BitSink, k: number, u: number): void {
  const q = Math.floor(u / (POW2[k] ?? 1));
  if (q < ESCAPE_ONES) {
    // q ones then a zero, in one call (q + 1 ≤ 13 bits).
    w.writeBits(((1 << q) - 1) << 1, q + 1);
    writeWideTo(w, u - q * (POW2[k] ?? 1), k);
  } else {
    w.writeBits((1 << ESCAPE_ONES) - 1, ESCAPE_ONES);
    const len = bitLength(u);
    w.writeBits(len, 6);
    writeWideTo(w, u, len);
  }
}

/** Reads a value written by {@link writeRice} with the same state history. */
export function readRice(r: BitReader, state: RiceState): number {
  const k = state.k();
  const short = k <= 24 ? r.readShortRice(k, ESCAPE_ONES) : -1;
  if (short >= 0) {
    state.update(short);
    return short;
  }
  const q = r.readOnes(ESCAPE_ONES);
  let u: number;
  if (q < ESCAPE_ONES) {
    u = q * (POW2[k] ?? 1) + r.readWide(k);
  } else {
    u = r.readWide(r.readBits(6));
  }
  state.update(u);
  return u;
}

/**
 * Reads a run of zeros written by {@link writeRice} (or {@link writeSignedRice}), up to `max`, while the parameter is
 * 0: each zero is then one 0 bit, so the run is read a cache at a time instead of one code at a time (the bucket
 * starts and counts of a rollup row are mostly zeros). Returns how many were read; 0 when the next value is not a
 * zero coded at k = 0, which the caller then reads with {@link readRice}.
 */
export function readRiceZeros(r: BitReader, state: RiceState, max: number): number {
  if (state.k() !== 0) return 0;
  const run = r.readZeroBits(max);
  // At k = 0 the running sum is at most the count, and zeros keep it so: k stays 0 through the run.
  for (let i = 0; i < run; i++) state.update(0);
  return run;
}

/** Writes a signed integer (|v| < 2^52) via zigzag. */
export function writeSignedRice(w: BitSink, state: RiceState, v: number): void {
  writeRice(w, state, v >= 0 ? v * 2 : -v * 2 - 1);
}

/** Reads a value written by {@link writeSignedRice}. */
export function readSignedRice(r: BitReader, state: RiceState): number {
  const u = readRice(r, state);
  return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
}
