// SPDX-License-Identifier: Apache-2.0
// The sorted order of the pods behind `/api/v1/pods`, cached between requests. At 150,000 pods, building and sorting
// full response objects per request costs more than a page's whole latency budget; instead the route sorts small
// (value, namespace, name, pod) entries once per state of the cluster and collection, keeps the filtered subsets
// of recent queries, and builds response objects for the page only.
import type { ClusterView } from '../../domain/kube-ports.ts';
import type { Pod } from '../../domain/resources.ts';
import { compareKeys, indexAfter, keyId, type SortKey } from './keyset.ts';

/** Sort orders of the pod list: by namespace and name, or by usage (highest first, then namespace and name). */
export type PodSort = 'name' | 'cpu' | 'memory';

/** A pod with its sort key; `value` is the usage (-1 when unknown, so those pods come last), 0 for `name`. */
export interface PodEntry extends SortKey {
  readonly pod: Pod;
}

/** The usage lookups the order needs (a subset of LatestUsage). */
export interface PodUsageLookup {
  pod(namespace: string, name: string): { readonly cpuMillicores: number; readonly memoryBytes: number } | undefined;
  collectedAtMs(): number | undefined;
}

/**
 * A query's subset of the sorted pods: `hash` identifies the filters, `filter` applies them. With `namespace`, only
 * that namespace's pods are read and sorted (through the store's namespace index) instead of filtering the whole
 * cluster's order; `filter` must still hold the namespace condition or not depend on it.
 */
export interface PodOrderQuery {
  readonly sort: PodSort;
  readonly hash: string;
  readonly namespace?: string;
  readonly filter?: (pod: Pod) => boolean;
}

export interface PodOrderOptions {
  readonly cluster: ClusterView;
  readonly usage: PodUsageLookup;
  /**
   * How long a pod list stays current (ms, default 1000). Under churn the pod list changes many times a second;
   * comparing 150,000 pods on every request would cost more than the requests, so the order follows the watch with
   * at most this delay. Usage orders still change at once after a collection.
   */
  readonly refreshMs?: number;
  readonly now?: () => number;
}

/** Filtered subsets kept per state; a dashboard polls a handful of queries at a time. */
const MAX_FILTERED = 32;

/** What changed between two pod lists: pods gone, pods new, and pods replaced by a new version (same key). */
interface PodDiff {
  readonly removed: readonly Pod[];
  readonly added: readonly Pod[];
  readonly replaced: readonly (readonly [Pod, Pod])[];
}

/**
 * The watch replaces a pod's projection on every change and never mutates one, and the store lists in insertion
 * order (a modified pod keeps its place, a new one goes last), so a single walk comparing identities finds the
 * changes in O(n) without hashing 150,000 keys. Any other reordering (a relist) still diffs correctly: unmatched
 * old pods count as removed and unmatched new ones as added.
 */
export function diffPods(before: readonly Pod[], after: readonly Pod[]): PodDiff {
  const removed: Pod[] = [];
  const added: Pod[] = [];
  const replaced: [Pod, Pod][] = [];
  let i = 0;
  let j = 0;
  while (i < before.length && j < after.length) {
    const old = before[i++] as Pod;
    const cur = after[j] as Pod;
    if (old === cur) j++;
    else if (old.key === cur.key) {
      replaced.push([old, cur]);
      j++;
    } else removed.push(old);
  }
  while (i < before.length) removed.push(before[i++] as Pod);
  while (j < after.length) added.push(after[j++] as Pod);
  return { removed, added, replaced };
}

/** Index of the entry with exactly `key`'s value and id, or -1. */
function indexOfKey(sorted: readonly PodEntry[], key: SortKey): number {
  const i = indexAfter(sorted, key) - 1;
  const e = sorted[i];
  return e !== undefined && e.value === key.value && e.id === key.id ? i : -1;
}

/**
 * Applies a diff to a sorted list in place: a replaced pod keeps its slot (its key, namespace and name, and the usage
 * of the last collection, has not changed), a removed or added one is found by binary search and spliced. Under
 * churn a second brings tens of changes, so this costs a few splices instead of re-merging 150,000 entries.
 * False when an entry is not where its key says (the list is then rebuilt).
 */
function applyDiff(sorted: PodEntry[], diff: PodDiff, entryOf: (pod: Pod) => PodEntry): boolean {
  for (const [old, cur] of diff.replaced) {
    const next = entryOf(cur);
    const i = indexOfKey(sorted, entryOf(old));
    if (i < 0 || compareKeys(next, sorted[i] as PodEntry) !== 0) return false;
    sorted[i] = next;
  }
  for (const old of diff.removed) {
    const i = indexOfKey(sorted, entryOf(old));
    if (i < 0) return false;
    sorted.splice(i, 1);
  }
  for (const pod of diff.added) {
    const e = entryOf(pod);
    sorted.splice(indexAfter(sorted, e), 0, e);
  }
  return true;
}

/** Sorted, filtered pod entries, valid while the pod list and the last collection stay the same. */
export class PodOrderCache {
  private source: readonly Pod[] = [];
  private collectedAt: number | undefined;
  private readonly sorted = new Map<PodSort, PodEntry[]>();
  private readonly filtered = new Map<string, PodEntry[]>();
  private checkedAtMs = Number.NEGATIVE_INFINITY;

  constructor(private readonly deps: PodOrderOptions) {}

  /** The current pods matching the query, in the query's order. The result is shared: do not modify it. */
  entries(q: PodOrderQuery): readonly PodEntry[] {
    this.revalidate();
    if (q.filter === undefined && q.namespace === undefined) return this.sortedFor(q.sort);
    const key = `${q.sort}:${q.hash}`;
    let subset = this.filtered.get(key);
    if (subset === undefined) {
      subset = this.subset(q);
      if (this.filtered.size >= MAX_FILTERED) this.filtered.delete(this.filtered.keys().next().value as string);
      this.filtered.set(key, subset);
    }
    return subset;
  }

  private subset(q: PodOrderQuery): PodEntry[] {
    const filter = q.filter ?? (() => true);
    if (q.namespace === undefined) return this.sortedFor(q.sort).filter((e) => filter(e.pod));
    // A namespace holds at most a few thousand pods: sorting them beats filtering 150,000 sorted entries.
    const own = this.deps.cluster.list('pods', q.namespace).filter(filter);
    return own.map((pod) => this.entryOf(pod, q.sort)).sort(compareKeys);
  }

  private revalidate(): void {
    const collectedAt = this.deps.usage.collectedAtMs();
    if (collectedAt !== this.collectedAt) {
      // New usage values reorder the usage sorts wholesale; the name order survives.
      this.sorted.delete('cpu');
      this.sorted.delete('memory');
      this.filtered.clear();
      this.collectedAt = collectedAt;
    }
    this.followPods();
  }

  /** Applies the pod list's changes to the kept orders, at most once per `refreshMs`. */
  private followPods(): void {
    const now = (this.deps.now ?? Date.now)();
    if (now - this.checkedAtMs < (this.deps.refreshMs ?? 1000)) return;
    this.checkedAtMs = now;
    const pods = this.deps.cluster.list('pods');
    if (pods === this.source) return;
    const diff = diffPods(this.source, pods);
    this.source = pods;
    if (diff.removed.length === 0 && diff.added.length === 0 && diff.replaced.length === 0) return;
    this.filtered.clear();
    for (const [sort, entries] of this.sorted) {
      if (!applyDiff(entries, diff, (pod) => this.entryOf(pod, sort))) this.sorted.delete(sort);
    }
  }

  private sortedFor(sort: PodSort): PodEntry[] {
    let entries = this.sorted.get(sort);
    if (entries === undefined) {
      entries = sort === 'name' ? this.source.map((pod) => this.entryOf(pod, sort)).sort(compareKeys) : this.byUsage(sort);
      this.sorted.set(sort, entries);
    }
    return entries;
  }

  /**
   * The usage orders are rebuilt after every collection, so their cost lands on a request once a minute. Starting
   * from the name order (ids ascending) and sorting stably by value alone gives exactly `compareKeys`'s order with a
   * numeric comparison instead of a string one per step: several times faster over 150,000 pods.
   */
  private byUsage(sort: Exclude<PodSort, 'name'>): PodEntry[] {
    return this.sortedFor('name')
      .map((e) => this.entryOf(e.pod, sort))
      .sort((a, b) => b.value - a.value);
  }

  private entryOf(pod: Pod, sort: PodSort): PodEntry {
    const id = keyId(pod.namespace, pod.name);
    if (sort === 'name') return { value: 0, id, pod };
    const u = this.deps.usage.pod(pod.namespace, pod.name);
    const value = u === undefined ? -1 : sort === 'cpu' ? u.cpuMillicores : u.memoryBytes;
    // A non-finite value would break the total order (and the binary search of cursors): treat it as unknown.
    return { value: Number.isFinite(value) ? value : -1, id, pod };
  }
}
