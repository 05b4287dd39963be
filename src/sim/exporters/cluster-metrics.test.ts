// SPDX-License-Identifier: Apache-2.0
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { clusterMetricFamilies, clusterMetricsBody, renderClusterMetrics } from './cluster-metrics.ts';
import type { ExporterContext } from './cluster-view.ts';
import { MapStore, TimeUsage } from './test-cluster.ts';
import { assertNoDuplicateSeries, familyMap, parseExposition, promtoolCheckMetrics, samplesWhere, type ParsedFamily } from './test-exposition.ts';
import { buildTestCluster, START_MS } from './test-objects.ts';

const NOW = START_MS + 3_600_000;

function context(nowMs = NOW): ExporterContext {
  const store = buildTestCluster(new MapStore());
  return { store, usage: new TimeUsage(store, nowMs), nowMs };
}

function render(ctx: ExporterContext = context()): string {
  return [...renderClusterMetrics(ctx)].join('');
}

const fixture = (name: string): string => readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8');

function labelNameSet(f: ParsedFamily): string[] {
  return [...new Set(f.samples.flatMap((s) => s.labelNames))].sort();
}

void describe('cluster /metrics', () => {
  const text = render();
  const families = familyMap(text);

  void it('passes promtool check metrics with only the unavoidable node-exporter lint', () => {
    const res = promtoolCheckMetrics(text);
    // Exit 3 means lint findings only (1 would be a parse error). The two findings are node-exporter's own
    // upstream names (node_memory_MemTotal_bytes, …), which the monitor's PromQL requires verbatim.
    assert.equal(res.status, 3, res.stderr);
    assert.deepEqual(res.problems.sort(), [
      "node_memory_MemAvailable_bytes metric names should be written in 'snake_case' not 'camelCase'",
      "node_memory_MemTotal_bytes metric names should be written in 'snake_case' not 'camelCase'",
    ]);
  });

  void it('passes promtool check metrics without any finding when node-exporter is served separately', () => {
    const ctx = context();
    const rest = [...renderClusterMetrics(ctx, ['cadvisor', 'kube-state-metrics', 'kubelet'])].join('');
    const res = promtoolCheckMetrics(rest);
    assert.equal(res.status, 0, res.problems.join('\n'));
    assert.deepEqual(res.problems, []);
    const nodeExporter = [...renderClusterMetrics(ctx, ['node-exporter'])].join('');
    assert.equal(familyMap(rest).size + familyMap(nodeExporter).size, families.size);
  });

  void it('writes each family once with HELP and TYPE, samples contiguous, no duplicate series', () => {
    const parsed = parseExposition(text);
    assert.equal(parsed.length, clusterMetricFamilies(context()).length);
    for (const f of parsed) {
      assert.ok(f.help !== undefined && f.type !== undefined, f.name);
      for (const s of f.samples) assert.equal(s.timestamp, undefined, `${f.name} must leave timestamps to Prometheus`);
    }
    assertNoDuplicateSeries(parsed);
  });

  void it('streams chunks and reports the 0.0.4 content type', () => {
    const body = clusterMetricsBody(context());
    assert.equal(body.contentType, 'text/plain; version=0.0.4; charset=utf-8');
    assert.equal(typeof body.body === 'string' ? body.body : [...body.body].join(''), text);
  });

  void it('has every series the monitor queries (REQUIREMENTS §1.5.2) with the labels it groups by', () => {
    const byPodContainer = ['container', 'namespace', 'pod'];
    for (const name of [
      'container_cpu_usage_seconds_total',
      'container_memory_working_set_bytes',
      'container_memory_rss',
      'container_cpu_cfs_throttled_periods_total',
      'container_cpu_cfs_periods_total',
      'container_cpu_cfs_throttled_seconds_total',
    ]) {
      const s = samplesWhere(families, name, { container: 'app' });
      assert.ok(s.length > 0, name);
      for (const label of byPodContainer) assert.ok(s[0]?.labelNames.includes(label), `${name} ${label}`);
    }
    for (const name of ['container_network_receive_bytes_total', 'container_network_transmit_bytes_total']) {
      assert.ok(samplesWhere(families, name, { namespace: 'shop', pod: 'db-0' }).length > 0, name);
    }
    for (const name of [
      'kube_pod_owner',
      'kube_replicaset_owner',
      'kube_node_status_capacity',
      'kube_node_status_condition',
      'kube_deployment_spec_replicas',
      'kube_deployment_status_replicas_available',
      'kube_statefulset_status_replicas_ready',
      'kube_daemonset_status_desired_number_scheduled',
      'kube_daemonset_status_number_ready',
      'node_filesystem_readonly',
      'node_disk_io_time_seconds_total',
      'node_network_receive_errs_total',
      'node_network_receive_drop_total',
      'kubelet_volume_stats_inodes_used',
      'kubelet_volume_stats_inodes',
    ]) {
      assert.ok((families.get(name)?.samples.length ?? 0) > 0, name);
    }
    assert.ok(samplesWhere(families, 'kube_node_status_allocatable', { resource: 'cpu', unit: 'core' }).length === 2);
    assert.ok(samplesWhere(families, 'kube_node_status_allocatable', { resource: 'memory', unit: 'byte' }).length === 2);
    assert.ok(samplesWhere(families, 'kube_pod_status_ready', { condition: 'false' }).length > 0);
  });
});

void describe('cluster /metrics against the 1.35 captures', () => {
  const ours = familyMap(render());

  void it('matches the kubelet cAdvisor families (TYPE, HELP, label names plus `node`)', () => {
    const real = familyMap(fixture('cadvisor-1_35.txt'));
    assert.equal(real.size, 18);
    for (const [name, want] of real) {
      const got = ours.get(name);
      assert.ok(got, `missing ${name}`);
      assert.equal(got.type, want.type, name);
      assert.equal(got.help, want.help, name);
      assert.deepEqual(labelNameSet(got), [...labelNameSet(want), 'node'].sort(), name);
    }
  });

  void it('matches the kube-state-metrics v2.19 families (TYPE, HELP, label names and order)', () => {
    const real = familyMap(fixture('ksm-1_35.txt'));
    for (const [name, want] of real) {
      const got = ours.get(name);
      assert.ok(got, `missing ${name}`);
      assert.equal(got.type, want.type, name);
      assert.equal(got.help, want.help, name);
      if (want.samples.length === 0 || got.samples.length === 0) continue;
      assert.deepEqual(labelNameSet(got), labelNameSet(want), name);
      // KSM does not sort labels: a sample with the same label names as a captured one lists them in the same order.
      const sequences = new Map(want.samples.map((s) => [[...s.labelNames].sort().join(), s.labelNames.join()]));
      for (const s of got.samples) {
        const real = sequences.get([...s.labelNames].sort().join());
        if (real !== undefined) assert.equal(s.labelNames.join(), real, name);
      }
    }
  });
});

void describe('cluster /metrics content', () => {
  const families = familyMap(render());

  void it('has cAdvisor rows for a running pod: pod cgroup, sandbox with the network, and each container', () => {
    const rows = samplesWhere(families, 'container_cpu_usage_seconds_total', { pod: 'web-6d4cf56db6-abcde' });
    assert.deepEqual(rows.map((s) => s.labels['container']).sort(), ['', '', 'app', 'sidecar']);
    const podRow = rows.find((s) => s.labels['image'] === '');
    const containers = rows.filter((s) => s.labels['container'] !== '');
    const pause = rows.find((s) => s.labels['image']?.startsWith('registry.k8s.io/pause'));
    assert.ok(podRow && pause);
    assert.equal(podRow.labels['node'], 'node-a');
    assert.equal(podRow.labels['cpu'], 'total');
    assert.ok(Math.abs(podRow.value - containers.reduce((a, s) => a + s.value, pause.value)) < 1e-6);
    const net = samplesWhere(families, 'container_network_receive_bytes_total', { pod: 'web-6d4cf56db6-abcde' });
    assert.equal(net.length, 1);
    assert.equal(net[0]?.labels['interface'], 'eth0');
    assert.equal(net[0]?.value, 3600 * 1500);
  });

  void it('gives CFS series and quotas only where a CPU limit exists', () => {
    const quota = samplesWhere(families, 'container_spec_cpu_quota', { pod: 'web-6d4cf56db6-abcde' });
    assert.deepEqual(quota.map((s) => [s.labels['container'], s.value]).sort(), [['', 55_000], ['app', 50_000], ['sidecar', 5000]]);
    assert.equal(samplesWhere(families, 'container_cpu_cfs_periods_total', { pod: 'crash' }).length, 0);
    const memLimit = samplesWhere(families, 'container_spec_memory_limit_bytes', { pod: 'web-6d4cf56db6-abcde', container: 'app' });
    assert.equal(memLimit[0]?.value, 256 * 1024 * 1024);
  });

  void it('reports requests defaulted from limits, as a real API server stores them', () => {
    const sidecar = { pod: 'web-6d4cf56db6-abcde', container: 'sidecar', resource: 'cpu', unit: 'core' };
    assert.equal(samplesWhere(families, 'kube_pod_container_resource_requests', sidecar)[0]?.value, 0.05);
    assert.equal(samplesWhere(families, 'kube_pod_container_resource_limits', sidecar)[0]?.value, 0.05);
    const app = { pod: 'web-6d4cf56db6-abcde', container: 'app', resource: 'memory', unit: 'byte' };
    assert.equal(samplesWhere(families, 'kube_pod_container_resource_requests', app)[0]?.value, 128 * 1024 ** 2);
  });

  void it('has no cAdvisor series for a Pending pod, but its kube-state-metrics series', () => {
    for (const f of families.values()) {
      if (f.name.startsWith('container_')) assert.equal(f.samples.filter((s) => s.labels['pod'] === 'pending-x').length, 0, f.name);
    }
    assert.equal(samplesWhere(families, 'kube_pod_status_phase', { pod: 'pending-x', phase: 'Pending' })[0]?.value, 1);
    assert.equal(samplesWhere(families, 'kube_pod_status_unschedulable', { pod: 'pending-x' })[0]?.value, 1);
    assert.equal(samplesWhere(families, 'kube_pod_info', { pod: 'pending-x' })[0]?.labels['node'], '');
    const req = samplesWhere(families, 'kube_pod_container_resource_requests', { pod: 'pending-x', resource: 'cpu', unit: 'core' });
    assert.equal(req[0]?.value, 0.1);
    assert.equal(samplesWhere(families, 'kube_pod_container_info', { pod: 'pending-x' }).length, 0);
  });

  void it('reports a crash-looping, OOM-killed container', () => {
    assert.equal(samplesWhere(families, 'kube_pod_container_status_waiting_reason', { pod: 'crash', reason: 'CrashLoopBackOff' })[0]?.value, 1);
    assert.equal(samplesWhere(families, 'kube_pod_container_status_last_terminated_reason', { pod: 'crash', reason: 'OOMKilled' })[0]?.value, 1);
    assert.equal(samplesWhere(families, 'kube_pod_container_status_last_terminated_exitcode', { pod: 'crash' })[0]?.value, 137);
    assert.equal(samplesWhere(families, 'kube_pod_container_status_restarts_total', { pod: 'crash' })[0]?.value, 3);
    // The pod cgroup survives the restarts and so keeps the OOM count; the dead container has no row.
    const oom = samplesWhere(families, 'container_oom_events_total', { pod: 'crash' });
    assert.deepEqual(oom.map((s) => [s.labels['container'], s.labels['image'] === '' ? 'pod' : 'pause', s.value]).sort(), [
      ['', 'pause', 0],
      ['', 'pod', 3],
    ]);
  });

  void it('reports quota hard and used values in cores and bytes', () => {
    const q = (resource: string, type: string): number | undefined =>
      samplesWhere(families, 'kube_resourcequota', { namespace: 'shop', resourcequota: 'compute', resource, type })[0]?.value;
    assert.equal(q('requests.cpu', 'hard'), 4);
    assert.equal(q('requests.cpu', 'used'), 1.5);
    assert.equal(q('requests.memory', 'hard'), 8 * 1024 ** 3);
    assert.equal(q('requests.memory', 'used'), 3 * 1024 ** 3);
    assert.equal(q('pods', 'used'), 4);
  });

  void it('reports the claim, its volume and its kubelet volume stats', () => {
    const claim = { namespace: 'shop', persistentvolumeclaim: 'data-db-0' };
    assert.equal(samplesWhere(families, 'kube_persistentvolumeclaim_info', { ...claim, volumename: 'pvc-0001', storageclass: 'standard' })[0]?.value, 1);
    assert.equal(samplesWhere(families, 'kube_persistentvolumeclaim_status_phase', { ...claim, phase: 'Bound' })[0]?.value, 1);
    assert.equal(samplesWhere(families, 'kube_persistentvolumeclaim_resource_requests_storage_bytes', claim)[0]?.value, 10 * 1024 ** 3);
    assert.equal(samplesWhere(families, 'kube_persistentvolume_capacity_bytes', { persistentvolume: 'pvc-0001' })[0]?.value, 10 * 1024 ** 3);
    const used = samplesWhere(families, 'kubelet_volume_stats_used_bytes', claim);
    assert.equal(used.length, 1);
    assert.equal(used[0]?.labels['node'], 'node-b');
    assert.equal(used[0]?.value, 2 * 1024 ** 3);
    assert.equal(samplesWhere(families, 'kubelet_volume_stats_available_bytes', claim)[0]?.value, 8 * 1024 ** 3);
  });

  void it('reports the HPA, workloads and jobs', () => {
    const hpa = { namespace: 'shop', horizontalpodautoscaler: 'web' };
    assert.equal(samplesWhere(families, 'kube_horizontalpodautoscaler_spec_min_replicas', hpa)[0]?.value, 2);
    assert.equal(samplesWhere(families, 'kube_horizontalpodautoscaler_spec_max_replicas', hpa)[0]?.value, 5);
    assert.equal(samplesWhere(families, 'kube_horizontalpodautoscaler_status_current_replicas', hpa)[0]?.value, 2);
    assert.equal(samplesWhere(families, 'kube_horizontalpodautoscaler_status_desired_replicas', hpa)[0]?.value, 3);
    assert.equal(samplesWhere(families, 'kube_horizontalpodautoscaler_status_condition', { ...hpa, condition: 'AbleToScale', status: 'true' })[0]?.value, 1);
    assert.equal(samplesWhere(families, 'kube_deployment_status_replicas_unavailable', { deployment: 'web' })[0]?.value, 0);
    assert.equal(samplesWhere(families, 'kube_replicaset_owner', { replicaset: 'web-6d4cf56db6', owner_kind: 'Deployment', owner_name: 'web' }).length, 1);
    assert.equal(samplesWhere(families, 'kube_pod_owner', { pod: 'db-0', owner_kind: 'StatefulSet', owner_is_controller: 'true' }).length, 1);
    assert.equal(samplesWhere(families, 'kube_job_status_failed', { job_name: 'migrate', reason: 'BackoffLimitExceeded' })[0]?.value, 1);
    assert.equal(samplesWhere(families, 'kube_job_owner', { job_name: 'report-29000000', owner_kind: 'CronJob' }).length, 1);
    assert.equal(samplesWhere(families, 'kube_cronjob_info', { cronjob: 'report', timezone: 'local', concurrency_policy: 'Forbid' }).length, 1);
    assert.equal(samplesWhere(families, 'kube_node_spec_taint', { node: 'node-b', key: 'dedicated', effect: 'NoSchedule' })[0]?.value, 1);
  });

  void it('has node-exporter series consistent with node usage, keyed by instance and node', () => {
    const cpu0 = samplesWhere(families, 'node_cpu_seconds_total', { node: 'node-a', cpu: '0' });
    assert.equal(cpu0.length, 8);
    assert.equal(cpu0[0]?.labels['instance'], '10.0.0.11:9100');
    const uptime = (NOW - Date.parse('2026-06-26T08:00:00Z')) / 1000;
    assert.ok(Math.abs(cpu0.reduce((a, s) => a + s.value, 0) - uptime) < 1e-6, 'modes add up to uptime');
    const idle = samplesWhere(families, 'node_cpu_seconds_total', { node: 'node-a', mode: 'idle' }).reduce((a, s) => a + s.value, 0);
    assert.ok(Math.abs(idle - (4 * uptime - 1.5 * uptime)) < 1e-6, 'idle = CPUs × uptime − busy');
    assert.equal(samplesWhere(families, 'node_memory_MemTotal_bytes', { node: 'node-a' })[0]?.value, 16 * 1024 ** 3);
    assert.equal(samplesWhere(families, 'node_memory_MemAvailable_bytes', { node: 'node-a' })[0]?.value, 12 * 1024 ** 3);
    const root = { node: 'node-a', mountpoint: '/', fstype: 'ext4' };
    assert.equal(samplesWhere(families, 'node_filesystem_size_bytes', root)[0]?.value, 100 * 1024 ** 3);
    assert.equal(samplesWhere(families, 'node_filesystem_avail_bytes', root)[0]?.value, 80 * 1024 ** 3);
    assert.equal(samplesWhere(families, 'node_uname_info', { nodename: 'node-b', instance: '10.0.0.12:9100' }).length, 1);
  });
});
