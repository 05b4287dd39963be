// SPDX-License-Identifier: Apache-2.0
// Deterministic identifiers: a scenario with the same seed yields the same uids, so runs can be compared.

/** A small seeded PRNG (mulberry32) returning floats in [0, 1). */
export function createRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An RFC 4122 version-4 shaped UUID drawn from the given generator. */
export function randomUuid(rng: () => number): string {
  let hex = '';
  for (let i = 0; i < 4; i++) hex += Math.floor(rng() * 0x100000000).toString(16).padStart(8, '0');
  const variant = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
