// SPDX-License-Identifier: Apache-2.0
// Deterministic randomness for log generation. Every value is derived from a seed and a position (slot number,
// line number, ...) rather than drawn from one running stream, so any time window can be rendered on its own
// and renders the same way every time: logs are never stored, only recomputed.

import { fmix32 } from '../hash.ts';

/** Mixes integers (seed first) into one 32-bit hash. Non-integers are truncated, large values folded. */
export function mix(...parts: readonly number[]): number {
  let h = 0x9e3779b9;
  for (const p of parts) {
    const v = Math.trunc(p);
    h = fmix32(h ^ (v >>> 0) ^ Math.trunc(v / 0x100000000));
  }
  return h;
}

/** Uniform in [0, 1) from a hash of the parts: a single draw without a stream. */
export function unit(...parts: readonly number[]): number {
  return mix(...parts) / 0x100000000;
}

/** A pseudo-random stream (mulberry32) for the values one entry needs. */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max], both inclusive. */
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  /** Picks by weight; weights need not sum to 1. */
  weighted<T>(items: readonly (readonly [T, number])[]): T;
  chance(p: number): boolean;
  /** Lowercase hex string of `length` digits (ids, trace ids). */
  hex(length: number): string;
}

// A class rather than closures: thousands of streams are created per request, and per-instance closures (with
// the name-keeping wrappers tsx adds) dominated rendering time.
class Mulberry32 implements Rng {
  private state: number;

  constructor(seed: number) {
    this.state = seed;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 0x100000000;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new RangeError('pick from an empty list');
    return item;
  }

  weighted<T>(items: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const [, w] of items) total += w;
    let r = this.next() * total;
    for (const [item, w] of items) {
      r -= w;
      if (r < 0) return item;
    }
    const last = items[items.length - 1];
    if (last === undefined) throw new RangeError('weighted pick from an empty list');
    return last[0];
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  hex(length: number): string {
    let out = '';
    while (out.length < length) out += Math.floor(this.next() * 0x100000000).toString(16).padStart(8, '0');
    return out.slice(0, length);
  }
}

export function createRng(...parts: readonly number[]): Rng {
  return new Mulberry32(mix(...parts));
}
