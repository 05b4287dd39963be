// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { ExporterContext } from './cluster-view.ts';
import { kubeletEndpoint } from './kubelet-endpoints.ts';
import { renderKubeletCadvisor, renderKubeletResourceMetrics } from './kubelet-metrics.ts';
import { kubeletStatsSummary, renderKubeletStatsSummary } from './kubelet-summary.ts';
import { MapStore, TimeUsage } from './test-cluster.ts';
import { assertNoDuplicateSeries, familyMap, parseExposition, promtoolCheckMetrics, samplesWhere } from './test-exposition.ts';
import { buildTestCluster, START_MS } from './test-objects.ts';

const NOW = START_MS + 1_800_000;

function context(): ExporterContext {
  const store = buildTestCluster(new MapStore());
  return { store, usage: new TimeUsage(store, NOW), nowMs: NOW };
}

const text = (chunks: Iterable<string> | undefined): string => [...(chunks ?? [])].join('');
const fixture = (name: string): string => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');

void describe('kubelet /metrics/cadvisor', () => {
  const out = text(renderKubeletCadvisor(context(), 'node-a'));
  const families = familyMap(out);

  void it('is valid Prometheus text without lint findings', () => {
    const res = promtoolCheckMetrics(out);
    assert.equal(res.status, 0, res.problems.join('\n'));
    assertNoDuplicateSeries(parseExposition(out));
  });

  void it('has exactly the capture label names (no `node` label) and the capture timestamps pattern', () => {
    const real = familyMap(fixture('cadvisor-1_35.txt'));
    for (const [name, want] of real) {
      const got = families.get(name);
      assert.ok(got && got.samples.length > 0, name);
      assert.deepEqual(got.samples[0]?.labelNames, want.samples[0]?.labelNames, name);
      // Usage samples carry a millisecond timestamp; spec and start-time samples have none, as in the capture.
      assert.equal(got.samples[0]?.timestamp !== undefined, want.samples[0]?.timestamp !== undefined, name);
    }
    assert.equal(samplesWhere(families, 'container_memory_rss', { container: 'app' })[0]?.timestamp, NOW);
  });

  void it('covers only the node’s running pods, sorted by label values', () => {
    const pods = new Set(families.get('container_cpu_usage_seconds_total')?.samples.map((s) => s.labels['pod']));
    assert.deepEqual([...pods].sort(), ['', 'crash', 'web-6d4cf56db6-abcde']);
    const ids = families.get('container_memory_working_set_bytes')?.samples.map((s) => `${s.labels['container']}\u0000${s.labels['id']}`) ?? [];
    assert.deepEqual(ids, [...ids].sort());
  });

  void it('is undefined for an unknown node', () => {
    assert.equal(renderKubeletCadvisor(context(), 'nope'), undefined);
  });
});

void describe('kubelet /metrics/resource', () => {
  const out = text(renderKubeletResourceMetrics(context(), 'node-b'));
  const families = familyMap(out);

  void it('is valid Prometheus text without lint findings', () => {
    const res = promtoolCheckMetrics(out);
    assert.equal(res.status, 0, res.problems.join('\n'));
  });

  void it('has the kubelet families with HELP stability markers, in name order', () => {
    assert.deepEqual([...families.keys()], [
      'container_cpu_usage_seconds_total',
      'container_memory_working_set_bytes',
      'container_start_time_seconds',
      'node_cpu_usage_seconds_total',
      'node_memory_working_set_bytes',
      'pod_cpu_usage_seconds_total',
      'pod_memory_working_set_bytes',
      'resource_scrape_error',
      'scrape_error',
    ]);
    assert.equal(families.get('container_cpu_usage_seconds_total')?.help, '[STABLE] Cumulative cpu time consumed by the container in core-seconds');
    assert.equal(families.get('scrape_error')?.help, '[ALPHA] (Deprecated since 1.29.0) 1 if there was an error while getting container metrics, 0 otherwise');
    assert.equal(families.get('resource_scrape_error')?.samples[0]?.value, 0);
  });

  void it('reports per-container, per-pod and node usage with timestamps', () => {
    const c = samplesWhere(families, 'container_cpu_usage_seconds_total', { namespace: 'shop', pod: 'db-0', container: 'postgres' });
    assert.deepEqual(c[0]?.labelNames, ['container', 'namespace', 'pod']);
    assert.equal(c[0]?.timestamp, NOW);
    const pod = samplesWhere(families, 'pod_memory_working_set_bytes', { pod: 'db-0' })[0];
    const container = samplesWhere(families, 'container_memory_working_set_bytes', { pod: 'db-0' })[0];
    assert.ok(pod && container && pod.value > container.value, 'pod working set includes the sandbox');
    assert.equal(samplesWhere(families, 'container_start_time_seconds', { pod: 'db-0' })[0]?.value, START_MS / 1000);
    assert.equal(samplesWhere(families, 'container_start_time_seconds', { pod: 'db-0' })[0]?.timestamp, undefined);
    assert.equal(families.get('node_memory_working_set_bytes')?.samples[0]?.value, 3 * 1024 ** 3);
  });
});

function keySet(o: unknown): string[] {
  return typeof o === 'object' && o !== null ? Object.keys(o).sort() : [];
}

void describe('kubelet /stats/summary', () => {
  const summary = kubeletStatsSummary(context(), 'node-b');
  const real = JSON.parse(fixture('stats-summary-1_35.json')) as { node: Record<string, unknown>; pods: Record<string, unknown>[] };

  void it('has the capture’s key sets for node, pods, containers, volumes and their blocks', () => {
    assert.ok(summary);
    assert.deepEqual(keySet(summary), keySet(real));
    assert.deepEqual(Object.keys(summary.node), Object.keys(real.node));
    for (const k of ['cpu', 'memory', 'io', 'network', 'fs', 'runtime', 'rlimit', 'swap']) assert.deepEqual(keySet(summary.node[k as 'cpu']), keySet(real.node[k]), k);
    assert.deepEqual(keySet(summary.node.systemContainers[0]), keySet((real.node['systemContainers'] as unknown[])[0]));
    const withVolume = summary.pods.find((p) => p.volume);
    const realPod = real.pods[0] as Record<string, Record<string, unknown>[]>;
    assert.ok(withVolume);
    assert.deepEqual(Object.keys(withVolume), Object.keys(realPod));
    const realContainer = realPod['containers']?.[0] ?? {};
    assert.deepEqual(Object.keys(withVolume.containers[0] ?? {}), Object.keys(realContainer));
    for (const k of ['cpu', 'io', 'rootfs', 'logs', 'swap']) assert.deepEqual(keySet(withVolume.containers[0]?.[k as 'cpu']), keySet(realContainer[k]), k);
    assert.deepEqual(keySet(withVolume.volume?.find((v) => !v.pvcRef)), keySet(realPod['volume']?.[0]));
    assert.deepEqual(keySet(withVolume.network), keySet(realPod['network']));
  });

  void it('lists only pods with a running container, with the claim’s usage and pvcRef', () => {
    assert.ok(summary);
    assert.deepEqual(summary.pods.map((p) => p.podRef.name).sort(), ['db-0', 'web-6d4cf56db6-fghij']);
    const aSummary = kubeletStatsSummary(context(), 'node-a');
    // node-a also hosts the crash-looping pod (no running container) and a Succeeded job pod: both absent.
    assert.deepEqual(aSummary?.pods.map((p) => p.podRef.name), ['web-6d4cf56db6-abcde']);
    const db = summary.pods.find((p) => p.podRef.name === 'db-0');
    const data = db?.volume?.find((v) => v.name === 'data');
    assert.deepEqual(data?.pvcRef, { name: 'data-db-0', namespace: 'shop' });
    assert.equal(data?.usedBytes, 2 * 1024 ** 3);
    assert.equal(data?.capacityBytes, 10 * 1024 ** 3);
    assert.equal(data?.inodesUsed, 1200);
  });

  void it('gives each pod the figures of its cAdvisor pod cgroup (sandbox plus running containers)', () => {
    assert.ok(summary);
    const cadvisor = familyMap(text(renderKubeletCadvisor(context(), 'node-b')));
    // The pod cgroup row: no container and no image label.
    const podRow = (family: string, pod: string) => samplesWhere(cadvisor, family, { pod, container: '', image: '' })[0]?.value;
    assert.ok(summary.pods.length > 0);
    for (const p of summary.pods) {
      const name = p.podRef.name;
      assert.equal(p.memory.workingSetBytes, podRow('container_memory_working_set_bytes', name), `${name} working set`);
      assert.equal(p.memory.rssBytes, podRow('container_memory_rss', name), `${name} rss`);
      assert.equal(p.memory.usageBytes, podRow('container_memory_usage_bytes', name), `${name} usage`);
      assert.ok(Math.abs(p.cpu.usageCoreNanoSeconds / 1e9 - (podRow('container_cpu_usage_seconds_total', name) ?? NaN)) < 1e-6, `${name} cpu`);
    }
  });

  void it('agrees with the usage model and uses integers for the kubelet’s uint64 fields', () => {
    assert.ok(summary);
    const db = summary.pods.find((p) => p.podRef.name === 'db-0');
    const pg = db?.containers[0];
    assert.equal(pg?.memory.availableBytes, 1024 ** 3 - (pg?.memory.workingSetBytes ?? 0), 'limit minus working set');
    assert.ok(Number.isInteger(pg?.cpu.usageCoreNanoSeconds) && Number.isInteger(pg?.cpu.usageNanoCores));
    assert.equal(summary.node.fs.capacityBytes, 100 * 1024 ** 3);
    assert.equal(summary.node.memory.availableBytes, 12 * 1024 ** 3);
    assert.equal(summary.node.startTime, '2026-06-26T08:00:00Z');
    assert.equal(db?.containers[0]?.startTime, '2026-06-26T09:00:00Z');
  });

  void it('is pretty-printed with a one-space indent like the kubelet', () => {
    const json = renderKubeletStatsSummary(context(), 'node-b') ?? '';
    assert.ok(json.startsWith('{\n "node": {\n  "nodeName": "node-b",'));
  });
});

void describe('kubeletEndpoint', () => {
  void it('dispatches the proxy paths and rejects unknown ones', () => {
    const ctx = context();
    assert.equal(kubeletEndpoint(ctx, 'node-a', '/metrics/cadvisor')?.contentType, 'text/plain; version=0.0.4; charset=utf-8');
    assert.equal(kubeletEndpoint(ctx, 'node-a', 'metrics/resource/')?.contentType, 'text/plain; version=0.0.4; charset=utf-8');
    assert.equal(kubeletEndpoint(ctx, 'node-a', 'stats/summary?only_cpu_and_memory=true')?.contentType, 'application/json');
    assert.equal(kubeletEndpoint(ctx, 'node-a', 'pods'), undefined);
    assert.equal(kubeletEndpoint(ctx, 'missing', 'stats/summary'), undefined);
  });
});

void describe('kubelet /stats/summary?only_cpu_and_memory=true', () => {
  const ctx = context();
  const full = JSON.parse(kubeletEndpoint(ctx, 'node-a', 'stats/summary')?.body as string) as { node: Record<string, unknown>; pods: { podRef: unknown; cpu: unknown; memory: { psi?: unknown }; containers: { name: string; cpu: { usageNanoCores: number }; memory: { workingSetBytes: number; rssBytes: number } }[] }[] };
  const cheap = JSON.parse(kubeletEndpoint(ctx, 'node-a', 'stats/summary?only_cpu_and_memory=true')?.body as string) as typeof full;

  void it('keeps CPU and memory of the node, pods and containers, with the same figures as the full summary', () => {
    assert.ok(cheap.pods.length > 0);
    assert.equal(cheap.pods.length, full.pods.length);
    cheap.pods.forEach((p, i) => {
      const f = full.pods[i];
      assert.deepEqual(p.podRef, f?.podRef);
      assert.deepEqual(
        p.containers.map((c) => [c.name, c.cpu.usageNanoCores, c.memory.workingSetBytes, c.memory.rssBytes]),
        f?.containers.map((c) => [c.name, c.cpu.usageNanoCores, c.memory.workingSetBytes, c.memory.rssBytes]),
      );
    });
    assert.deepEqual(Object.keys(cheap.node).sort(), ['cpu', 'memory', 'nodeName', 'startTime', 'systemContainers']);
  });

  void it('leaves out filesystems, volumes, network, I/O and pressure; any other value of the flag is the full form', () => {
    for (const p of cheap.pods) assert.deepEqual(Object.keys(p).sort(), ['containers', 'cpu', 'memory', 'podRef', 'startTime']);
    assert.equal(cheap.pods[0]?.memory.psi, undefined);
    assert.notEqual(full.pods[0]?.memory.psi, undefined);
    const other = kubeletEndpoint(ctx, 'node-a', 'stats/summary?only_cpu_and_memory=1')?.body as string;
    assert.deepEqual(Object.keys(JSON.parse(other).node).sort(), Object.keys(full.node).sort());
  });
});
