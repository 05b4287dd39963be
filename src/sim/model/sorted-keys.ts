// SPDX-License-Identifier: Apache-2.0
// A sorted array of keys with binary search: list order and continue tokens follow etcd's byte-ordered keys.

/** Index of the first key >= k. */
export function lowerBound(keys: readonly string[], k: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((keys[mid] as string) < k) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

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
