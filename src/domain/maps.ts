// SPDX-License-Identifier: Apache-2.0
// Nested maps: the caches of series ids and the analyses' series are keyed level by level (cluster, kind, entity,
// metric), so that a lookup hashes strings that already exist instead of a joined key string made per lookup.

/** The map under `key` in `parent`, created empty when absent. */
export function mapIn<K, K2, V>(parent: Map<K, Map<K2, V>>, key: K): Map<K2, V> {
  let child = parent.get(key);
  if (child === undefined) parent.set(key, (child = new Map()));
  return child;
}
