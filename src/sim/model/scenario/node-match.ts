// SPDX-License-Identifier: Apache-2.0
// The static half of kube-scheduler's Filter plugins (NodeUnschedulable, TaintToleration, NodeAffinity): whether a
// pod may run on a node at all, independent of what is already placed there. Each returns the reason string the
// real plugin reports, which the FitError message counts per node.
import type { NodeSelectorRequirement, StringMap, Taint, Toleration } from '../kube-types.ts';

export interface PodPlacementTraits {
  tolerations: readonly Toleration[];
  nodeSelector?: StringMap;
  required?: readonly NodeSelectorRequirement[];
}

/** v1 helper ToleratesTaint: an empty effect matches every effect, Exists with no key matches every taint. */
export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.operator === 'Exists') return !t.key || t.key === taint.key;
  return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
}

/** The first NoSchedule/NoExecute taint no toleration covers (PreferNoSchedule never filters). */
export function untoleratedTaint(taints: readonly Taint[], tolerations: readonly Toleration[]): Taint | undefined {
  for (const taint of taints) {
    if (taint.effect === 'PreferNoSchedule') continue;
    if (!tolerations.some((t) => toleratesTaint(t, taint))) return taint;
  }
  return undefined;
}

function matchesRequirement(labels: StringMap, r: NodeSelectorRequirement): boolean {
  const v = labels[r.key];
  switch (r.operator) {
    case 'In':
      return v !== undefined && (r.values ?? []).includes(v);
    case 'NotIn':
      return v === undefined || !(r.values ?? []).includes(v);
    case 'Exists':
      return v !== undefined;
    case 'DoesNotExist':
      return v === undefined;
    default:
      return Number(v) > Number(r.values?.[0]) === (r.operator === 'Gt');
  }
}

/** nodeSelector and the required node affinity term both have to match (NodeAffinity plugin). */
export function matchesNodeAffinity(labels: StringMap, traits: PodPlacementTraits): boolean {
  if (traits.nodeSelector) {
    for (const [k, v] of Object.entries(traits.nodeSelector)) if (labels[k] !== v) return false;
  }
  return (traits.required ?? []).every((r) => matchesRequirement(labels, r));
}

const UNSCHEDULABLE_TAINT: Taint = { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' };

/**
 * The first static filter that rejects the node, as the reason text kube-scheduler reports, or undefined when the
 * pod may run there. Order follows the default Filter plugin order.
 */
export function staticFilterReason(node: { labels: StringMap; taints: readonly Taint[]; unschedulable: boolean }, traits: PodPlacementTraits): string | undefined {
  if (node.unschedulable && !traits.tolerations.some((t) => toleratesTaint(t, UNSCHEDULABLE_TAINT))) return 'node(s) were unschedulable';
  const taint = untoleratedTaint(node.taints, traits.tolerations);
  if (taint) return `node(s) had untolerated taint {${taint.key}: ${taint.value ?? ''}}`;
  if (!matchesNodeAffinity(node.labels, traits)) return "node(s) didn't match Pod's node affinity/selector";
  return undefined;
}
