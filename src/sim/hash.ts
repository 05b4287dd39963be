// SPDX-License-Identifier: Apache-2.0
// The simulator's two hash primitives, shared by the scenario builder, the usage model and the log generator so
// that every part derives its deterministic values the same way. FNV-1a lives with the domain's helpers, since the
// monitor uses it too (spreading forecast refits by series name).
import { fnv32a } from '../domain/hash.ts';

export { fnv32a };

/**
 * Murmur3's 32-bit finaliser: a bijection on uint32 with good avalanche. Returns a uint32.
 * @param h any 32-bit integer
 */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
