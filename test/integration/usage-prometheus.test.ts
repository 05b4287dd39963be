// SPDX-License-Identifier: Apache-2.0
// The Prometheus usage source against a real Prometheus scraping the demo simulator: the aggregated queries return
// the running containers with CPU, working set, RSS and a throttling ratio (high for the throttled
// payments/fraud-detector), nodes and PVC volumes; the §1.8 family check passes for cAdvisor; `auto` selects it.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { kubeconfigFor, prometheusScrapeConfig, startSimulationServer, type RunningSimulation } from '../../src/sim/index.ts';
import { createKubeClient } from '../../src/sources/kube/client.ts';
import { createPrometheusClient } from '../../src/sources/prometheus/client.ts';
import { PrometheusError } from '../../src/sources/prometheus/errors.ts';
import { createMetricsServerSource } from '../../src/sources/usage/metrics-server.ts';
import { createPrometheusSource } from '../../src/sources/usage/prometheus.ts';
import { createSourceSelector } from '../../src/sources/usage/select-source.ts';
import { startPrometheus, type RunningPrometheus } from '../support/prometheus.ts';

let sim: RunningSimulation;
let prom: RunningPrometheus;
const signal = new AbortController().signal;

before(async () => {
  // Real time: Prometheus stamps samples with its own clock, so counters must advance at wall-clock speed.
  sim = await startSimulationServer({ scenario: 'demo', port: 0, speed: 1 });
  prom = await startPrometheus({ config: prometheusScrapeConfig(sim.server.url, { interval: '3s' }) });
  for (let i = 0; i < 150; i++) {
    // rate() needs two points of the throttling counters.
    if ((await prom.query('rate(container_cpu_cfs_periods_total[5m])')).length > 0) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('prometheus never scraped the simulator twice');
});

after(async () => {
  await prom?.stop();
  await sim?.stop();
});

test('the Prometheus source returns every running container, the throttled one with a high ratio', async () => {
  const source = createPrometheusSource({ client: createPrometheusClient({ url: prom.url }) });
  const snap = await source.collect({ nowMs: Date.now(), signal });
  assert.equal(snap.source, 'prometheus');
  assert.deepEqual(snap.errors, []);
  const running = sim.simulation.summary().runningContainers;
  assert.ok(snap.containers.length > 0 && snap.containers.length <= running, `${snap.containers.length} of ${running}`);
  for (const c of snap.containers) {
    assert.ok(c.cpuCores >= 0 && c.memoryWorkingSetBytes > 0, `${c.namespace}/${c.pod}/${c.container}`);
    assert.ok(c.memoryRssBytes !== undefined, 'RSS');
  }
  const fraud = snap.containers.find((c) => c.namespace === 'payments' && c.pod.startsWith('fraud-detector-'));
  assert.ok(fraud, 'payments/fraud-detector is sampled');
  assert.ok((fraud.throttledRatio ?? 0) > 0.3, `fraud-detector throttled ratio ${fraud.throttledRatio}`);
  const ratios = snap.containers.map((c) => c.throttledRatio ?? 0).sort((a, b) => b - a);
  assert.ok((fraud.throttledRatio ?? 0) >= (ratios[2] ?? 0), 'fraud-detector is among the most throttled');
  assert.ok(snap.nodes.length > 0 && snap.nodes.every((n) => n.cpuCores > 0 && n.memoryWorkingSetBytes > 0), 'nodes');
  assert.ok(snap.volumes.length > 0 && snap.volumes.every((v) => (v.capacityBytes ?? 0) > 0), 'PVC volumes');
});

test('the family check finds the cAdvisor, kube-state-metrics and kubelet families', async () => {
  const source = createPrometheusSource({ client: createPrometheusClient({ url: prom.url }) });
  const presence = await source.presentFamilies({ signal });
  for (const p of presence.filter((x) => x.provider !== 'node-exporter')) assert.deepEqual(p.missing, [], p.provider);
});

test('a bad query is a typed error', async () => {
  const client = createPrometheusClient({ url: prom.url });
  await assert.rejects(client.queryVector('sum(', { signal }), (e: unknown) => e instanceof PrometheusError && e.code === 'KRM_PROM_QUERY_FAILED' && e.errorType === 'bad_data');
});

test('auto selects Prometheus while it is reachable and has the families', async () => {
  const http = createKubeClient({ kubeconfigYaml: kubeconfigFor(sim.server), qps: 0 }).request;
  const selector = createSourceSelector({
    prometheus: createPrometheusSource({ client: createPrometheusClient({ url: prom.url }) }),
    metricsServer: createMetricsServerSource({ http }),
  });
  const { snapshot, state } = await selector.collect({ nowMs: Date.now(), signal });
  assert.equal(snapshot?.source, 'prometheus');
  assert.equal(state.active, 'prometheus');
  assert.equal(state.sources.find((s) => s.name === 'prometheus')?.status, 'healthy');
  assert.equal(state.sources.find((s) => s.name === 'metrics-server')?.status, 'unknown');
  assert.equal(state.sources.find((s) => s.name === 'kubelet')?.status, 'disabled');
});
