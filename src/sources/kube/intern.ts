// SPDX-License-Identifier: Apache-2.0
// Sharing of immutable projection parts. At 150,000 pods most of a pod's parts repeat: every replica of a workload
// has the same containers, labels and owners, and pods started in the same second carry equal conditions. JSON.parse
// allocates each occurrence afresh; the projections share one copy of each instead, which is most of the
// cache's heap. Shared values are never modified: the domain types are read-only throughout.

/** One shared empty list: projections hold thousands of empty lists (init containers, PVC names, taints…). */
export const EMPTY_LIST: readonly never[] = Object.freeze([]);

/** One shared empty string map (no labels, no kept annotations, no match labels). */
export const EMPTY_MAP: Readonly<Record<string, never>> = Object.freeze({});

/** `list`, or the shared empty list when it is empty. */
export function listOrEmpty<T>(list: readonly T[]): readonly T[] {
  return list.length === 0 ? EMPTY_LIST : list;
}

/** Equality of projection parts: plain objects of one shape, arrays, primitives. */
export function sameData(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameData(x, b[i]));
  return sameRecord(a as Readonly<Record<string, unknown>>, b as Readonly<Record<string, unknown>>);
}

function sameRecord(a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>): boolean {
  let fields = 0;
  for (const k in a) {
    if (!sameData(a[k], b[k])) return false;
    fields++;
  }
  for (const _ in b) fields--;
  return fields === 0;
}

export interface CandidateLimits<V> {
  readonly maxEntries: number;
  /** Values kept under one key; a key with more distinct values shares only the first ones. */
  readonly perKey: number;
  /** The comparison (default {@link sameData}); a hot pool gives one written for its type. */
  readonly equal?: (a: V, b: V) => boolean;
}

/** 2^24 seconds (about 194 days): the span a time key wraps around in. */
const KEY_SECONDS = 16_777_216;

/**
 * A small-integer key of a time in milliseconds (absent: the last value of the range), below 2^24. V8 keeps a number
 * outside the 31-bit small integers as a heap object of its own, and a pool keyed by millisecond times held one per
 * entry: hundreds of thousands at 150,000 pods, each visited by every full collection. Kubernetes times have second
 * resolution; times that wrap onto the same key are told apart by the pool's comparison.
 */
export function timeKey(ms: number | undefined): number {
  if (ms === undefined || !Number.isFinite(ms)) return KEY_SECONDS - 1;
  return ((Math.floor(ms / 1000) % KEY_SECONDS) + KEY_SECONDS) % KEY_SECONDS;
}

/**
 * A bounded table of shared values. Values are found by a cheap key (an interned string or a number, whose hash V8
 * keeps) and a comparison with the few values kept under it, instead of a text key built for each value: at 150,000
 * pods such keys cost more time than the projection itself. When full the table starts over rather than refusing
 * new entries: values already handed out stay valid (they are never modified), and a long-running monitor whose
 * objects churn keeps sharing the values of the objects it holds now instead of those of the first ones it saw.
 */
export class CandidatePool<K extends string | number, V> {
  /** The first value kept under each key; most keys have one, and a list per key would double the table's size. */
  private first = new Map<K, V>();
  private more = new Map<K, V[]>();

  constructor(private readonly limits: CandidateLimits<V>) {}

  share(key: K, value: V): V {
    const equal = this.limits.equal ?? sameData;
    const first = this.first.get(key);
    if (first === undefined) return this.keep(key, value);
    if (equal(first, value)) return first;
    const more = this.more.get(key);
    if (!more) {
      this.more.set(key, [value]);
      return value;
    }
    for (const candidate of more) if (equal(candidate, value)) return candidate;
    if (more.length < this.limits.perKey - 1) more.push(value);
    return value;
  }

  private keep(key: K, value: V): V {
    if (this.first.size >= this.limits.maxEntries) [this.first, this.more] = [new Map(), new Map()];
    this.first.set(key, value);
    return value;
  }
}
