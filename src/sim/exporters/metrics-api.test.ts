// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExporterContext } from './cluster-view.ts';
import { nodeMetrics, podMetrics } from './metrics-api.ts';
import { parseQuantity } from './quantity.ts';
import { MapStore, TimeUsage } from './test-cluster.ts';
import { buildTestCluster, START_MS } from './test-objects.ts';

const NOW = START_MS + 600_000;

function context(): ExporterContext {
  const store = buildTestCluster(new MapStore());
  return { store, usage: new TimeUsage(store, NOW), nowMs: NOW };
}

void describe('metrics.k8s.io', () => {
  void it('serves PodMetrics of running pods only, shaped as metrics-server does', () => {
    const ctx = context();
    const items = podMetrics(ctx);
    // pending-x (unscheduled), crash (no running container) and the Succeeded job pod are absent.
    assert.deepEqual(items.map((m) => m.metadata.name), ['db-0', 'web-6d4cf56db6-abcde', 'web-6d4cf56db6-fghij']);
    const web = items[1];
    assert.ok(web);
    assert.equal(web.apiVersion, 'metrics.k8s.io/v1beta1');
    assert.equal(web.kind, 'PodMetrics');
    assert.deepEqual(Object.keys(web), ['kind', 'apiVersion', 'metadata', 'timestamp', 'window', 'containers']);
    assert.deepEqual(web.metadata, { name: 'web-6d4cf56db6-abcde', namespace: 'shop', creationTimestamp: '2026-06-26T09:10:00Z', labels: { app: 'web' } });
    assert.equal(web.timestamp, '2026-06-26T09:10:00Z');
    assert.equal(web.window, '20s');
    assert.deepEqual(web.containers.map((c) => c.name), ['app', 'sidecar']);
    for (const c of web.containers) {
      assert.match(c.usage.cpu, /^\d+(n|u|m)?$/);
      assert.match(c.usage.memory, /^\d+(Ki|Mi|Gi)?$/);
      const expected = ctx.usage.container('shop', web.metadata.name, c.name);
      assert.ok(expected);
      assert.ok(Math.abs((parseQuantity(c.usage.cpu) ?? 0) - expected.cpuCores) < 1e-9);
      assert.equal(parseQuantity(c.usage.memory), Math.round(expected.memoryWorkingSetBytes));
    }
  });

  void it('filters PodMetrics by namespace', () => {
    assert.equal(podMetrics(context(), 'kube-system').length, 0);
    assert.equal(podMetrics(context(), 'shop').length, 3);
  });

  void it('serves NodeMetrics with node labels and usage', () => {
    const items = nodeMetrics(context());
    assert.deepEqual(items.map((m) => m.metadata.name), ['node-a', 'node-b']);
    const a = items[0];
    assert.ok(a);
    assert.equal(a.kind, 'NodeMetrics');
    assert.deepEqual(a.usage, { cpu: '1500m', memory: '3Gi' });
    assert.deepEqual(a.metadata.labels, { 'kubernetes.io/hostname': 'node-a' });
    assert.equal(a.metadata.namespace, undefined);
  });
});
