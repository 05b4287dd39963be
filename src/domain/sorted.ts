// SPDX-License-Identifier: Apache-2.0
// Binary search over ascending arrays: sample timestamps, sorted values, the simulator's byte-ordered keys.

/** Index of the first element of ascending `sorted` that is not below `v` (`sorted.length` when there is none). */
export function lowerBound<T extends number | string>(sorted: ArrayLike<T>, v: T): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as T) < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
