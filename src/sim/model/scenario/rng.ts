// SPDX-License-Identifier: Apache-2.0
// The scenario's seeded random source: the same seed yields the same names, placements and timings.
import { createRng } from '../uid.ts';
import { fnv32a } from '../../hash.ts';

/** Characters the API server uses for generated name suffixes (apimachinery util/rand: no vowels, no 0/1/3). */
export const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

const HEX_CODES = Array.from('0123456789abcdef', (c) => c.charCodeAt(0));

export class Rng {
  private readonly next: () => number;

  constructor(seed: number) {
    this.next = createRng(seed);
  }

  /** Uniform in [0, 1). */
  float(): number {
    return this.next();
  }

  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Uniform in [min, max). */
  between(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  }

  /** A 5-character suffix as generateName and ReplicaSet pods get. */
  suffix(length = 5): string {
    let s = '';
    for (let i = 0; i < length; i++) s += NAME_ALPHABET[Math.floor(this.next() * 27)];
    return s;
  }

  /**
   * `prefix` followed by `length` random hex digits, as one flat string (decoded from a byte buffer: string
   * concatenation would leave a tree of cons strings several times larger than the text).
   */
  prefixedHex(prefix: string, length: number): string {
    const buf = Buffer.allocUnsafe(prefix.length + length);
    buf.write(prefix, 0, 'latin1');
    for (let i = 0; i < length; i += 8) {
      const word = Math.floor(this.next() * 0x100000000);
      for (let j = 0; j < 8 && i + j < length; j++) buf[prefix.length + i + j] = HEX_CODES[(word >>> (j * 4)) & 15] as number;
    }
    return buf.toString('latin1');
  }

  /**
   * Lower-case hex string of the given length (container IDs and digests are 64). Built with join so the result is
   * one flat string: appending character by character would leave a tree of cons strings about 25 times larger.
   */
  hex(length: number): string {
    const parts: string[] = [];
    for (let n = 0; n < length; n += 8) parts.push(Math.floor(this.next() * 0x100000000).toString(16).padStart(8, '0'));
    const s = parts.join('');
    return s.length === length ? s : s.slice(0, length);
  }
}

export { fnv32a };

/**
 * The `pod-template-hash` / `controller-revision-hash` form: the decimal digits of a 32-bit template hash,
 * each mapped into the safe alphabet (apimachinery rand.SafeEncodeString), e.g. "7d764666f9".
 */
export function safeEncodeHash(hash: number): string {
  const digits = String(hash);
  let s = '';
  for (let i = 0; i < digits.length; i++) s += NAME_ALPHABET[digits.charCodeAt(i) % 27];
  return s;
}

/** Derives an independent seed for a named sub-stream, so one part's draws do not shift another's. */
export function subSeed(seed: number, name: string): number {
  return fnv32a(`${seed}/${name}`);
}
