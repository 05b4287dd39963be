// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { NodeRecord } from './node-record.ts';
import { Scheduler, type SchedulingRequest } from './scheduler.ts';
import { fitErrorMessage } from './scheduler-message.ts';
import { planNodes } from './build-nodes.ts';
import { parseScenario } from './schema.ts';
import { Rng } from './rng.ts';

const NOW = Date.parse('2026-01-15T12:00:00Z');

/** Nodes with exactly known allocatable: 4 cores, 8 GiB, 3 pods per node (reserved set to zero). */
function nodes(pools: { name: string; count: number; taints?: unknown[]; labels?: Record<string, string>; pods?: number }[]): NodeRecord[] {
  const s = parseScenario({
    name: 't',
    nodePools: pools.map((p) => ({ name: p.name, count: p.count, capacity: { cpu: '4', memory: '8Gi', pods: p.pods ?? 3 }, reserved: { cpu: '0', memory: '0' }, ...(p.taints ? { taints: p.taints } : {}), ...(p.labels ? { labels: p.labels } : {}) })),
  });
  return planNodes(s, NOW, new Rng(1));
}

function req(r: Partial<SchedulingRequest> & { cpuMilli: number; memoryBytes: number }): SchedulingRequest {
  return { tolerations: [], traitsKey: JSON.stringify([r.tolerations ?? [], r.nodeSelector ?? null, r.required ?? null]), ...r };
}

const GI = 2 ** 30;

test('a pod requesting exactly the allocatable fits; one millicore more does not', () => {
  const ns = nodes([{ name: 'a', count: 1 }]);
  const s = new Scheduler(ns);
  assert.equal(s.schedule(req({ cpuMilli: 4000, memoryBytes: 8 * GI })).node?.name, 'a-node-00');
  const next = s.schedule(req({ cpuMilli: 1, memoryBytes: 0 }));
  assert.equal(next.node, undefined);
  assert.match(next.message ?? '', /^0\/1 nodes are available: 1 Insufficient cpu\./);
  assert.equal(new Scheduler(nodes([{ name: 'a', count: 1 }])).schedule(req({ cpuMilli: 4001, memoryBytes: 0 })).node, undefined);
});

test('requests already placed count against allocatable; pods spread across nodes', () => {
  const s = new Scheduler(nodes([{ name: 'a', count: 2 }]));
  const placed = [1, 2, 3, 4].map(() => s.schedule(req({ cpuMilli: 2000, memoryBytes: GI })).node?.name);
  assert.deepEqual([...placed].sort(), ['a-node-00', 'a-node-00', 'a-node-01', 'a-node-01']);
  const full = s.schedule(req({ cpuMilli: 1, memoryBytes: 1 }));
  assert.match(full.message ?? '', /2 Insufficient cpu/);
});

test('max pods per node is enforced with "Too many pods"', () => {
  const s = new Scheduler(nodes([{ name: 'a', count: 1, pods: 2 }]));
  s.schedule(req({ cpuMilli: 0, memoryBytes: 0 }));
  s.schedule(req({ cpuMilli: 0, memoryBytes: 0 }));
  const third = s.schedule(req({ cpuMilli: 0, memoryBytes: 0 }));
  assert.match(third.message ?? '', /0\/1 nodes are available: 1 Too many pods\./);
});

test('an untolerated taint filters nodes; a matching toleration admits them', () => {
  const ns = nodes([{ name: 'gpu', count: 2, taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }]);
  const s = new Scheduler(ns);
  const r = s.schedule(req({ cpuMilli: 100, memoryBytes: 0 }));
  assert.equal(
    r.message,
    '0/2 nodes are available: 2 node(s) had untolerated taint {dedicated: gpu}. no new claims to deallocate, preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.',
  );
  const tolerations = [{ key: 'dedicated', operator: 'Equal' as const, value: 'gpu', effect: 'NoSchedule' as const }];
  assert.ok(s.schedule(req({ cpuMilli: 100, memoryBytes: 0, tolerations })).node);
  assert.ok(s.schedule(req({ cpuMilli: 100, memoryBytes: 0, tolerations: [{ operator: 'Exists' }] })).node);
});

test('node selector and required node affinity; reasons are histogrammed and sorted as strings', () => {
  const ns = nodes([
    { name: 'arm', count: 1, labels: { 'kubernetes.io/arch': 'arm64' } },
    { name: 'gpu', count: 2, taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] },
    { name: 'x86', count: 10 },
  ]);
  const s = new Scheduler(ns);
  const arm = s.schedule(req({ cpuMilli: 100, memoryBytes: 0, required: [{ key: 'kubernetes.io/arch', operator: 'In', values: ['arm64'] }] }));
  assert.equal(arm.node?.name, 'arm-node-00');
  const none = s.schedule(req({ cpuMilli: 100, memoryBytes: 0, nodeSelector: { zone: 'mars' } }));
  assert.equal(
    none.message,
    "0/13 nodes are available: 11 node(s) didn't match Pod's node affinity/selector, 2 node(s) had untolerated taint {dedicated: gpu}. no new claims to deallocate, preemption: 0/13 nodes are available: 13 Preemption is not helpful for scheduling.",
  );
  const notIn = s.schedule(req({ cpuMilli: 100, memoryBytes: 0, required: [{ key: 'kubernetes.io/arch', operator: 'NotIn', values: ['amd64'] }] }));
  assert.equal(notIn.node?.name, 'arm-node-00');
});

test('resource shortages are resolvable by preemption in the message, taints are not', () => {
  const ns = nodes([{ name: 'a', count: 3 }, { name: 'gpu', count: 1, taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }] }]);
  const msg = new Scheduler(ns).schedule(req({ cpuMilli: 5000, memoryBytes: 9 * GI })).message;
  assert.equal(
    msg,
    '0/4 nodes are available: 1 node(s) had untolerated taint {dedicated: gpu}, 3 Insufficient cpu, 3 Insufficient memory. no new claims to deallocate, preemption: 0/4 nodes are available: 1 Preemption is not helpful for scheduling, 3 No preemption victims found for incoming pod.',
  );
});

test('unbound immediate claims fail in PreFilter for every node', () => {
  const s = new Scheduler(nodes([{ name: 'a', count: 2 }]));
  assert.equal(
    s.schedule(req({ cpuMilli: 1, memoryBytes: 1, unboundImmediateClaims: true })).message,
    '0/2 nodes are available: pod has unbound immediate PersistentVolumeClaims. no new claims to deallocate, preemption: 0/2 nodes are available: 2 Preemption is not helpful for scheduling.',
  );
});

test('cordoned nodes report "node(s) were unschedulable"; bindTo pins DaemonSet pods', () => {
  const ns = nodes([{ name: 'a', count: 2 }]);
  (ns[0] as NodeRecord).unschedulable = true;
  const s = new Scheduler(ns);
  assert.equal(s.schedule(req({ cpuMilli: 1, memoryBytes: 0 })).node?.name, 'a-node-01');
  const big = s.bindTo(ns[1] as NodeRecord, req({ cpuMilli: 9000, memoryBytes: 0 }));
  assert.match(big.message ?? '', /^0\/2 nodes are available: 1 Insufficient cpu, 1 node\(s\) didn't match Pod's node affinity\/selector\./);
});

test('the FitError format matches a real 1.35 capture', () => {
  // From kube-real/1_35/pods.yaml (Apache-2.0, New Relic): the pod with an unsatisfiable nodeSelector.
  const real = "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. no new claims to deallocate, preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.";
  assert.equal(fitErrorMessage([{ reasons: ["node(s) didn't match Pod's node affinity/selector"], resolvable: false }]), real);
});
