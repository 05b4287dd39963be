// SPDX-License-Identifier: Apache-2.0
// A small, stable string hash for deterministic choices by name (the simulator's values, the spread of forecast refits).

/** FNV-1a 32-bit hash of a string (as the Kubernetes controllers hash pod templates). Returns a uint32. */
export function fnv32a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
