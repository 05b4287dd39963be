// SPDX-License-Identifier: Apache-2.0
// The per-pod statistics one kubelet reports, shared by its /stats/summary and /metrics/resource endpoints so the
// two always agree with each other and with cAdvisor's pod cgroup rows. As on a real kubelet, a pod appears only
// while at least one of its containers runs: failed and completed pods, and a pod whose only container is between
// crash-loop restarts, are absent (the capture's README notes the same).
import type { Node, Pod } from '../model/kube-types.ts';
import type { NodeUsage } from '../usage/types.ts';
import { createCadvisorSource, podCgroupFigures, type CadvisorSource, type PodCgroupFigures } from './cadvisor-rows.ts';
import { ClusterView, type ExporterContext } from './cluster-view.ts';
import { isPodRunning, runningContainers, type RunningContainer } from './pod-facts.ts';

export interface PodStats {
  readonly pod: Pod;
  readonly containers: readonly RunningContainer[];
  /** The pod cgroup's figures (sum of containers and sandbox), as its cAdvisor row has them. */
  readonly podRow: PodCgroupFigures;
}

export interface NodeStats {
  readonly view: ClusterView;
  readonly node: Node;
  /** Undefined when the usage model has nothing for the node (then the kubelet reports no node figures). */
  readonly usage: NodeUsage | undefined;
  readonly pods: readonly PodStats[];
}

/** What the node's kubelet would report, or undefined for an unknown node. */
export function nodeStats(ctx: ExporterContext, nodeName: string): NodeStats | undefined {
  const src = nodeCadvisorSource(ctx, nodeName);
  const node = src?.nodes[0];
  if (src === undefined || node === undefined) return undefined;
  const view = src.view;
  const pods: PodStats[] = [];
  for (const pod of view.podsOnNode(nodeName)) {
    // A pod without a sandbox has no cgroup rows (cadvisor-rows.ts).
    if (!isPodRunning(pod)) continue;
    const containers = runningContainers(view.usage, pod);
    if (containers.length > 0) pods.push({ pod, containers, podRow: podCgroupFigures(view, pod, containers) });
  }
  return { view, node, usage: view.usage.node(nodeName), pods };
}

/** A cAdvisor source covering one node, without the `node` label (the kubelet's own endpoint has none). */
export function nodeCadvisorSource(ctx: ExporterContext, nodeName: string): CadvisorSource | undefined {
  const view = new ClusterView(ctx);
  const node = view.node(nodeName);
  if (node === undefined) return undefined;
  return createCadvisorSource(view, { nodes: [node], pods: () => view.podsOnNode(nodeName), nodeLabel: false });
}
