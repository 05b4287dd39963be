// SPDX-License-Identifier: Apache-2.0
// A guard against fitting the detector to a few files: the corpus is cut into two fixed halves, and a change to the
// detector is kept only if it helps, or at least does not hurt, on both. The cut depends on file names only (sorted
// by the name after the last '/', then dealt alternately), never on labels or scores, so it cannot favour a change.

/** Indices of `names` in half A and in half B. */
export function splitHalves(names: readonly string[]): { readonly a: number[]; readonly b: number[] } {
  const base = (name: string): string => name.slice(name.lastIndexOf('/') + 1);
  const order = names.map((name, i) => ({ key: base(name), i }));
  // code-unit order, so the cut is the same under every locale
  order.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : x.i - y.i));
  return { a: order.filter((_, k) => k % 2 === 0).map((o) => o.i), b: order.filter((_, k) => k % 2 === 1).map((o) => o.i) };
}
