// SPDX-License-Identifier: Apache-2.0
// kube-state-metrics v2 pod and container families: names, HELP texts and label names (in KSM's own label order,
// which is not sorted) as in the v2.19 capture. KSM describes every pod in the store, scheduled or not, so a
// Pending pod has these series even though cAdvisor has nothing for it.
import type { Container, ContainerStatus, Pod } from '../model/kube-types.ts';
import type { ClusterView } from './cluster-view.ts';
import { ownerSamples, phaseSamples } from './ksm-common.ts';
import { podUid } from './pod-facts.ts';
import { parseQuantity } from './quantity.ts';
import { defineFamily, type FamilyCollector, type Labels, type MetricType, type Sample } from './series.ts';

const PHASES = ['Pending', 'Succeeded', 'Failed', 'Unknown', 'Running'] as const;
const STATUS_REASONS = [
  'Evicted',
  'NodeAffinity',
  'NodeLost',
  'PreemptionByScheduler',
  'SchedulingGated',
  'Shutdown',
  'TerminationByKubelet',
  'UnexpectedAdmissionError',
] as const;
const CONDITION_STATUSES = [
  ['true', 'True'],
  ['false', 'False'],
  ['unknown', 'Unknown'],
] as const;

type PodFn = (pod: Pod) => Iterable<Sample>;

function podLabels(pod: Pod, ...more: (readonly [string, string])[]): Labels {
  return [['namespace', pod.metadata.namespace ?? ''], ['pod', pod.metadata.name], ['uid', podUid(pod)], ...more];
}

function* eachPod(view: ClusterView, fn: PodFn): Generator<Sample> {
  for (const pod of view.pods()) yield* fn(pod);
}

interface KsmDef {
  readonly name: string;
  readonly help: string;
  readonly type?: MetricType;
}

function podFamily(def: KsmDef, fn: PodFn): FamilyCollector<ClusterView> {
  return defineFamily({ name: def.name, help: def.help, type: def.type ?? 'gauge' }, (view: ClusterView) => eachPod(view, fn));
}

type StatusFn = (pod: Pod, status: ContainerStatus) => Sample | undefined;

/** A family with at most one sample per container status (KSM walks status, not spec, for these). */
function statusFamily(def: KsmDef, fn: StatusFn): FamilyCollector<ClusterView> {
  return podFamily(def, function* (pod) {
    for (const status of pod.status.containerStatuses ?? []) {
      const s = fn(pod, status);
      if (s) yield s;
    }
  });
}

function containerLabels(pod: Pod, status: ContainerStatus, ...more: (readonly [string, string])[]): Labels {
  return podLabels(pod, ['container', status.name], ...more);
}

function controllerOf(pod: Pod): { kind: string; name: string } {
  const ref = pod.metadata.ownerReferences?.find((o) => o.controller === true);
  return { kind: ref?.kind ?? '', name: ref?.name ?? '' };
}

function* podInfo(pod: Pod): Generator<Sample> {
  const owner = controllerOf(pod);
  const priorityClass = typeof pod.spec['priorityClassName'] === 'string' ? pod.spec['priorityClassName'] : '';
  yield {
    labels: podLabels(
      pod,
      ['host_ip', pod.status.hostIP ?? ''],
      ['pod_ip', pod.status.podIP ?? ''],
      ['node', pod.spec.nodeName ?? ''],
      ['created_by_kind', owner.kind],
      ['created_by_name', owner.name],
      ['priority_class', priorityClass],
      ['host_network', pod.spec['hostNetwork'] === true ? 'true' : 'false'],
    ),
    value: 1,
  };
}

const podOwner: PodFn = (pod) => ownerSamples(podLabels(pod), pod);
const podPhase: PodFn = (pod) => phaseSamples(podLabels(pod), PHASES, pod.status.phase);

function* podReady(pod: Pod): Generator<Sample> {
  const ready = pod.status.conditions?.find((c) => c.type === 'Ready');
  if (!ready) return;
  for (const [label, status] of CONDITION_STATUSES) {
    yield { labels: podLabels(pod, ['condition', label]), value: ready.status === status ? 1 : 0 };
  }
}

function* podReason(pod: Pod): Generator<Sample> {
  const reasons = new Set([pod.status.reason, ...(pod.status.conditions ?? []).map((c) => c.reason)]);
  for (const reason of STATUS_REASONS) yield { labels: podLabels(pod, ['reason', reason]), value: reasons.has(reason) ? 1 : 0 };
}

function* podUnschedulable(pod: Pod): Generator<Sample> {
  const scheduled = pod.status.conditions?.find((c) => c.type === 'PodScheduled');
  if (scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') yield { labels: podLabels(pod), value: 1 };
}

/** KSM's resource and unit labels: `ephemeral-storage` becomes `ephemeral_storage`; counts are `integer`. */
export function resourceLabels(resource: string): readonly [string, string] {
  const label = resource.replace(/[^a-zA-Z0-9_]/g, '_');
  if (resource === 'cpu') return [label, 'core'];
  const isBytes = resource === 'memory' || resource === 'storage' || resource === 'ephemeral-storage' || resource.startsWith('hugepages-');
  return [label, isBytes ? 'byte' : 'integer'];
}

/**
 * A container's requests or limits as a real API server stores them: a resource with a limit but no request gets
 * the limit as its request (API defaulting), so KSM on a real cluster reports it under requests too.
 */
function resourceList(c: Container, which: 'requests' | 'limits'): Record<string, string> {
  const limits = c.resources?.limits ?? {};
  return which === 'limits' ? limits : { ...limits, ...c.resources?.requests };
}

function resourceFamily(which: 'requests' | 'limits'): PodFn {
  return function* (pod) {
    for (const c of pod.spec.containers) {
      for (const [resource, quantity] of Object.entries(resourceList(c, which))) {
        const value = parseQuantity(quantity);
        if (value === undefined) continue;
        const [label, unit] = resourceLabels(resource);
        const labels = podLabels(pod, ['container', c.name], ['node', pod.spec.nodeName ?? ''], ['resource', label], ['unit', unit]);
        yield { labels, value };
      }
    }
  };
}

function containerInfo(pod: Pod, s: ContainerStatus): Sample {
  const spec = pod.spec.containers.find((c) => c.name === s.name);
  const labels = containerLabels(
    pod,
    s,
    ['image_spec', spec?.image ?? s.image],
    ['image', s.image],
    ['image_id', s.imageID],
    ['container_id', s.containerID ?? ''],
  );
  return { labels, value: 1 };
}

const STATE_HELP = (state: string): string => `[STABLE] Describes whether the container is currently in ${state} state.`;
const RESOURCE_HELP = (which: string, instead: string): string =>
  `[STABLE] The number of requested ${which} resource by a container. It is recommended to use the ${instead} metric exposed by kube-scheduler instead, as it is more precise.`;

const restarts: StatusFn = (pod, s) => ({ labels: containerLabels(pod, s), value: s.restartCount });
const inState =
  (state: 'running' | 'waiting' | 'terminated'): StatusFn =>
  (pod, s) => ({ labels: containerLabels(pod, s), value: s.state[state] ? 1 : 0 });
const waitingReason: StatusFn = (pod, s) =>
  s.state.waiting ? { labels: containerLabels(pod, s, ['reason', s.state.waiting.reason]), value: 1 } : undefined;
const lastTerminatedReason: StatusFn = (pod, s) =>
  s.lastState.terminated ? { labels: containerLabels(pod, s, ['reason', s.lastState.terminated.reason ?? '']), value: 1 } : undefined;
const lastTerminatedExitCode: StatusFn = (pod, s) =>
  s.lastState.terminated ? { labels: containerLabels(pod, s), value: s.lastState.terminated.exitCode } : undefined;

/** kube-state-metrics pod families, in the capture's order. */
export const KSM_POD_FAMILIES: readonly FamilyCollector<ClusterView>[] = [
  podFamily({ name: 'kube_pod_info', help: '[STABLE] Information about pod.' }, podInfo),
  podFamily({ name: 'kube_pod_owner', help: "[STABLE] Information about the Pod's owner." }, podOwner),
  podFamily({ name: 'kube_pod_status_phase', help: '[STABLE] The pods current phase.' }, podPhase),
  podFamily({ name: 'kube_pod_status_ready', help: '[STABLE] Describes whether the pod is ready to serve requests.' }, podReady),
  podFamily({ name: 'kube_pod_status_reason', help: 'The pod status reasons' }, podReason),
  podFamily({ name: 'kube_pod_status_unschedulable', help: '[STABLE] Describes the unschedulable status for the pod.' }, podUnschedulable),
  statusFamily({ name: 'kube_pod_container_info', help: '[STABLE] Information about a container in a pod.' }, containerInfo),
  podFamily(
    { name: 'kube_pod_container_resource_requests', help: RESOURCE_HELP('request', 'kube_pod_resource_requests') },
    resourceFamily('requests'),
  ),
  podFamily({ name: 'kube_pod_container_resource_limits', help: RESOURCE_HELP('limit', 'kube_pod_resource_limits') }, resourceFamily('limits')),
  statusFamily(
    { name: 'kube_pod_container_status_restarts_total', help: '[STABLE] The number of container restarts per container.', type: 'counter' },
    restarts,
  ),
  statusFamily({ name: 'kube_pod_container_status_running', help: STATE_HELP('running') }, inState('running')),
  statusFamily({ name: 'kube_pod_container_status_waiting', help: STATE_HELP('waiting') }, inState('waiting')),
  statusFamily({ name: 'kube_pod_container_status_terminated', help: STATE_HELP('terminated') }, inState('terminated')),
  statusFamily(
    { name: 'kube_pod_container_status_waiting_reason', help: '[STABLE] Describes the reason the container is currently in waiting state.' },
    waitingReason,
  ),
  statusFamily(
    { name: 'kube_pod_container_status_last_terminated_reason', help: 'Describes the last reason the container was in terminated state.' },
    lastTerminatedReason,
  ),
  statusFamily(
    { name: 'kube_pod_container_status_last_terminated_exitcode', help: 'Describes the exit code for the last container in terminated state.' },
    lastTerminatedExitCode,
  ),
];
