// SPDX-License-Identifier: Apache-2.0
// Seeded randomness for the usage model. Everything here is a pure function of its inputs so that a scenario
// replays bit for bit: per-entity seeds come from hashing the entity's identity, and time-varying noise comes from
// hashing lattice points of time (value noise), never from a stateful generator advanced once per sample. That is
// what makes usage at time t independent of how often, and in what order, the engine was sampled.

const UINT32 = 4294967296;

import { fmix32 } from '../hash.ts';

export { fmix32 };

/**
 * Hashes two 32-bit integers into a 32-bit integer (signed: it stays a small integer in V8, so a call that is not
 * inlined does not allocate). Self-contained and a handful of integer ops: the engine calls it several times per
 * container and step.
 */
export function mix32(a: number, b: number): number {
  let h = (Math.imul(a ^ 0x5bd1e995, 0x27d4eb2f) + Math.imul(b | 0, 0x165667b1)) | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}

/** Maps a 32-bit hash (signed or not) to a uniform number in [0, 1). */
export function unitFromHash(h: number): number {
  return (h >>> 0) / UINT32;
}

function hashString(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h;
}

function hashPart(h: number, part: string | number): number {
  if (typeof part === 'number' && Number.isSafeInteger(part)) {
    h = mix32(h, part | 0);
    return mix32(h, Math.floor(part / UINT32) | 0);
  }
  return hashString(h ^ 0x9e3779b9, String(part));
}

/**
 * Derives a uint32 seed from an ordered list of parts (strings or numbers), for example
 * `hashSeed(scenarioSeed, namespace, pod, container)`. Deterministic across runs and platforms; the part
 * boundaries count, so `('ab', 'c')` and `('a', 'bc')` give different seeds.
 */
export function hashSeed(...parts: (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    h = hashPart(h, part);
    h = mix32(h, typeof part === 'string' ? part.length : -1);
  }
  return fmix32(h);
}

/**
 * Lattice value of 1-D value noise: a uniform number in [-1, 1) fixed by `(seed, k)`. A lighter hash than
 * {@link mix32} (three multiplies: the index spread by the golden ratio, the seed folded so its high bits reach
 * the low ones, then two mixing rounds; single-bit seed changes correlate below 0.01), self-contained so
 * the hot loop inlines it; each container evaluates six of these per step.
 * @param seed 32-bit stream seed
 * @param k integer lattice index (time divided by the noise period)
 */
export function latticeValue(seed: number, k: number): number {
  let h = Math.imul(seed ^ (seed >>> 16) ^ Math.imul(k, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 15;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) / 2147483648;
}

/** Smoothstep weight 3w² − 2w³ for w in [0, 1]: continuous first derivative at lattice points. */
export function smoothstep(w: number): number {
  return w * w * (3 - 2 * w);
}

/**
 * Smooth deterministic noise of time in [-1, 1]: lattice values every `periodMs`, smoothstep-interpolated between
 * them. The value at `tMs` depends only on `(seed, tMs, periodMs)`, never on earlier calls.
 * @param seed uint32 stream seed
 * @param tMs time in epoch milliseconds
 * @param periodMs lattice spacing in milliseconds (> 0); the noise decorrelates over about one period
 */
export function valueNoise(seed: number, tMs: number, periodMs: number): number {
  const x = tMs / periodMs;
  const k = Math.floor(x);
  const a = latticeValue(seed, k);
  return a + (latticeValue(seed, k + 1) - a) * smoothstep(x - k);
}

/**
 * A small, fast seeded pseudo-random generator: a Weyl sequence (golden-ratio increment) passed through the
 * Murmur3 finaliser. Period 2³²; good enough for scenario jitter, not for cryptography.
 */
export class SeededRandom {
  private state: number;
  private spareNormal: number | undefined;

  /** @param seed any number; only its low 32 bits are used */
  constructor(seed: number) {
    this.state = seed | 0;
  }

  /** Next uint32. */
  uint32(): number {
    this.state = (this.state + 0x9e3779b9) | 0;
    return fmix32(this.state);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.uint32() / UINT32;
  }

  /** Uniform in [min, max). */
  uniform(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** Normal deviate (Box–Muller, polar form; the second value of each pair is kept for the next call). */
  normal(mean = 0, sd = 1): number {
    if (this.spareNormal !== undefined) {
      const z = this.spareNormal;
      this.spareNormal = undefined;
      return mean + sd * z;
    }
    for (;;) {
      const u = this.next() * 2 - 1;
      const v = this.next() * 2 - 1;
      const s = u * u + v * v;
      if (s >= 1 || s === 0) continue;
      const f = Math.sqrt((-2 * Math.log(s)) / s);
      this.spareNormal = v * f;
      return mean + sd * u * f;
    }
  }
}

/** Creates a {@link SeededRandom}; `createRandom(hashSeed(seed, 'purpose'))` gives an independent stream. */
export function createRandom(seed: number): SeededRandom {
  return new SeededRandom(seed);
}
