// SPDX-License-Identifier: Apache-2.0
// Which log profile each container's logs follow. Replicas of a template share one entry, and entries are keyed
// by namespace then pod name (existing strings), so the index costs one map slot per pod.
import type { LogProfile } from './schema-workload.ts';

export interface PodLogProfiles {
  readonly containers: readonly string[];
  readonly profiles: readonly LogProfile[];
}

export class LogProfileIndex {
  private readonly byNamespace = new Map<string, Map<string, PodLogProfiles>>();
  private count = 0;

  set(namespace: string, pod: string, profiles: PodLogProfiles): void {
    let pods = this.byNamespace.get(namespace);
    if (!pods) this.byNamespace.set(namespace, (pods = new Map()));
    if (!pods.has(pod)) this.count++;
    pods.set(pod, profiles);
  }

  delete(namespace: string, pod: string): void {
    if (this.byNamespace.get(namespace)?.delete(pod)) this.count--;
  }

  /** The container's log profile, or undefined for an unknown pod or container. */
  get(namespace: string, pod: string, container: string): LogProfile | undefined {
    const p = this.byNamespace.get(namespace)?.get(pod);
    if (!p) return undefined;
    const i = p.containers.indexOf(container);
    return i < 0 ? undefined : p.profiles[i];
  }

  get size(): number {
    return this.count;
  }
}
