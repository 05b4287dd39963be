// SPDX-License-Identifier: Apache-2.0
// What every exporter renders from: the object store, the usage model and the instant being rendered. A
// ClusterView wraps one such context for one render and memoizes the lists it reads, because each metric family
// walks the same pods again (a family-at-a-time stream is what lets the text be produced without buffering).
import type { KubeObject, Node, Pod } from '../model/kube-types.ts';
import type { ObjectStoreApi } from '../model/object-store.ts';
import type { UsageView } from '../usage/types.ts';

/** Input of every renderer. `nowMs` is scenario time in epoch milliseconds (the instant the values describe). */
export interface ExporterContext {
  readonly store: ObjectStoreApi;
  readonly usage: UsageView;
  readonly nowMs: number;
  /**
   * The pods bound to a node, from an index shared across renders (the simulation keeps one that follows the
   * store's changes: model/pods-by-node.ts). Per-node endpoints use it: grouping 150,000 pods for each of 5,000
   * kubelet requests would cost minutes. Without it a view groups the pods itself, once per render.
   */
  readonly podsOnNode?: (nodeName: string) => readonly Pod[];
}

/** Groups pods by `spec.nodeName` (unbound pods left out), in store order. */
export function groupPodsByNode(pods: readonly Pod[]): Map<string, Pod[]> {
  const byNode = new Map<string, Pod[]>();
  for (const pod of pods) {
    const name = pod.spec?.nodeName;
    if (name === undefined || name === '') continue;
    const list = byNode.get(name);
    if (list) list.push(pod);
    else byNode.set(name, [pod]);
  }
  return byNode;
}

export class ClusterView {
  private readonly lists = new Map<string, readonly KubeObject[]>();
  private podsByNode: ReadonlyMap<string, readonly Pod[]> | undefined;

  constructor(readonly ctx: ExporterContext) {}

  get usage(): UsageView {
    return this.ctx.usage;
  }

  get nowMs(): number {
    return this.ctx.nowMs;
  }

  /** All objects of a store key (`pods`, `deployments.apps`, …), read once per view. */
  list<T extends KubeObject>(key: string): readonly T[] {
    let items = this.lists.get(key);
    if (items === undefined) {
      items = this.ctx.store.list(key);
      this.lists.set(key, items);
    }
    // The store hands out objects of the kind its key names; the cast only restores that knowledge.
    return items as readonly T[];
  }

  pods(): readonly Pod[] {
    return this.list<Pod>('pods');
  }

  nodes(): readonly Node[] {
    return this.list<Node>('nodes');
  }

  node(name: string): Node | undefined {
    return this.ctx.store.get<Node>('nodes', undefined, name);
  }

  /** Pods bound to a node: in store order, then (with the simulation's index) in the order they were bound. */
  podsOnNode(nodeName: string): readonly Pod[] {
    if (this.ctx.podsOnNode) return this.ctx.podsOnNode(nodeName);
    this.podsByNode ??= groupPodsByNode(this.pods());
    return this.podsByNode.get(nodeName) ?? [];
  }
}
