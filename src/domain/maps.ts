// SPDX-License-Identifier: Apache-2.0
// Nested maps: the caches of series ids and the analyses' series are keyed level by level (cluster, kind, entity,
// metric), so that a lookup hashes strings that already exist instead of a joined key string made per lookup.

/** The items by key, each list in the items' order, the keys in order of first appearance. */
export function groupBy<T, K>(items: Iterable<T>, keyOf: (item: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = out.get(key);
    if (list === undefined) out.set(key, [item]);
    else list.push(item);
  }
  return out;
}

/** The map under `key` in `parent`, created empty when absent. */
export function mapIn<K, K2, V>(parent: Map<K, Map<K2, V>>, key: K): Map<K2, V> {
  let child = parent.get(key);
  if (child === undefined) parent.set(key, (child = new Map()));
  return child;
}

/** Visits every value of a two-level map, drops those `keep` returns false for, and the inner maps left empty. */
export function sweepNested<K, K2, V>(parent: Map<K, Map<K2, V>>, keep: (value: V) => boolean): void {
  // forEach rather than for…of over entries: each entry of the latter is an array of its own (150,000 per sweep of
  // the pods), and a Map may drop the entry being visited.
  parent.forEach((child, key) => {
    child.forEach((value, key2) => {
      if (!keep(value)) child.delete(key2);
    });
    if (child.size === 0) parent.delete(key);
  });
}
