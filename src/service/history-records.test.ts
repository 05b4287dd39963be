// SPDX-License-Identifier: Apache-2.0
// History records and signatures of real projections: a status heartbeat keeps a pod's signature, a move, a phase
// change or an in-place resize changes it; finished pods carry their finish time; init containers are marked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from '../domain/resources.ts';
import { KIND_SPECS } from '../sources/kube/projections.ts';
import { aContainerStatus, aPod } from '../../test/fakes/builders.ts';
import { memoryLimitOf, podRecord, podSignature } from './history-records.ts';

const app = { name: 'app', image: 'x', resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { memory: '512Mi' } } };
const pod = (o: Parameters<typeof aPod>[0]): Pod => KIND_SPECS.pods.project(aPod(o)) as Pod;
const workload = { namespace: 'shop', kind: 'Deployment', name: 'web', resolved: true };

test('the signature ignores status heartbeats and follows what the history records', () => {
  const base = pod({ name: 'web-1', namespace: 'shop', node: 'n1', containers: [app] as never, containerStatuses: [aContainerStatus({ ready: true })] });
  const heartbeat = pod({ name: 'web-1', namespace: 'shop', node: 'n1', containers: [app] as never, containerStatuses: [aContainerStatus({ ready: false })] });
  assert.notEqual(base, heartbeat);
  assert.equal(podSignature(heartbeat), podSignature(base));
  assert.notEqual(podSignature(pod({ name: 'web-1', namespace: 'shop', node: 'n2', containers: [app] as never })), podSignature(base));
  assert.notEqual(podSignature(pod({ name: 'web-1', namespace: 'shop', node: 'n1', phase: 'Failed', containers: [app] as never })), podSignature(base));
  const resized = { ...app, resources: { ...app.resources, limits: { memory: '1Gi' } } };
  assert.notEqual(podSignature(pod({ name: 'web-1', namespace: 'shop', node: 'n1', containers: [resized] as never })), podSignature(base));
});

test('records carry requests and limits per container, the workload and the finish of a finished pod', () => {
  const running = podRecord(pod({ name: 'web-1', namespace: 'shop', node: 'n1', containers: [app] as never }), { workload, observedAtMs: 5 });
  assert.deepEqual(running.containers, [
    { name: 'app', init: false, sidecar: false, cpuRequestMillicores: 250, cpuLimitMillicores: undefined, memoryRequestBytes: 256 * 2 ** 20, memoryLimitBytes: 512 * 2 ** 20 },
  ]);
  assert.deepEqual([running.workloadKind, running.workloadName, running.nodeName, running.finishedAtMs], ['Deployment', 'web', 'n1', undefined]);
  const done = podRecord(pod({ name: 'job-1', namespace: 'shop', phase: 'Succeeded', containers: [app] as never }), { workload, observedAtMs: 5 });
  assert.equal(done.finishedAtMs, 5, 'no container finish time: the observation stands in');
  assert.equal(memoryLimitOf(pod({ name: 'web-1', namespace: 'shop', containers: [app] as never }), 'app'), 512 * 2 ** 20);
  assert.equal(memoryLimitOf(undefined, 'app'), undefined);
});
