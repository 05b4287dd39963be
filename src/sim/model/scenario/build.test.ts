// SPDX-License-Identifier: Apache-2.0
// The demo scenario builds into a cluster with every failure case a real cluster shows, with real object shapes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CoreEvent, Deployment, HorizontalPodAutoscaler, KubeObject, Node, PersistentVolumeClaim, Pod, ReplicaSet, ResourceQuota } from '../kube-types.ts';
import { ObjectStore } from '../object-store.ts';
import { buildCluster } from './build.ts';
import { loadScenario } from './load.ts';
import { quotaPressure } from './quota.ts';

const NOW = Date.parse('2026-01-15T12:00:00Z');
const scenario = loadScenario('demo');
const store = new ObjectStore({ seed: scenario.seed, now: () => NOW });
const built = buildCluster({ scenario, store, nowMs: NOW });
const pods = store.list<Pod>('pods');
const events = store.list<CoreEvent>('events');

function podsOf(namespace: string, prefix: string): Pod[] {
  return pods.filter((p) => p.metadata.namespace === namespace && p.metadata.name.startsWith(prefix));
}

function eventsFor(name: string, reason: string): CoreEvent[] {
  return events.filter((e) => e.involvedObject.name === name && e.reason === reason);
}

function condition(p: Pod, type: string): { status: string; reason?: string; message?: string } | undefined {
  return p.status.conditions?.find((c) => c.type === type);
}

test('the demo has about 300 pods, 10 nodes in 3 zones and the system namespaces', () => {
  assert.equal(pods.length, 300);
  const nodes = store.list<Node>('nodes');
  assert.equal(nodes.length, 10);
  assert.deepEqual([...new Set(nodes.map((n) => n.metadata.labels?.['topology.kubernetes.io/zone']))].sort(), ['eu-west-1a', 'eu-west-1b', 'eu-west-1c']);
  for (const ns of ['default', 'kube-node-lease', 'kube-public', 'kube-system']) assert.ok(store.get('namespaces', undefined, ns), ns);
  const team = store.list('namespaces').filter((n) => n.metadata.labels?.tenant);
  assert.equal(team.length, 8);
  for (const ns of store.list('namespaces')) assert.ok(store.get('configmaps', ns.metadata.name, 'kube-root-ca.crt'), ns.metadata.name);
  assert.equal(store.list('leases.coordination.k8s.io', 'kube-node-lease').length, 10);
});

test('Deployment → ReplicaSet → Pod ownership with pod-template-hash and revision', () => {
  const d = store.get<Deployment>('deployments.apps', 'shop', 'catalog') as Deployment;
  const rs = store.list<ReplicaSet>('replicasets.apps', 'shop').filter((r) => r.metadata.ownerReferences?.[0]?.uid === d.metadata.uid);
  const current = rs.find((r) => r.spec.replicas > 0) as ReplicaSet;
  const hash = current.metadata.labels?.['pod-template-hash'] as string;
  assert.equal(current.metadata.name, `catalog-${hash}`);
  assert.equal(current.metadata.annotations?.['deployment.kubernetes.io/revision'], d.metadata.annotations?.['deployment.kubernetes.io/revision']);
  const owned = podsOf('shop', `catalog-${hash}-`);
  assert.equal(owned.length, 20);
  for (const p of owned) {
    assert.equal(p.metadata.ownerReferences?.[0]?.uid, current.metadata.uid);
    assert.equal(p.metadata.ownerReferences?.[0]?.kind, 'ReplicaSet');
    assert.match(p.metadata.name, /^catalog-[a-z0-9]+-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  }
  assert.equal(d.status.readyReplicas, 20);
  assert.deepEqual(d.status.conditions?.map((c) => `${c.type}=${c.status}/${c.reason}`), ['Available=True/MinimumReplicasAvailable', 'Progressing=True/NewReplicaSetAvailable']);
});

test('StatefulSet, DaemonSet and CronJob → Job → Pod chains', () => {
  assert.deepEqual(podsOf('db', 'postgres-').map((p) => p.metadata.name), ['postgres-0', 'postgres-1', 'postgres-2']);
  const pvc = store.get<PersistentVolumeClaim>('persistentvolumeclaims', 'db', 'pgdata-postgres-1') as PersistentVolumeClaim;
  assert.equal(pvc.status.phase, 'Bound');
  assert.ok(store.get('persistentvolumes', undefined, pvc.spec.volumeName ?? ''));
  const exporters = podsOf('monitoring', 'node-exporter-');
  assert.equal(exporters.length, 10);
  assert.equal(new Set(exporters.map((p) => p.spec.nodeName)).size, 10);
  const jobs = store.list('jobs.batch', 'data').filter((j) => j.metadata.ownerReferences?.[0]?.kind === 'CronJob');
  assert.ok(jobs.length >= 2);
  for (const j of jobs) assert.ok(pods.some((p) => p.metadata.ownerReferences?.[0]?.uid === j.metadata.uid), j.metadata.name);
  assert.ok(podsOf('kube-system', 'kube-proxy-').length === 10 && podsOf('kube-system', 'coredns-').length === 2);
});

test('pods look like kubelet output: conditions, container statuses, IPs and QoS', () => {
  const p = podsOf('shop', 'orders-')[0] as Pod;
  assert.deepEqual(p.status.conditions?.map((c) => c.type), ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled']);
  const cs = p.status.containerStatuses?.[0];
  assert.match(cs?.containerID ?? '', /^containerd:\/\/[0-9a-f]{64}$/);
  assert.match(cs?.imageID ?? '', /^ghcr\.io\/acme\/orders@sha256:[0-9a-f]{64}$/);
  assert.equal(cs?.started, true);
  assert.ok(cs?.state.running?.startedAt);
  assert.equal(p.status.qosClass, 'Burstable');
  assert.match(p.status.podIP ?? '', /^10\.64\.\d+\.\d+$/);
  assert.equal(p.status.hostIP, store.get<Node>('nodes', undefined, p.spec.nodeName ?? '')?.status.addresses[0]?.address);
  assert.ok(Date.parse(p.metadata.creationTimestamp ?? '') < NOW - 3600_000);
});

test('CrashLoopBackOff: waiting with back-off, lastState Error, BackOff events', () => {
  for (const p of podsOf('shop', 'email-worker-')) {
    const cs = p.status.containerStatuses?.[0];
    assert.equal(cs?.state.waiting?.reason, 'CrashLoopBackOff');
    assert.equal(cs?.state.waiting?.message, `back-off 5m0s restarting failed container=app pod=${p.metadata.name}_shop(${p.metadata.uid})`);
    assert.equal(cs?.lastState.terminated?.reason, 'Error');
    assert.equal(cs?.lastState.terminated?.exitCode, 1);
    assert.equal(cs?.restartCount, 14);
    const backOff = eventsFor(p.metadata.name, 'BackOff')[0] as CoreEvent;
    assert.equal(backOff.message, `Back-off restarting failed container app in pod ${p.metadata.name}_shop(${p.metadata.uid})`);
    assert.equal(backOff.type, 'Warning');
    assert.equal(backOff.involvedObject.fieldPath, 'spec.containers{app}');
    assert.deepEqual(backOff.source, { component: 'kubelet', host: p.spec.nodeName });
    assert.ok((backOff.count ?? 0) > 14);
  }
});

test('ImagePullBackOff, CreateContainerConfigError', () => {
  const pull = podsOf('staging', 'legacy-app-')[0] as Pod;
  assert.equal(pull.status.phase, 'Pending');
  assert.equal(pull.status.containerStatuses?.[0]?.state.waiting?.reason, 'ImagePullBackOff');
  const failed = eventsFor(pull.metadata.name, 'Failed').map((e) => e.message);
  assert.ok(failed.some((m) => m.startsWith('Failed to pull image "registry.acme.internal/legacy/monolith:2019.11": rpc error: code = NotFound desc = ')));
  assert.ok(failed.includes('Error: ImagePullBackOff') && failed.includes('Error: ErrImagePull'));
  for (const p of podsOf('payments', 'ledger-worker-')) {
    assert.deepEqual(p.status.containerStatuses?.[0]?.state.waiting, { reason: 'CreateContainerConfigError', message: 'configmap "ledger-config" not found' });
    assert.ok(eventsFor(p.metadata.name, 'Failed').some((e) => e.message === 'Error: configmap "ledger-config" not found'));
  }
});

test('Pending pods: insufficient cpu, untolerated taint, node affinity, unbound PVC', () => {
  const cases: [string, string, RegExp][] = [
    ['ml', 'trainer-', /\d+ Insufficient cpu/],
    ['staging', 'gpu-smoke-test', /2 node\(s\) had untolerated taint \{dedicated: gpu\}/],
    ['staging', 'arm-builder-', /8 node\(s\) didn't match Pod's node affinity\/selector/],
    ['ml', 'feature-store-', /^0\/10 nodes are available: pod has unbound immediate PersistentVolumeClaims\. /],
  ];
  for (const [ns, prefix, re] of cases) {
    const p = podsOf(ns, prefix)[0] as Pod;
    const c = condition(p, 'PodScheduled');
    assert.equal(p.status.phase, 'Pending');
    assert.equal(c?.status, 'False');
    assert.equal(c?.reason, 'Unschedulable');
    assert.match(c?.message ?? '', re);
    assert.match(c?.message ?? '', /preemption: 0\/10 nodes are available: /);
    const ev = eventsFor(p.metadata.name, 'FailedScheduling')[0];
    assert.equal(ev?.message, c?.message);
    assert.equal(ev?.source?.component, 'default-scheduler');
  }
  assert.equal(store.get<PersistentVolumeClaim>('persistentvolumeclaims', 'ml', 'feature-store-cache')?.status.phase, 'Pending');
  assert.equal(eventsFor('feature-store-cache', 'ProvisioningFailed')[0]?.message, 'storageclass.storage.k8s.io "fast-ssd" not found');
});

test('probe failures: liveness restarts with Killing, readiness keeps the pod unready', () => {
  const live = podsOf('shop', 'search-').find((p) => (p.status.containerStatuses?.[0]?.restartCount ?? 0) > 0) as Pod;
  assert.equal(live.status.containerStatuses?.[0]?.restartCount, 4);
  assert.equal(live.status.containerStatuses?.[0]?.lastState.terminated?.exitCode, 137);
  assert.equal(eventsFor(live.metadata.name, 'Unhealthy')[0]?.message, 'Liveness probe failed: HTTP probe failed with statuscode: 500');
  assert.equal(eventsFor(live.metadata.name, 'Killing')[0]?.message, 'Container app failed liveness probe, will be restarted');
  const unready = podsOf('shop', 'checkout-').filter((p) => condition(p, 'Ready')?.status === 'False' && condition(p, 'ContainersReady')?.status === 'False');
  assert.equal(unready.length, 1);
  const pod = unready[0] as Pod;
  assert.equal(pod.status.containerStatuses?.[0]?.ready, false);
  assert.equal(eventsFor(pod.metadata.name, 'Unhealthy')[0]?.message, 'Readiness probe failed: HTTP probe failed with statuscode: 503');
});

test('evicted pods are Failed/Evicted next to running replicas', () => {
  const evicted = podsOf('data', 'batch-runner-').filter((p) => p.status.reason === 'Evicted');
  assert.equal(evicted.length, 3);
  for (const p of evicted) {
    assert.equal(p.status.phase, 'Failed');
    assert.match(p.status.message ?? '', /^The node was low on resource: memory\. Threshold quantity: 100Mi, available: \d+Ki\. Container runner was using \d+Ki, request is 512Mi, has larger consumption of memory\. $/);
    assert.equal(condition(p, 'DisruptionTarget')?.reason, 'TerminationByKubelet');
    assert.equal(eventsFor(p.metadata.name, 'Evicted')[0]?.type, 'Warning');
  }
  assert.equal(podsOf('data', 'batch-runner-').filter((p) => p.status.phase === 'Running').length, 3);
});

test('node NotReady and node pressure conditions with their taints', () => {
  const byName = (n: string): Node => store.get<Node>('nodes', undefined, n) as Node;
  const down = byName('ip-10-0-general-05');
  const ready = down.status.conditions.find((c) => c.type === 'Ready');
  assert.deepEqual([ready?.status, ready?.reason, ready?.message], ['Unknown', 'NodeStatusUnknown', 'Kubelet stopped posting node status.']);
  assert.deepEqual(down.spec.taints?.map((t) => `${t.key}:${t.effect}`), ['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute']);
  for (const p of pods.filter((x) => x.spec.nodeName === down.metadata.name && x.status.phase === 'Running')) assert.equal(condition(p, 'Ready')?.status, 'False', p.metadata.name);
  const pressure: [string, string, string][] = [['ip-10-0-general-02', 'MemoryPressure', 'memory-pressure'], ['ip-10-0-general-06', 'DiskPressure', 'disk-pressure'], ['ip-10-0-gpu-01', 'PIDPressure', 'pid-pressure']];
  for (const [node, type, taint] of pressure) {
    const n = byName(node);
    assert.equal(n.status.conditions.find((c) => c.type === type)?.status, 'True');
    assert.ok(n.spec.taints?.some((t) => t.key === `node.kubernetes.io/${taint}` && t.effect === 'NoSchedule'));
  }
  assert.equal(eventsFor('ip-10-0-general-05', 'NodeNotReady')[0]?.source?.component, 'node-controller');
});

test('stuck rollout, HPA at max, quota above 90 %, a PVC filling in days', () => {
  const rec = store.get<Deployment>('deployments.apps', 'shop', 'recommendations') as Deployment;
  const progressing = rec.status.conditions?.find((c) => c.type === 'Progressing');
  assert.equal(progressing?.status, 'False');
  assert.equal(progressing?.reason, 'ProgressDeadlineExceeded');
  assert.match(progressing?.message ?? '', /^ReplicaSet "recommendations-[a-z0-9]+" has timed out progressing\.$/);
  const hpa = store.get<HorizontalPodAutoscaler>('horizontalpodautoscalers.autoscaling', 'shop', 'frontend') as HorizontalPodAutoscaler;
  assert.equal(hpa.status.currentReplicas, 12);
  assert.equal(hpa.spec.maxReplicas, 12);
  assert.deepEqual(hpa.status.conditions?.map((c) => `${c.type}=${c.status}/${c.reason}`), ['AbleToScale=True/ReadyForNewScale', 'ScalingActive=True/ValidMetricFound', 'ScalingLimited=True/TooManyReplicas']);
  const quota = store.get<ResourceQuota>('resourcequotas', 'payments', 'compute-resources') as ResourceQuota;
  const pressure = quotaPressure(quota.spec.hard, quota.status.used ?? {});
  assert.ok(pressure > 0.9 && pressure < 1, String(pressure));
  const filling = built.volumes.filter((v) => (v.capacityBytes - v.initialUsedBytes) / v.fillBytesPerHour < 7 * 24);
  assert.deepEqual(filling.map((v) => `${v.namespace}/${v.claim}`).sort(), ['data/data-kafka-0', 'data/data-kafka-1', 'data/data-kafka-2']);
});

test('usage: exactly one leaking container, a CPU-bound one, an idle one', () => {
  const leaks = built.containers.filter((c) => c.profile.kind === 'leak');
  assert.deepEqual(leaks.map((c) => `${c.namespace}/${c.container}`), ['shop/app']);
  assert.ok(leaks[0]?.pod.startsWith('cart-'));
  assert.ok((leaks[0]?.limits.memoryBytes ?? 0) > 0);
  const cpuBound = built.containers.filter((c) => c.profile.kind === 'cpu-bound');
  assert.ok(cpuBound.length > 0 && cpuBound.every((c) => (c.limits.cpuCores ?? 0) > 0));
  assert.ok(built.containers.some((c) => c.profile.kind === 'idle' && c.pod.startsWith('notebook-')));
  assert.equal(built.logs.get('shop', podsOf('shop', 'email-worker-')[0]?.metadata.name ?? '', 'app'), 'crashloop');
});

test('the default StorageClass, Services with Endpoints and EndpointSlices', () => {
  assert.equal(store.get('storageclasses.storage.k8s.io', undefined, 'gp3')?.metadata.annotations?.['storageclass.kubernetes.io/is-default-class'], 'true');
  const ep = store.get<KubeObject & { subsets?: { addresses?: unknown[]; notReadyAddresses?: unknown[] }[] }>('endpoints', 'shop', 'checkout');
  assert.equal(ep?.subsets?.[0]?.addresses?.length, 5);
  assert.equal(ep?.subsets?.[0]?.notReadyAddresses?.length, 1);
  const slices = store.list('endpointslices.discovery.k8s.io', 'shop').filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === 'checkout');
  assert.equal(slices.length, 1);
  assert.ok(store.get('services', 'default', 'kubernetes') && store.get('services', 'kube-system', 'kube-dns'));
});

test('the same scenario and seed build the same cluster; another seed does not', () => {
  const again = new ObjectStore({ seed: scenario.seed, now: () => NOW });
  buildCluster({ scenario, store: again, nowMs: NOW });
  assert.deepEqual(again.list('pods'), pods);
  assert.deepEqual(again.list('events'), events);
  const other = new ObjectStore({ seed: scenario.seed, now: () => NOW });
  buildCluster({ scenario, store: other, nowMs: NOW, seed: 7 });
  assert.notDeepEqual(other.list('pods').map((p) => p.metadata.name), pods.map((p) => p.metadata.name));
});
