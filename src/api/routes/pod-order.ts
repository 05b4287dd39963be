// SPDX-License-Identifier: Apache-2.0
// The sorted order of the pods behind `/api/v1/pods`, cached between requests. At 150,000 pods, building and sorting
// full response objects per request costs more than a page's whole latency budget; instead the route sorts small
// (value, namespace, name, pod) entries once per state of the cluster and collection, keeps the filtered subsets
// of recent queries, and builds response objects for the page only.
import type { ClusterView, ObjectName } from '../../domain/kube-ports.ts';
import type { Pod } from '../../domain/resources.ts';
import { yieldToEventLoop } from '../../runtime/yield.ts';
import { compareKeys, indexAfter, keyId, type SortKey } from './keyset.ts';

/** Sort orders of the pod list: by namespace and name, or by usage (highest first, then namespace and name). */
export type PodSort = 'name' | 'cpu' | 'memory';

/** A pod with its sort key; `value` is the usage (-1 when unknown, so those pods come last), 0 for `name`. */
export interface PodEntry extends SortKey {
  readonly pod: Pod;
}

/**
 * The usage lookups the order needs (a subset of LatestUsage). A pod's values must stay the same for as long as
 * `collectedAtMs()` does: the kept usage orders find a changed pod's entry by the value it was sorted with.
 */
export interface PodUsageLookup {
  pod(namespace: string, name: string): { readonly cpuMillicores: number; readonly memoryBytes: number } | undefined;
  /** The same value alone, when the source can answer without an object per pod (read 150,000 times a cycle). */
  podValue?(namespace: string, name: string, which: 'cpu' | 'memory'): number | undefined;
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
  /** Pods per slice of a usage order built by `ready` (default 16,384: a few ms each). */
  readonly buildSlice?: number;
}

const BUILD_SLICE = 16_384;

/** Filtered subsets kept per state; a dashboard polls a handful of queries at a time. */
const MAX_FILTERED = 32;

/**
 * Changes beyond which the kept orders are sorted again rather than spliced: a splice moves half an order of 150,000
 * entries, so a few thousand of them (a node drain, minutes without requests under churn) would hold one request for
 * seconds, where one sort takes a few tenths.
 */
const MAX_SPLICED_CHANGES = 1024;

/** Index of the entry with exactly `key`'s value and id, or -1. */
function indexOfKey(sorted: readonly PodEntry[], key: SortKey): number {
  const i = indexAfter(sorted, key) - 1;
  const e = sorted[i];
  return e !== undefined && e.value === key.value && e.id === key.id ? i : -1;
}

/** Sorted, filtered pod entries, valid while the pod list and the last collection stay the same. */
export class PodOrderCache {
  /** The cluster view's pod revision the kept orders have followed to. */
  private revision: number | undefined;
  private collectedAt: number | undefined;
  private readonly sorted = new Map<PodSort, PodEntry[]>();
  private readonly filtered = new Map<string, PodEntry[]>();
  private checkedAtMs = Number.NEGATIVE_INFINITY;
  /** Usage orders being built in slices by `ready`. */
  private readonly pending = new Map<PodSort, Promise<void>>();

  constructor(private readonly deps: PodOrderOptions) {}

  /**
   * Resolves once the order of `sort` is built, or undefined when it is. A usage order that a new collection made
   * stale is rebuilt in slices (the 150,000 usage lookups and entries a few ms at a time, the sort of positions in
   * one step), so that the requests that arrive meanwhile are served between them rather than behind one stall of
   * about a tenth of a second after every collection. Without it, `entries` builds the order at once.
   */
  ready(sort: PodSort): Promise<void> | undefined {
    this.revalidate();
    if (sort === 'name' || this.sorted.has(sort)) return undefined;
    let pending = this.pending.get(sort);
    if (pending === undefined) {
      pending = this.buildInSlices(sort).finally(() => this.pending.delete(sort));
      this.pending.set(sort, pending);
    }
    return pending;
  }

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

  /**
   * Applies the pods changed since the last visit to the kept orders, at most once per `refreshMs`. The cluster view
   * names what changed (its journal), so no copy of the pod list is made; when it no longer holds the changes (a
   * relist, or a long time without requests under churn) the orders are rebuilt from the list on demand.
   */
  private followPods(): void {
    const now = (this.deps.now ?? Date.now)();
    if (now - this.checkedAtMs < (this.deps.refreshMs ?? 1000)) return;
    this.checkedAtMs = now;
    const feed = this.deps.cluster.changesSince('pods', this.revision);
    this.revision = feed.revision;
    if (feed.changed?.length === 0) return;
    this.filtered.clear();
    if (feed.changed === undefined || feed.changed.length > MAX_SPLICED_CHANGES) this.sorted.clear();
    else for (const change of feed.changed) this.applyChange(change);
  }

  /**
   * A changed pod's entry in each kept order is replaced in place (a modified pod keeps its key: namespace, name and
   * the usage of the last collection), removed (deleted) or inserted (new) by binary search: under churn a second
   * brings tens of changes, a few splices instead of re-sorting 150,000 entries. Applying a change the order already
   * holds changes nothing, so an order built from a newer list than the last visit stays right.
   */
  private applyChange({ namespace, name }: ObjectName): void {
    if (namespace === undefined) return;
    const pod = this.deps.cluster.get('pods', namespace, name);
    const id = keyId(namespace, name);
    for (const [sort, entries] of this.sorted) {
      const key = { value: this.valueOf(namespace, name, sort), id };
      const i = indexOfKey(entries, key);
      if (pod === undefined) {
        if (i >= 0) entries.splice(i, 1);
      } else if (i >= 0) entries[i] = { ...key, pod };
      else entries.splice(indexAfter(entries, key), 0, { ...key, pod });
    }
  }

  private sortedFor(sort: PodSort): PodEntry[] {
    let entries = this.sorted.get(sort);
    if (entries === undefined) {
      entries = sort === 'name' ? this.deps.cluster.list('pods').map((pod) => this.entryOf(pod, sort)).sort(compareKeys) : this.byUsage(sort);
      this.sorted.set(sort, entries);
    }
    return entries;
  }

  /**
   * The usage orders are rebuilt after every collection. Starting from the name order (ids ascending) and sorting
   * positions by value, ties by position, gives exactly `compareKeys`'s order with numbers compared instead of
   * strings, and over typed arrays rather than objects: a few hundredths of a second over 150,000 pods instead of a
   * few tenths.
   */
  private byUsage(sort: Exclude<PodSort, 'name'>): PodEntry[] {
    const build = this.usageBuild(sort, this.sortedFor('name'));
    build.values(0, build.size);
    build.sort();
    build.entries(0, build.size);
    return build.out;
  }

  /**
   * `byUsage` in slices, over a copy of the name order (the watch may splice the kept orders between slices). The
   * pods changed since the copy are applied to the new order when it is kept; a newer collection meanwhile starts
   * it again, and an order that `entries` built at once meanwhile is kept instead.
   */
  private async buildInSlices(sort: Exclude<PodSort, 'name'>): Promise<void> {
    const slice = this.deps.buildSlice ?? BUILD_SLICE;
    for (;;) {
      const [collectedAt, revision] = [this.collectedAt, this.revision];
      const build = this.usageBuild(sort, this.sortedFor('name').slice());
      for (let from = 0; from < build.size; from += slice) {
        build.values(from, Math.min(build.size, from + slice));
        await yieldToEventLoop();
      }
      build.sort();
      for (let from = 0; from < build.size; from += slice) {
        await yieldToEventLoop();
        build.entries(from, Math.min(build.size, from + slice));
      }
      this.revalidate();
      if (this.collectedAt !== collectedAt) continue;
      if (!this.sorted.has(sort)) this.keep(sort, build.out, revision);
      return;
    }
  }

  private usageBuild(sort: Exclude<PodSort, 'name'>, byName: readonly PodEntry[]): UsageOrderBuild {
    return new UsageOrderBuild(byName, (pod) => this.valueOf(pod.namespace, pod.name, sort));
  }

  /** Keeps a usage order built from the name order as it was at `revision`, brought up to the pods' changes since. */
  private keep(sort: PodSort, entries: PodEntry[], revision: number | undefined): void {
    const feed = this.deps.cluster.changesSince('pods', revision);
    if (feed.changed === undefined || feed.changed.length > MAX_SPLICED_CHANGES) return;
    this.sorted.set(sort, entries);
    this.filtered.clear();
    for (const change of feed.changed) this.applyChange(change);
  }

  private entryOf(pod: Pod, sort: PodSort): PodEntry {
    return { value: this.valueOf(pod.namespace, pod.name, sort), id: keyId(pod.namespace, pod.name), pod };
  }

  private valueOf(namespace: string, name: string, sort: PodSort): number {
    if (sort === 'name') return 0;
    const usage = this.deps.usage;
    let value: number | undefined;
    if (usage.podValue !== undefined) value = usage.podValue(namespace, name, sort);
    else {
      const u = usage.pod(namespace, name);
      value = u === undefined ? undefined : sort === 'cpu' ? u.cpuMillicores : u.memoryBytes;
    }
    value ??= -1;
    // A non-finite value would break the total order (and the binary search of cursors): treat it as unknown.
    return Number.isFinite(value) ? value : -1;
  }
}

/** The steps of a usage order's build over the name order: values, the sort of positions, the entries. */
class UsageOrderBuild {
  readonly out: PodEntry[];
  private readonly vals: Float64Array;
  private readonly order: Uint32Array;

  constructor(
    private readonly byName: readonly PodEntry[],
    private readonly valueOf: (pod: Pod) => number,
  ) {
    this.vals = new Float64Array(byName.length);
    this.order = new Uint32Array(byName.length);
    this.out = new Array<PodEntry>(byName.length);
  }

  get size(): number {
    return this.byName.length;
  }

  values(from: number, to: number): void {
    for (let i = from; i < to; i++) {
      this.vals[i] = this.valueOf((this.byName[i] as PodEntry).pod);
      this.order[i] = i;
    }
  }

  sort(): void {
    const values = this.vals;
    this.order.sort((a, b) => (values[b] as number) - (values[a] as number) || a - b);
  }

  entries(from: number, to: number): void {
    for (let i = from; i < to; i++) {
      const at = this.order[i] as number;
      const e = this.byName[at] as PodEntry;
      this.out[i] = { value: this.vals[at] as number, id: e.id, pod: e.pod };
    }
  }
}
