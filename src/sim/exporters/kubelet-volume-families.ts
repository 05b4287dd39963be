// SPDX-License-Identifier: Apache-2.0
// The kubelet's kubelet_volume_stats_* families: one series set per PersistentVolumeClaim mounted by a running pod
// (a kubelet only measures volumes it has mounted), reported once even when several pods share the claim. A real
// kubelet's series get the node from the scrape target; this cluster-wide endpoint adds a `node` label instead.
import type { ClusterView } from './cluster-view.ts';
import { isPodRunning, podVolumes } from './pod-facts.ts';
import { defineFamily, type FamilyCollector, type Labels, type Sample } from './series.ts';
import type { VolumeUsage } from '../usage/types.ts';

export interface MountedClaim {
  readonly namespace: string;
  readonly claim: string;
  readonly node: string;
  readonly usage: VolumeUsage;
}

/** Claims mounted by running pods on `nodeName` (or on any node), each once, with their usage. */
export function* mountedClaims(view: ClusterView, nodeName?: string): Generator<MountedClaim> {
  const seen = new Set<string>();
  const pods = nodeName === undefined ? view.pods() : view.podsOnNode(nodeName);
  for (const pod of pods) {
    if (!isPodRunning(pod)) continue;
    const namespace = pod.metadata.namespace ?? '';
    for (const vol of podVolumes(pod)) {
      if (vol.claimName === undefined || seen.has(`${namespace}/${vol.claimName}`)) continue;
      seen.add(`${namespace}/${vol.claimName}`);
      const usage = view.usage.volume(namespace, vol.claimName);
      if (usage) yield { namespace, claim: vol.claimName, node: pod.spec.nodeName ?? '', usage };
    }
  }
}

function volumeFamily(suffix: string, help: string, value: (u: VolumeUsage) => number): FamilyCollector<ClusterView> {
  return defineFamily({ name: `kubelet_volume_stats_${suffix}`, help: `[ALPHA] ${help}`, type: 'gauge' }, function* (view: ClusterView): Generator<Sample> {
    for (const m of mountedClaims(view)) {
      const labels: Labels = [
        ['namespace', m.namespace],
        ['node', m.node],
        ['persistentvolumeclaim', m.claim],
      ];
      yield { labels, value: value(m.usage) };
    }
  });
}

/** Volume families, sorted by name as the kubelet writes them. */
export const KUBELET_VOLUME_FAMILIES: readonly FamilyCollector<ClusterView>[] = [
  volumeFamily('available_bytes', 'Number of available bytes in the volume', (u) => Math.max(0, u.capacityBytes - u.usedBytes)),
  volumeFamily('capacity_bytes', 'Capacity in bytes of the volume', (u) => u.capacityBytes),
  volumeFamily('inodes', 'Maximum number of inodes in the volume', (u) => u.inodes),
  volumeFamily('inodes_free', 'Number of free inodes in the volume', (u) => Math.max(0, u.inodes - u.inodesUsed)),
  volumeFamily('inodes_used', 'Number of used inodes in the volume', (u) => u.inodesUsed),
  volumeFamily('used_bytes', 'Number of used bytes in the volume', (u) => u.usedBytes),
];
