// SPDX-License-Identifier: Apache-2.0
// metrics-server and kubelet-summary usage sources against the simulated cluster (demo scenario): every running
// container with a metric comes back with CPU and memory above zero, nodes and PVC volumes are reported,
// and an unknown node is an error value rather than a failed collect.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { kubeconfigFor, startSimulationServer, type RunningSimulation } from '../../src/sim/index.ts';
import { createKubeClient } from '../../src/sources/kube/client.ts';
import { createDecodePool } from '../../src/sources/usage/decode-pool.ts';
import { inlineDecoder } from '../../src/sources/usage/decoder.ts';
import { cadvisorPath } from '../../src/sources/usage/kubelet-cadvisor.ts';
import { createKubeletSummarySource, summaryPath } from '../../src/sources/usage/kubelet-summary.ts';
import { getKubeBytes } from '../../src/sources/usage/kube-json.ts';
import { createMetricsServerSource, METRICS_SERVER_PODS_PATH } from '../../src/sources/usage/metrics-server.ts';
import type { ContainerUsage } from '../../src/sources/usage/types.ts';

let sim: RunningSimulation;
let http: ReturnType<typeof createKubeClient>['request'];
const signal = new AbortController().signal;

before(async () => {
  sim = await startSimulationServer({ scenario: 'demo', port: 0 });
  http = createKubeClient({ kubeconfigYaml: kubeconfigFor(sim.server), qps: 0 }).request;
});

after(async () => {
  await sim.stop();
});

function nodeNames(): string[] {
  return sim.simulation.store.list('nodes').map((n) => n.metadata.name);
}

/** `namespace/pod/container` of every container the simulator's metrics.k8s.io reports. */
function simMetricContainers(): Set<string> {
  const out = new Set<string>();
  for (const m of sim.simulation.podMetrics()) {
    const { namespace, name } = m.metadata;
    for (const c of (m as unknown as { containers: { name: string }[] }).containers) out.add(`${namespace}/${name}/${c.name}`);
  }
  return out;
}

const keyOf = (c: ContainerUsage): string => `${c.namespace}/${c.pod}/${c.container}`;

function assertPlausible(containers: readonly ContainerUsage[]): void {
  const running = sim.simulation.summary().runningContainers;
  assert.ok(containers.length > 0, 'some containers');
  assert.ok(containers.length <= running, `${containers.length} containers, at most the ${running} running ones`);
  for (const c of containers) {
    assert.ok(c.cpuCores > 0, `${keyOf(c)} cpu ${c.cpuCores}`);
    assert.ok(c.memoryWorkingSetBytes > 0, `${keyOf(c)} memory ${c.memoryWorkingSetBytes}`);
  }
  assert.equal(new Set(containers.map(keyOf)).size, containers.length, 'no container twice');
}

test('metrics-server: the running containers with metrics, every node', async () => {
  const source = createMetricsServerSource({ http });
  const snap = await source.collect({ nowMs: Date.now(), signal });
  assert.equal(snap.source, 'metrics-server');
  assert.deepEqual(snap.errors, []);
  assertPlausible(snap.containers);
  assert.deepEqual(new Set(snap.containers.map(keyOf)), simMetricContainers());
  assert.deepEqual(snap.nodes.map((n) => n.node).sort(), nodeNames().sort());
  for (const n of snap.nodes) assert.ok(n.cpuCores > 0 && n.memoryWorkingSetBytes > 0, n.node);
  assert.equal(snap.containers.find((c) => c.memoryRssBytes !== undefined || c.throttledRatio !== undefined), undefined, 'metrics-server knows neither RSS nor throttling');

});

test('kubelet summaries: containers with CPU, working set and RSS; nodes with filesystems; PVC volumes', async () => {
  const source = createKubeletSummarySource({ http, nodes: nodeNames });
  const snap = await source.collect({ nowMs: Date.now(), signal });
  assert.equal(snap.source, 'kubelet');
  assert.deepEqual(snap.errors, []);
  assertPlausible(snap.containers);
  const metricsServer = simMetricContainers();
  const missing = snap.containers.filter((c) => !metricsServer.has(keyOf(c)));
  assert.ok(missing.length <= snap.containers.length * 0.05, `${missing.length} kubelet containers unknown to metrics.k8s.io`);
  assert.ok(snap.containers.every((c) => c.memoryRssBytes !== undefined), 'RSS from the summary');
  assert.deepEqual(snap.nodes.map((n) => n.node).sort(), nodeNames().sort());
  for (const n of snap.nodes) assert.ok((n.fsCapacityBytes ?? 0) > 0 && (n.fsUsedBytes ?? 0) > 0, `${n.node} filesystem`);
  assert.ok(snap.volumes.length > 0, 'PVC volumes');
  for (const v of snap.volumes) assert.ok((v.capacityBytes ?? 0) > 0 && v.usedBytes !== undefined, `${v.namespace}/${v.pvc}`);
});

test('kubelet summaries: beyond fullNodesPerCycle, nodes take turns for the full summary; the rest answer CPU and memory only', async () => {
  const paths: string[] = [];
  const counting: typeof http = (req) => {
    paths.push(req.path);
    return http(req);
  };
  const names = nodeNames();
  assert.ok(names.length >= 3, 'the demo has several nodes');
  const source = createKubeletSummarySource({ http: counting, nodes: nodeNames, fullNodesPerCycle: 1, throttling: false });
  const seen = new Set<string>();
  for (let cycle = 0; cycle < names.length; cycle++) {
    paths.length = 0;
    const snap = await source.collect({ nowMs: Date.now(), signal });
    assert.deepEqual(snap.errors, []);
    const full = paths.filter((p) => p.endsWith('/proxy/stats/summary'));
    const cheap = paths.filter((p) => p.endsWith('/proxy/stats/summary?only_cpu_and_memory=true'));
    assert.equal(full.length, 1, 'one node in full per cycle');
    assert.equal(cheap.length, names.length - 1);
    seen.add(full[0] as string);
    // Every node still gives CPU and memory, and every container its RSS; filesystems only from the full one.
    assert.equal(snap.nodes.length, names.length);
    assert.ok(snap.containers.length > 0 && snap.containers.every((c) => c.memoryRssBytes !== undefined));
    assert.equal(snap.nodes.filter((n) => n.fsCapacityBytes !== undefined).length, 1);
  }
  assert.equal(seen.size, names.length, 'every node had its turn');
});

test('kubelet summaries: an unknown node is an error value, the other nodes still count', async () => {
  const source = createKubeletSummarySource({ http, nodes: () => [...nodeNames(), 'no-such-node'] });
  const snap = await source.collect({ nowMs: Date.now(), signal });
  assert.equal(snap.errors.length, 1);
  assert.equal(snap.errors[0]?.target, 'node/no-such-node');
  assert.match(snap.errors[0]?.code ?? '', /^KRM_KUBE_/);
  assert.equal(snap.nodes.length, nodeNames().length);
});

/** Containers of the simulator's running pods that have a CPU limit (the only ones with CFS counters). */
function cpuLimited(): Set<string> {
  const out = new Set<string>();
  for (const p of sim.simulation.store.list('pods') as unknown as { metadata: { namespace: string; name: string }; spec: { containers: { name: string; resources?: { limits?: Record<string, string> } }[] } }[]) {
    for (const c of p.spec.containers) if (c.resources?.limits?.['cpu'] !== undefined) out.add(`${p.metadata.namespace}/${p.metadata.name}/${c.name}`);
  }
  return out;
}

test('kubelet cAdvisor: throttling ratios from the second collect on, for CPU-limited containers only', async () => {
  const paths: string[] = [];
  const counting: typeof http = (req) => {
    paths.push(req.path);
    return http(req);
  };
  const source = createKubeletSummarySource({ http: counting, nodes: nodeNames });
  const first = await source.collect({ nowMs: Date.now(), signal });
  assert.deepEqual(first.errors, []);
  assert.equal(first.containers.filter((c) => c.throttledRatio !== undefined).length, 0, 'no ratio from one reading');
  assert.equal(paths.filter((p) => p.endsWith('/proxy/metrics/cadvisor')).length, nodeNames().length);
  // Counters advance with the simulator's clock (real time here): a few seconds are some dozens of CFS periods.
  await new Promise((r) => setTimeout(r, 3000));
  const second = await source.collect({ nowMs: Date.now(), signal });
  assert.deepEqual(second.errors, []);
  const limited = cpuLimited();
  const withRatio = second.containers.filter((c) => c.throttledRatio !== undefined);
  assert.ok(withRatio.length > 0);
  assert.deepEqual(withRatio.filter((c) => !limited.has(keyOf(c))).map(keyOf), [], 'only CPU-limited containers are throttled');
  for (const c of withRatio) assert.ok((c.throttledRatio as number) >= 0 && (c.throttledRatio as number) <= 1, keyOf(c));
  // fraud-detector wants 2.5 times its limit: (nearly) every period is throttled; payments-api idles below its limit.
  const fraud = withRatio.find((c) => c.pod.startsWith('fraud-detector-'));
  assert.ok(fraud && (fraud.throttledRatio as number) > 0.8, `fraud-detector ${fraud?.throttledRatio}`);
  const api = withRatio.filter((c) => c.pod.startsWith('payments-api-'));
  assert.ok(api.length > 0 && api.every((c) => (c.throttledRatio as number) < 0.25), JSON.stringify(api.map((c) => c.throttledRatio)));
});

test('kubelet cAdvisor: a failing endpoint is an error value per node and the summary usage stays', async () => {
  const failing: typeof http = async (req) => {
    if (!req.path.endsWith('/proxy/metrics/cadvisor')) return http(req);
    const body = JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'no endpoints', reason: 'ServiceUnavailable', code: 503 });
    return { status: 503, body: (async function* () {})(), text: async () => body, discard: () => undefined };
  };
  const source = createKubeletSummarySource({ http: failing, nodes: nodeNames });
  const snap = await source.collect({ nowMs: Date.now(), signal });
  assert.deepEqual(snap.errors.map((e) => e.target).sort(), nodeNames().map((n) => `node/${n}/cadvisor`).sort());
  assert.ok(snap.errors.every((e) => /^KRM_KUBE_/.test(e.code)));
  assertPlausible(snap.containers);
  assert.equal(snap.nodes.length, nodeNames().length);
  const off = createKubeletSummarySource({ http: failing, nodes: nodeNames, throttling: false });
  assert.deepEqual((await off.collect({ nowMs: Date.now(), signal })).errors, [], 'throttling off: the endpoint is not asked');
});

test('decoded in a worker thread, the same as in the calling thread: summaries, cAdvisor counters, the PodMetrics list', async () => {
  const pool = createDecodePool();
  const inline = inlineDecoder();
  try {
    let counted = 0;
    for (const node of nodeNames()) {
      const summary = await getKubeBytes(http, { path: summaryPath(node), signal });
      // The worker's containers arrive as instances of a class (usage-wire.ts): compared as plain data.
      assert.deepEqual(structuredClone(await pool.summary(summary.slice(), node, 1)), await inline.summary(summary, node, 1), node);
      const cadvisor = await getKubeBytes(http, { path: cadvisorPath(node), signal });
      const counters = await pool.cfsCounters(cadvisor.slice());
      counted += counters.size;
      assert.deepEqual(counters, await inline.cfsCounters(cadvisor), node);
    }
    assert.ok(counted > 0, 'CFS counters of CPU-limited containers');
    const list = await getKubeBytes(http, { path: METRICS_SERVER_PODS_PATH, signal });
    const read = async (d: typeof inline): Promise<unknown[]> => {
      const stream = d.podMetrics(1);
      const items: unknown[] = [];
      for (let at = 0; at < list.length; at += 4096) items.push(...(await stream.push(list.slice(at, at + 4096))));
      await stream.end();
      return items;
    };
    const fromWorker = await read(pool);
    assert.equal(fromWorker.length, sim.simulation.podMetrics().length);
    assert.deepEqual(structuredClone(fromWorker), await read(inline));
    // And a whole kubelet collect through the worker.
    const snap = await createKubeletSummarySource({ http, nodes: nodeNames, decoder: pool }).collect({ nowMs: Date.now(), signal });
    assert.deepEqual(snap.errors, []);
    assertPlausible(snap.containers);
    assert.ok(pool.inWorker);
  } finally {
    await pool.close();
  }
});
