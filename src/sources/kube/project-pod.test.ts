// SPDX-License-Identifier: Apache-2.0
// Pod, node and namespace projections of real API output (Kubernetes 1.35 captures, test/fixtures/kube/).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Pod } from '../../domain/resources.ts';
import { aPod } from '../../../test/fakes/builders.ts';
import { projectNamespace, projectNode } from './project-cluster.ts';
import { projectPod } from './project-pod.ts';

const fixture = (name: string): { items: unknown[] } =>
  JSON.parse(readFileSync(new URL(`../../../test/fixtures/kube/${name}`, import.meta.url), 'utf8')) as { items: unknown[] };

const pods = new Map<string, Pod>();
for (const raw of fixture('pods-1_35.json').items) {
  const p = projectPod(raw);
  assert.ok(p);
  pods.set(p.name, p);
}

function pod(name: string): Pod {
  const p = pods.get(name);
  assert.ok(p, name);
  return p;
}

test('a Deployment pod: owner, node, phase, QoS, requests and limits as numbers, probes', () => {
  const p = pod('coredns-7d764666f9-qdcxt');
  assert.equal(p.key, 'kube-system/coredns-7d764666f9-qdcxt');
  assert.equal(p.uid, '36447428-81f8-45eb-b825-414de2e8012b');
  assert.deepEqual(p.owners, [{ kind: 'ReplicaSet', name: 'coredns-7d764666f9', uid: 'f97873e6-239c-4dfe-9898-4ca3a78a237e', controller: true }]);
  assert.equal(p.nodeName, 'datagen-1-35');
  assert.equal(p.phase, 'Running');
  assert.equal(p.qosClass, 'Burstable');
  assert.equal(p.priorityClassName, 'system-cluster-critical');
  assert.equal(p.terminationGracePeriodSeconds, 30);
  assert.equal(p.hasAffinity, true);
  assert.equal(p.labels['pod-template-hash'], '7d764666f9');
  assert.equal(p.createdAtMs, Date.parse('2026-06-26T10:12:19Z'));
  const [c] = p.containers;
  assert.equal(c?.name, 'coredns');
  assert.deepEqual(c?.requests, { cpuMillicores: 100, memoryBytes: 70 * 2 ** 20, ephemeralStorageBytes: undefined });
  assert.deepEqual(c?.limits, { cpuMillicores: undefined, memoryBytes: 170 * 2 ** 20, ephemeralStorageBytes: undefined });
  assert.equal(c?.livenessProbe, true);
  assert.equal(c?.readinessProbe, true);
  assert.equal(c?.startupProbe, false);
  assert.equal(c?.privileged, false);
  const [s] = p.containerStatuses;
  assert.equal(s?.ready, true);
  assert.equal(s?.state.kind, 'running');
  assert.deepEqual(
    p.conditions.map((x) => `${x.type}=${x.status}`),
    ['PodReadyToStartContainers=True', 'Initialized=True', 'Ready=True', 'ContainersReady=True', 'PodScheduled=True'],
  );
});

test('a restarting pod: restartCount, current and last termination with reason, exit code and time', () => {
  const p = pod('e2e-container-creating');
  assert.equal(p.owners.length, 0);
  assert.equal(p.qosClass, 'Guaranteed');
  assert.deepEqual(p.containers[0]?.requests, { cpuMillicores: 5, memoryBytes: 5_000_000, ephemeralStorageBytes: undefined });
  const [s] = p.containerStatuses;
  assert.equal(s?.restartCount, 2);
  assert.equal(s?.ready, false);
  assert.deepEqual(s?.state, {
    kind: 'terminated',
    reason: 'Completed',
    message: undefined,
    exitCode: 0,
    startedAtMs: Date.parse('2026-06-26T10:14:29Z'),
    finishedAtMs: Date.parse('2026-06-26T10:14:29Z'),
  });
  assert.deepEqual(s?.lastTermination, {
    reason: 'Completed',
    exitCode: 0,
    signal: undefined,
    startedAtMs: Date.parse('2026-06-26T10:14:14Z'),
    finishedAtMs: Date.parse('2026-06-26T10:14:14Z'),
  });
  assert.equal(p.conditions.find((c) => c.type === 'Ready')?.reason, 'ContainersNotReady');
});

test('an unschedulable pod: Pending, PodScheduled=False with reason and message, no node, no statuses', () => {
  const p = pod('e2e-container-pending');
  assert.equal(p.phase, 'Pending');
  assert.equal(p.nodeName, undefined);
  assert.equal(p.qosClass, 'BestEffort');
  assert.deepEqual(p.containerStatuses, []);
  const scheduled = p.conditions.find((c) => c.type === 'PodScheduled');
  assert.equal(scheduled?.status, 'False');
  assert.equal(scheduled?.reason, 'Unschedulable');
  assert.match(scheduled?.message ?? '', /didn't match Pod's node affinity\/selector/);
});

test('Job pods: a failed one with exit code 42, a succeeded CronJob run', () => {
  const failed = pod('e2e-failjob-28dqq');
  assert.equal(failed.phase, 'Failed');
  assert.equal(failed.owners[0]?.kind, 'Job');
  assert.equal(failed.owners[0]?.name, 'e2e-failjob');
  assert.equal(failed.containerStatuses[0]?.state.reason, 'Error');
  assert.equal(failed.containerStatuses[0]?.state.exitCode, 42);
  const done = pod('e2e-cronjob-29707814-h2f28');
  assert.equal(done.phase, 'Succeeded');
  assert.equal(done.owners[0]?.name, 'e2e-cronjob-29707814');
  assert.equal(done.containerStatuses[0]?.state.reason, 'Completed');
});

test('a static pod is owned by its Node; StatefulSet and DaemonSet owners', () => {
  assert.deepEqual(pod('kube-apiserver-datagen-1-35').owners.map((o) => o.kind), ['Node']);
  assert.deepEqual(pod('e2e-statefulset-0').owners.map((o) => `${o.kind}/${o.name}`), ['StatefulSet/e2e-statefulset']);
  assert.deepEqual(pod('e2e-daemonset-kb65b').owners.map((o) => o.kind), ['DaemonSet']);
});

test('trimming: no managedFields, no last-applied configuration; scrape annotations and PVC names kept', () => {
  const raw = aPod({
    name: 'trim',
    annotations: {
      'kubectl.kubernetes.io/last-applied-configuration': '{"huge":"json"}',
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': '9102',
      'some.vendor/annotation': 'x',
    },
    extraMetadata: { managedFields: [{ manager: 'kubectl', fieldsV1: { 'f:spec': {} } }] },
  });
  (raw.spec as Record<string, unknown>).volumes = [{ name: 'data', persistentVolumeClaim: { claimName: 'data-trim' } }, { name: 'tmp', emptyDir: {} }];
  const p = projectPod(raw);
  assert.ok(p);
  assert.deepEqual(p.annotations, { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '9102' });
  assert.deepEqual(p.pvcNames, ['data-trim']);
  const json = JSON.stringify(p);
  assert.doesNotMatch(json, /managedFields|last-applied|fieldsV1|huge/);
});

test('malformed pods are rejected, odd field types degrade to undefined', () => {
  assert.equal(projectPod({ metadata: { namespace: 'x' } }), undefined);
  assert.equal(projectPod({ metadata: { name: 'no-namespace' } }), undefined);
  assert.equal(projectPod(null), undefined);
  const p = projectPod({ metadata: { name: 'odd', namespace: 'x', labels: { a: 1, b: 'ok' } }, spec: { containers: 'nope' }, status: { phase: 7 } });
  assert.ok(p);
  assert.deepEqual(p.labels, { b: 'ok' });
  assert.deepEqual(p.containers, []);
  assert.equal(p.phase, 'Unknown');
  assert.equal(p.uid, 'x/odd', 'uid falls back to the key');
});

test('node: capacity and allocatable as numbers, roles, conditions, version, address', () => {
  const n = projectNode(fixture('nodes-1_35.json').items[0]);
  assert.ok(n);
  assert.equal(n.key, 'datagen-1-35');
  assert.equal(n.namespace, undefined);
  assert.deepEqual(n.capacity, { cpuMillicores: 14_000, memoryBytes: 8024304 * 1024, pods: 110, ephemeralStorageBytes: 954976684 * 1024 });
  assert.deepEqual(n.allocatable, n.capacity);
  assert.deepEqual(n.roles, ['control-plane']);
  assert.equal(n.unschedulable, false);
  assert.deepEqual(n.taints, []);
  assert.deepEqual(n.conditions.map((c) => `${c.type}=${c.status}`), ['MemoryPressure=False', 'DiskPressure=False', 'PIDPressure=False', 'Ready=True']);
  assert.ok(n.conditions[3]?.lastHeartbeatAtMs);
  assert.equal(n.kubeletVersion, 'v1.35.0');
  assert.match(n.internalIP ?? '', /^\d+\.\d+\.\d+\.\d+$/);
  assert.equal(n.zone, undefined);
});

test('node roles as kubectl prints them: role labels and the legacy kubernetes.io/role, deduplicated and sorted', () => {
  const raw = fixture('nodes-1_35.json').items[0] as { metadata: { labels: Record<string, string> } };
  const labels = { 'node-role.kubernetes.io/worker': '', 'kubernetes.io/role': 'master', 'node-role.kubernetes.io/control-plane': '', 'node-role.kubernetes.io/master': 'true' };
  const n = projectNode({ ...raw, metadata: { ...raw.metadata, labels } });
  assert.deepEqual(n?.roles, ['control-plane', 'master', 'worker']);
  const none = projectNode({ ...raw, metadata: { ...raw.metadata, labels: { 'kubernetes.io/role': '' } } });
  assert.deepEqual(none?.roles, [], 'an empty legacy role is no role');
});

test('namespaces: phase and labels', () => {
  const all = fixture('namespaces-1_35.json').items.map(projectNamespace);
  assert.deepEqual(
    all.map((n) => n?.name),
    ['default', 'kube-node-lease', 'kube-public', 'kube-system', 'nri-test-namespace', 'scraper'],
  );
  assert.equal(all[0]?.phase, 'Active');
  assert.equal(all[0]?.labels['kubernetes.io/metadata.name'], 'default');
});
