// SPDX-License-Identifier: Apache-2.0
// Summaries over the whole cluster (every namespace's pods and usage) cost tens of milliseconds at 150,000 pods, and a
// dashboard asks for them several times a second. A TimedCache keeps each result for a short time, and drops it at
// once when its version (e.g. the time of the last collection) changes, so new usage shows without delay and watch
// changes within `maxAgeMs`.

export interface TimedCacheOptions {
  readonly maxAgeMs: number;
  readonly now?: () => number;
}

interface Entry<V> {
  readonly version: unknown;
  readonly atMs: number;
  readonly value: V;
}

export class TimedCache<V> {
  private readonly entries = new Map<string, Entry<V>>();

  constructor(private readonly opts: TimedCacheOptions) {}

  /** The value under `key`, built again when it is older than `maxAgeMs` or was built for another version. */
  get(key: string, version: unknown, build: () => V): V {
    const now = (this.opts.now ?? Date.now)();
    const hit = this.entries.get(key);
    if (hit !== undefined && hit.version === version && now - hit.atMs < this.opts.maxAgeMs) return hit.value;
    const value = build();
    this.entries.set(key, { version, atMs: now, value });
    return value;
  }
}
