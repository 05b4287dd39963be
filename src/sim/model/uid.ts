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

function hex8(rng: () => number): string {
  return Math.floor(rng() * 0x100000000).toString(16).padStart(8, '0');
}

/**
 * An RFC 4122 version-4 shaped UUID drawn from the given generator. Built with one template literal so V8 stores
 * it as one flat string (a uid made of concatenated pieces costs several hundred bytes at 150,000 pods).
 */
export function randomUuid(rng: () => number): string {
  const a = hex8(rng);
  const b = hex8(rng);
  const c = hex8(rng);
  const d = hex8(rng);
  const variant = ((parseInt(c[0] ?? '0', 16) & 0x3) | 0x8).toString(16);
  const uuid = `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${variant}${c.slice(1, 4)}-${c.slice(4, 8)}${d}`;
  // Flatten: slices of cons strings keep their parents alive otherwise.
  return Buffer.from(uuid, 'latin1').toString('latin1');
}
