// SPDX-License-Identifier: Apache-2.0
// The pod part of a ClusterView over a real KindStore (its list, get and change journal), for tests of readers that
// follow the pods through the journal, such as the API's pod orders.
import type { ClusterView } from '../../src/domain/kube-ports.ts';
import type { Pod } from '../../src/domain/resources.ts';
import type { KindStore } from '../../src/sources/kube/kind-store.ts';

export function podStoreView(store: KindStore<Pod>, rest: Partial<ClusterView> = {}): ClusterView {
  const view: Partial<ClusterView> = {
    list: ((kind: string, ns?: string) => (kind === 'pods' ? store.list(ns) : [])) as ClusterView['list'],
    get: ((kind: string, ns: string, name: string) => (kind === 'pods' ? store.get(`${ns}/${name}`) : undefined)) as ClusterView['get'],
    changesSince: (kind, revision) => (kind === 'pods' ? store.changesSince(revision) : { revision: 0 }),
    ...rest,
  };
  return view as ClusterView;
}
