// SPDX-License-Identifier: Apache-2.0
// A real Prometheus (Debian's package) scrapes the demo simulator: every series the monitor's queries name comes
// back non-empty, and promtool finds nothing wrong in the exposition.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { prometheusScrapeConfig, startSimulationServer, type RunningSimulation } from '../../src/sim/index.ts';
import { startPrometheus, type RunningPrometheus } from '../support/prometheus.ts';
import { promtoolPath } from '../support/tools.ts';

let sim: RunningSimulation;
let prom: RunningPrometheus;

before(async () => {
  // Real time: Prometheus stamps samples with its own clock, so counters must advance at wall-clock speed.
  sim = await startSimulationServer({ scenario: 'demo', port: 0, speed: 1 });
  prom = await startPrometheus({ config: prometheusScrapeConfig(sim.server.url, { interval: '3s' }) });
  for (let i = 0; i < 100; i++) {
    const up = await prom.query('up{job="krm-sim"} == 1');
    // Two scrapes are needed before rate() has two points; the 3 s interval (and scrape timeout) leaves a loaded
    // machine time to render the 4.5 MB exposition.
    if (up.length === 1 && (await prom.query('container_cpu_usage_seconds_total')).length > 0) {
      await new Promise((r) => setTimeout(r, 6500));
      return;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error('prometheus never scraped the simulator');
});

after(async () => {
  await prom?.stop();
  await sim?.stop();
});

test('promtool check metrics reports no problems for /metrics', async () => {
  const text = await (await fetch(`${sim.server.url}/metrics`)).text();
  const r = spawnSync(promtoolPath(), ['check', 'metrics'], { input: text, encoding: 'utf8' });
  // node-exporter's own names (node_memory_MemTotal_bytes, ...) are camelCase, and promtool's linter flags them
  // (exit 3) on a real node-exporter too; the monitor's queries need those exact names. Any other finding fails.
  const findings = `${r.stdout}${r.stderr}`.split('\n').filter((l) => l.trim() !== '');
  const unexpected = findings.filter((l) => !/^node_memory_\w+ metric names should be written in 'snake_case' not 'camelCase'$/.test(l.trim()));
  assert.deepEqual(unexpected, [], `promtool findings: ${findings.join('\n')}`);
  assert.ok(r.status === 0 || (r.status === 3 && findings.length > 0), `promtool exit ${r.status}`);
});

// [selector, comparison]: evaluated over the last two minutes with last_over_time, so that one slow scrape on a
// loaded machine (which marks the series stale) does not hide a series that Prometheus holds.
const SERIES: [string, string][] = [
  ['container_cpu_usage_seconds_total{container!=""}', ''],
  ['container_memory_working_set_bytes{container!=""}', ''],
  ['container_memory_rss{container!=""}', ''],
  ['container_cpu_cfs_periods_total', ''],
  ['container_cpu_cfs_throttled_periods_total', ''],
  ['container_network_receive_bytes_total', ''],
  ['container_fs_usage_bytes', ''],
  ['kube_pod_container_resource_requests{resource="cpu",unit="core"}', ''],
  ['kube_pod_container_resource_limits{resource="memory",unit="byte"}', ''],
  ['kube_pod_status_phase{phase="Pending"}', ' == 1'],
  ['kube_pod_container_status_restarts_total', ' > 0'],
  ['kube_pod_container_status_last_terminated_reason{reason="OOMKilled"}', ''],
  ['kube_pod_container_status_waiting_reason{reason="CrashLoopBackOff"}', ''],
  ['kube_node_status_allocatable{resource="cpu"}', ''],
  ['kube_node_status_capacity{resource="memory"}', ''],
  ['kube_node_status_condition{condition="Ready",status="true"}', ''],
  ['kube_resourcequota{type="hard"}', ''],
  ['kube_resourcequota{type="used"}', ''],
  ['kube_persistentvolumeclaim_info', ''],
  ['kube_deployment_spec_replicas', ''],
  ['kube_horizontalpodautoscaler_status_current_replicas', ''],
  ['kubelet_volume_stats_used_bytes', ''],
  ['kubelet_volume_stats_capacity_bytes', ''],
  ['node_cpu_seconds_total{mode="idle"}', ''],
  ['node_memory_MemAvailable_bytes', ''],
  ['node_filesystem_avail_bytes', ''],
];

test('Prometheus returns every series the monitor queries', async () => {
  for (const [selector, comparison] of SERIES) {
    const expr = `last_over_time(${selector}[2m])${comparison}`;
    const result = await prom.query(expr);
    assert.ok(result.length > 0, `no result for ${expr}`);
  }
});

test('the monitor\'s aggregated queries work on the scraped data', async () => {
  const cpu = await prom.query('sum by (namespace, pod, container) (rate(container_cpu_usage_seconds_total{container!="", container!="POD"}[5m]))');
  assert.ok(cpu.length > 50);
  assert.ok(cpu.some((s) => Number(s.value[1]) > 0), 'some container uses CPU');
  const throttled = await prom.query(
    'sum by (namespace, pod, container) (rate(container_cpu_cfs_throttled_periods_total{container!=""}[5m])) / sum by (namespace, pod, container) (rate(container_cpu_cfs_periods_total{container!=""}[5m])) > 0.25',
  );
  assert.ok(throttled.length >= 1, 'the demo has a throttled container');
  const nodeCpu = await prom.query('100 - (avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5m])) * 100)');
  assert.ok(nodeCpu.length >= 3);
});
