// SPDX-License-Identifier: Apache-2.0
// Pods evicted by the kubelet's eviction manager under node pressure: phase Failed, reason Evicted and a message
// naming the starved resource, the threshold, what was available and the container using the most. The
// DisruptionTarget condition (TerminationByKubelet) is set, the containers were killed and their status could not
// be read back (ContainerStatusUnknown, exit 137). The ReplicaSet has already replaced them, so the Failed pods
// remain next to running replicas until someone deletes them.
import type { ContainerStatus, PodStatus } from '../../kube-types.ts';
import type { ResolvedTemplate } from '../pod-template.ts';
import type { NodeRecord } from '../node-record.ts';
import type { Rng } from '../rng.ts';
import type { EventRecorder } from '../events.ts';
import { cond, containerStatus, newContainerId, terminated } from '../pod-status.ts';
import { containerRef } from '../events.ts';
import { formatBytes, formatKi } from '../quantity.ts';
import { iso } from '../time.ts';

export interface EvictionInput {
  rt: ResolvedTemplate;
  node: NodeRecord;
  podIP: string;
  createdMs: number;
  evictedMs: number;
  resource: 'memory' | 'ephemeral-storage';
  rng: Rng;
}

function evictionMessage(input: EvictionInput): { full: string; node: string } {
  const c = input.rt.containers[0] as ResolvedTemplate['containers'][number];
  if (input.resource === 'memory') {
    const request = c.requests.memoryBytes;
    const using = Math.max(request, 128 * 2 ** 20) * input.rng.between(1.6, 3);
    const node = `The node was low on resource: memory. Threshold quantity: 100Mi, available: ${formatKi(input.rng.between(40, 99) * 2 ** 20)}. `;
    return { node, full: `${node}Container ${c.name} was using ${formatKi(using)}, request is ${request ? formatBytes(request) : '0'}, has larger consumption of memory. ` };
  }
  const node = `The node was low on resource: ephemeral-storage. Threshold quantity: 10%, available: ${formatKi(input.rng.between(4, 9) * 2 ** 30)}. `;
  return { node, full: `${node}Container ${c.name} was using ${formatKi(input.rng.between(6, 20) * 2 ** 30)}, request is 0, has larger consumption of ephemeral-storage. ` };
}

/** Status of an evicted pod, and the message for its Evicted event. */
export function evictedStatus(input: EvictionInput): { status: PodStatus; message: string } {
  const msg = evictionMessage(input);
  const at = iso(input.evictedMs);
  const started = iso(input.createdMs + 4000);
  const statuses: ContainerStatus[] = input.rt.containers.map((c) =>
    containerStatus(c, {
      state: { terminated: { exitCode: 137, reason: 'ContainerStatusUnknown', message: 'The container could not be located when the pod was terminated', startedAt: started, finishedAt: at } },
      lastState: terminated('Error', 137, { startedAt: started, finishedAt: at, containerID: newContainerId(input.rng) }),
      ready: false,
      started: false,
    }),
  );
  const status: PodStatus = {
    phase: 'Failed',
    observedGeneration: 1,
    conditions: [
      cond('DisruptionTarget', true, { at: at, reason: 'TerminationByKubelet', message: msg.node }),
      cond('PodReadyToStartContainers', false, at),
      cond('Initialized', true, iso(input.createdMs + 3000)),
      cond('Ready', false, { at: at, reason: 'PodFailed' }),
      cond('ContainersReady', false, { at: at, reason: 'PodFailed' }),
      cond('PodScheduled', true, iso(input.createdMs)),
    ],
    message: msg.full,
    reason: 'Evicted',
    hostIP: input.node.internalIP,
    hostIPs: input.node.hostIPs,
    podIP: input.podIP,
    podIPs: [{ ip: input.podIP }],
    startTime: iso(input.createdMs + 1000),
    containerStatuses: statuses,
    qosClass: input.rt.qosClass,
  };
  return { status, message: msg.full };
}

/** The kubelet's Evicted warning and the Killing of each container. */
export function recordEviction(recorder: EventRecorder, pod: Parameters<typeof containerRef>[0], e: { input: EvictionInput; message: string }): void {
  const { input } = e;
  const host = input.node.name;
  recorder.record({ involved: { apiVersion: 'v1', kind: 'Pod', name: pod.metadata.name, namespace: pod.metadata.namespace, uid: pod.metadata.uid }, reason: 'Evicted', message: e.message, type: 'Warning', component: 'kubelet', host, atMs: input.evictedMs });
  for (const c of input.rt.containers) {
    recorder.record({ involved: containerRef(pod, c.name), reason: 'Killing', message: `Stopping container ${c.name}`, type: 'Normal', component: 'kubelet', host, atMs: input.evictedMs + 200 });
  }
}
