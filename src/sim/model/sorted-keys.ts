// SPDX-License-Identifier: Apache-2.0
// A sorted array of keys with binary search: list order and continue tokens follow etcd's byte-ordered keys.
import { lowerBound } from '../../domain/sorted.ts';

export { lowerBound };

export function insertSorted(keys: string[], k: string): void {
  const i = lowerBound(keys, k);
  // Appending in order (the common case while a scenario loads) avoids the memmove of splice.
  if (i === keys.length) keys.push(k);
  else keys.splice(i, 0, k);
}

export function removeSorted(keys: string[], k: string): void {
  const i = lowerBound(keys, k);
  if (keys[i] === k) keys.splice(i, 1);
}
