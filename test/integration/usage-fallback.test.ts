// SPDX-License-Identifier: Apache-2.0
// Source fallback against the simulated cluster: with Prometheus configured on a closed port, `auto` collects from
// metrics-server, reports Prometheus unhealthy with a transport error, and says why it fell back; with
// metrics-server gone as well (a client of a stopped API server), nothing is active and every source is unhealthy.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { kubeconfigFor, startSimulationServer, type RunningSimulation } from '../../src/sim/index.ts';
import { createKubeClient } from '../../src/sources/kube/client.ts';
import { createPrometheusClient } from '../../src/sources/prometheus/client.ts';
import { createKubeletSummarySource } from '../../src/sources/usage/kubelet-summary.ts';
import { createMetricsServerSource } from '../../src/sources/usage/metrics-server.ts';
import { createPrometheusSource } from '../../src/sources/usage/prometheus.ts';
import { createSourceSelector, type SelectionState } from '../../src/sources/usage/select-source.ts';
import { freePort } from '../support/prometheus.ts';

let sim: RunningSimulation;
let http: ReturnType<typeof createKubeClient>['request'];
let closedUrl: string;
const signal = new AbortController().signal;

before(async () => {
  sim = await startSimulationServer({ scenario: 'demo', port: 0 });
  http = createKubeClient({ kubeconfigYaml: kubeconfigFor(sim.server), qps: 0 }).request;
  closedUrl = `http://127.0.0.1:${await freePort()}`;
});

after(async () => {
  await sim.stop();
});

const statusOf = (state: SelectionState, name: string): string | undefined => state.sources.find((s) => s.name === name)?.status;

test('Prometheus down: auto falls back to metrics-server and reports Prometheus unhealthy', async () => {
  const switches: string[] = [];
  const selector = createSourceSelector({
    prometheus: createPrometheusSource({ client: createPrometheusClient({ url: closedUrl }) }),
    metricsServer: createMetricsServerSource({ http }),
    kubelet: createKubeletSummarySource({ http, nodes: () => sim.simulation.store.list('nodes').map((n) => n.metadata.name) }),
    onSwitch: (c) => switches.push(`${c.from ?? '-'}→${c.to ?? '-'}`),
  });
  const { snapshot, state } = await selector.collect({ nowMs: Date.now(), signal });
  assert.equal(snapshot?.source, 'metrics-server');
  assert.ok((snapshot?.containers.length ?? 0) > 0);
  assert.equal(state.active, 'metrics-server');
  assert.equal(statusOf(state, 'prometheus'), 'unhealthy');
  assert.match(state.sources[0]?.reason ?? '', /^KRM_PROM_TRANSPORT/);
  assert.equal(statusOf(state, 'metrics-server'), 'healthy');
  assert.equal(statusOf(state, 'kubelet'), 'unknown');
  assert.match(state.reason, /fell back from prometheus/);
  assert.deepEqual(switches, ['-→metrics-server']);
  assert.deepEqual(selector.state(), state);
});

test('forced kubelet mode uses only the kubelet', async () => {
  const selector = createSourceSelector({
    mode: 'kubelet',
    metricsServer: createMetricsServerSource({ http }),
    kubelet: createKubeletSummarySource({ http, nodes: () => sim.simulation.store.list('nodes').map((n) => n.metadata.name) }),
  });
  const { snapshot, state } = await selector.collect({ nowMs: Date.now(), signal });
  assert.equal(snapshot?.source, 'kubelet');
  assert.equal(statusOf(state, 'metrics-server'), 'disabled');
  assert.equal(statusOf(state, 'prometheus'), 'disabled');
});

test('every source down: no snapshot, nothing active, each source unhealthy', async () => {
  const deadHttp = createKubeClient({ kubeconfigYaml: kubeconfigFor({ url: closedUrl }), qps: 0 }).request;
  const selector = createSourceSelector({
    prometheus: createPrometheusSource({ client: createPrometheusClient({ url: closedUrl }) }),
    metricsServer: createMetricsServerSource({ http: deadHttp }),
    kubelet: createKubeletSummarySource({ http: deadHttp, nodes: () => ['node-1'] }),
  });
  const { snapshot, state } = await selector.collect({ nowMs: Date.now(), signal });
  assert.equal(snapshot, undefined);
  assert.equal(state.active, undefined);
  assert.deepEqual(state.sources.map((s) => s.status), ['unhealthy', 'unhealthy', 'unhealthy']);
  assert.match(state.sources[1]?.reason ?? '', /^KRM_KUBE_TRANSPORT/);
});
