// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { projectPod } from '../sources/kube/project-pod.ts';
import { aContainerStatus, aPod } from '../../test/fakes/builders.ts';
import { podRestarts, podTotals } from './pod-resources.ts';
import type { Pod } from './resources.ts';

const container = (name: string, cpu: string, memory: string) => ({
  name,
  image: 'example/app:1',
  resources: { requests: { cpu, memory }, limits: { cpu, memory } },
});

function pod(spec: { containers: unknown[]; initContainers?: unknown[]; initStatuses?: unknown[]; statuses?: unknown[] }): Pod {
  const raw = aPod({ name: 'p', containers: spec.containers as Record<string, unknown>[], containerStatuses: (spec.statuses ?? []) as Record<string, unknown>[] });
  const rawSpec = raw['spec'] as Record<string, unknown>;
  rawSpec['initContainers'] = spec.initContainers ?? [];
  (raw['status'] as Record<string, unknown>)['initContainerStatuses'] = spec.initStatuses ?? [];
  const projected = projectPod(raw);
  assert.ok(projected);
  return projected;
}

test('app containers are summed', () => {
  const t = podTotals(pod({ containers: [container('a', '100m', '100Mi'), container('b', '250m', '50Mi')] }));
  assert.deepEqual(t, { cpuRequest: 350, cpuLimit: 350, memoryRequest: 150 * 2 ** 20, memoryLimit: 150 * 2 ** 20 });
});

test('a big init container sets the request when it exceeds the app containers', () => {
  const t = podTotals(pod({ containers: [container('app', '100m', '64Mi')], initContainers: [container('migrate', '2', '1Gi')] }));
  assert.equal(t.cpuRequest, 2000);
  assert.equal(t.memoryRequest, 2 ** 30);
});

test('sidecars add to the app containers and to the init containers declared after them', () => {
  const p = pod({
    containers: [container('app', '100m', '64Mi')],
    initContainers: [{ ...container('proxy', '50m', '32Mi'), restartPolicy: 'Always' }, container('setup', '500m', '16Mi')],
  });
  const t = podTotals(p);
  // max(app 100 + sidecar 50, setup 500 + sidecar 50) = 550; memory max(64 + 32, 16 + 32) = 96 Mi.
  assert.equal(t.cpuRequest, 550);
  assert.equal(t.memoryRequest, 96 * 2 ** 20);
});

test('restarts count app containers and sidecars, not ordinary init containers', () => {
  const p = pod({
    containers: [container('app', '100m', '64Mi')],
    initContainers: [{ ...container('proxy', '50m', '32Mi'), restartPolicy: 'Always' }, container('setup', '500m', '16Mi')],
    statuses: [aContainerStatus({ name: 'app', restartCount: 3 })],
    initStatuses: [aContainerStatus({ name: 'proxy', restartCount: 2 }), aContainerStatus({ name: 'setup', restartCount: 5 })],
  });
  assert.equal(podRestarts(p), 5);
});
