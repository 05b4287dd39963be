// SPDX-License-Identifier: Apache-2.0
// The simulator's two hash primitives, shared by the scenario builder, the usage model and the log generator so
// that every part derives its deterministic values the same way.

/** FNV-1a 32-bit hash of a string (as the Kubernetes controllers hash pod templates). Returns a uint32. */
export function fnv32a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

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
