// SPDX-License-Identifier: Apache-2.0
// The pods bound to each node, kept current from the store's pod changes. The per-node kubelet endpoints ask for
// one node's pods 5,000 times a cycle at 150,000 pods. Regrouping the whole pod list whenever the store had changed
// (every couple of seconds under churn) cost the simulator a few hundred ms a cycle, and its 150,000-entry lists
// lived long enough to reach the old generation, which brought the simulator's full collections (over a second each
// on its one core) into the cycles it serves. A change now touches the one node's list it concerns.
import type { Pod } from './kube-types.ts';
import type { ObjectStore, StoreEvent } from './object-store.ts';

const NO_PODS: readonly Pod[] = Object.freeze([]);

export class PodsByNode {
  /** Per node, its pods by uid: first in store order, then in the order they were bound (a change keeps the place). */
  private readonly byNode = new Map<string, Map<string, Pod>>();
  /** Each node's list as handed out, made again after that node's pods changed. */
  private readonly lists = new Map<string, readonly Pod[]>();

  /**
   * Starts from the store's current pods and follows its changes. Changes made while the store loads in bulk are not
   * delivered to watchers, so the index must be made after the bulk load.
   */
  constructor(store: ObjectStore) {
    store.watch('pods', {}, (ev) => this.apply(ev));
  }

  /** The pods bound to `node` now. The list is shared until the node's pods change: do not modify it. */
  podsOn(node: string): readonly Pod[] {
    let list = this.lists.get(node);
    if (list === undefined) {
      const pods = this.byNode.get(node);
      if (pods === undefined) return NO_PODS;
      list = [...pods.values()];
      this.lists.set(node, list);
    }
    return list;
  }

  private apply(ev: StoreEvent): void {
    const pod = ev.object as Pod;
    // The store gives every object a uid; the address is only a fallback. The API does not check that a pod has a
    // spec: a throw here would stop the store's other watchers from hearing of the change.
    const uid = pod.metadata.uid || `${pod.metadata.namespace ?? ''}/${pod.metadata.name}`;
    const before = (ev.prev as Pod | undefined)?.spec?.nodeName;
    const after = ev.type === 'DELETED' ? undefined : pod.spec?.nodeName;
    if (before && before !== after) this.remove(before, uid);
    if (after) this.put(after, uid, pod);
  }

  private put(node: string, uid: string, pod: Pod): void {
    let pods = this.byNode.get(node);
    if (pods === undefined) this.byNode.set(node, (pods = new Map()));
    pods.set(uid, pod);
    this.lists.delete(node);
  }

  private remove(node: string, uid: string): void {
    const pods = this.byNode.get(node);
    if (pods === undefined || !pods.delete(uid)) return;
    if (pods.size === 0) this.byNode.delete(node);
    this.lists.delete(node);
  }
}
