// SPDX-License-Identifier: Apache-2.0
// kube-scheduler's FitError text (pkg/scheduler/framework/types.go): a histogram of per-node reasons sorted as
// strings, then the PostFilter part. In 1.35 the DynamicResources PostFilter runs before preemption and adds
// "no new claims to deallocate"; preemption then reports, per node, whether evicting lower-priority pods could
// help. A real 1.35 capture reads: "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector.
// no new claims to deallocate, preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling."

export interface NodeVerdict {
  /** Reasons the node rejected the pod (empty only when a PreFilter failed for every node). */
  reasons: string[];
  /** Resource shortages may be resolved by preemption; taints, affinity and cordons may not. */
  resolvable: boolean;
}

function histogram(lines: Iterable<string>): string {
  const counts = new Map<string, number>();
  for (const l of lines) counts.set(l, (counts.get(l) ?? 0) + 1);
  return [...counts].map(([reason, n]) => `${n} ${reason}`).sort().join(', ');
}

/** The message of PodScheduled=False/Unschedulable and of the FailedScheduling event. */
export function fitErrorMessage(verdicts: readonly NodeVerdict[], preFilterMessage?: string): string {
  const total = verdicts.length;
  let msg = `0/${total} nodes are available:`;
  if (preFilterMessage) msg += ` ${preFilterMessage}.`;
  const reasons = histogram(verdicts.flatMap((v) => v.reasons));
  if (reasons) msg += ` ${reasons}.`;
  // No lower-priority pods are ever worth evicting in a simulated cluster, so resolvable nodes find no victims.
  const preemption = histogram(verdicts.map((v) => (v.resolvable ? 'No preemption victims found for incoming pod' : 'Preemption is not helpful for scheduling')));
  return `${msg} no new claims to deallocate, preemption: 0/${total} nodes are available: ${preemption}.`;
}
