// SPDX-License-Identifier: Apache-2.0
// The in-memory store of one kind, fed by its watch loop: objects by key, indexed by namespace, with a change hook
// (prev → next) that derived state such as the pod lifecycle history hangs off.
import type { ObjectChanges } from '../../domain/kube-ports.ts';
import type { ObjectBase } from '../../domain/resources.ts';
import { ChangeJournal } from './change-journal.ts';
import type { WatchSink } from './watch-loop.ts';

export interface KindStoreHooks<T> {
  /** Called for every effective change: (undefined, next) added, (prev, next) modified, (prev, undefined) deleted. */
  readonly onChange?: (prev: T | undefined, next: T | undefined) => void;
  /** Called after a complete list has been applied. */
  readonly onReplace?: () => void;
}

export class KindStore<T extends ObjectBase> implements WatchSink<T> {
  private byKey = new Map<string, T>();
  private byNamespace = new Map<string, Map<string, T>>();
  /** `list()` of every object, kept until the next change: readers poll far more often than 150,000 pods change. */
  private all: readonly T[] | undefined;
  private everSynced = false;
  private readonly journal = new ChangeJournal();

  constructor(private readonly hooks: KindStoreHooks<T> = {}) {}

  /** True once a complete list has been applied (stays true). */
  get synced(): boolean {
    return this.everSynced;
  }

  get size(): number {
    return this.byKey.size;
  }

  get(key: string): T | undefined {
    return this.byKey.get(key);
  }

  /**
   * All objects, or those of one namespace (cluster-scoped objects are under no namespace). The list of all objects
   * is the same array until the store changes, so a reader can tell by identity that nothing changed; it is shared:
   * do not modify it.
   */
  list(namespace?: string): readonly T[] {
    if (namespace === undefined) return (this.all ??= [...this.byKey.values()]);
    return [...(this.byNamespace.get(namespace)?.values() ?? [])];
  }

  /** Which objects changed since a revision (see ClusterView.changesSince). */
  changesSince(revision?: number): ObjectChanges {
    return this.journal.since(revision);
  }

  upsert(item: T): void {
    const prev = this.byKey.get(item.key);
    this.put(item);
    this.journal.record(item.namespace, item.name);
    this.hooks.onChange?.(prev, item);
  }

  remove(item: T): void {
    const prev = this.byKey.get(item.key);
    if (!prev) return;
    this.all = undefined;
    this.byKey.delete(item.key);
    this.byNamespace.get(prev.namespace ?? '')?.delete(item.key);
    this.journal.record(prev.namespace, prev.name);
    this.hooks.onChange?.(prev, undefined);
  }

  /**
   * Swaps in a complete list. Each object is compared with its previous state, and objects missing from the list
   * are reported deleted: a relist after 410 may hide deletions the watch never delivered.
   */
  replace(items: readonly T[]): void {
    const old = this.byKey;
    this.all = undefined;
    this.byKey = new Map();
    this.byNamespace = new Map();
    for (const item of items) {
      const prev = old.get(item.key);
      old.delete(item.key);
      this.put(item);
      this.hooks.onChange?.(prev, item);
    }
    for (const gone of old.values()) this.hooks.onChange?.(gone, undefined);
    this.journal.reset();
    this.everSynced = true;
    this.hooks.onReplace?.();
  }

  private put(item: T): void {
    this.all = undefined;
    this.byKey.set(item.key, item);
    const ns = item.namespace ?? '';
    let bucket = this.byNamespace.get(ns);
    if (!bucket) this.byNamespace.set(ns, (bucket = new Map()));
    bucket.set(item.key, item);
  }
}
