// SPDX-License-Identifier: Apache-2.0
// One-shot `krm report` end to end: the demo's past built into a real Prometheus (krm sim history → promtool), the
// simulated cluster serving the objects, and the report reading history straight from Prometheus with a handful of
// aggregated range queries. First the Prometheus-backed SeriesReader against Prometheus itself, then the CLI.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubeconfigFor, startSimulationServer } from '../../src/sim/index.ts';
import { createRangeQuerier } from '../../src/sources/prometheus/range-query.ts';
import { PrometheusSeriesReader } from '../../src/sources/prometheus/series-reader.ts';
import { startHistoryPrometheus, type HistoryPrometheus } from '../support/history-prometheus.ts';
import { runKrm } from '../support/krm-cli.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const STEP = 5 * MIN;
// CPU and working set (what rightsizing reads) and volume fill: a day of them at 5 minutes builds in seconds.
const FAMILIES = ['container_cpu_usage_seconds_total', 'container_memory_working_set_bytes', 'kubelet_volume_stats_used_bytes', 'kubelet_volume_stats_capacity_bytes'];

let prom: HistoryPrometheus;

before(async () => {
  prom = await startHistoryPrometheus({ days: 1, stepSec: STEP / 1000, families: FAMILIES });
});
after(async () => {
  await prom?.stop();
});

test('the Prometheus SeriesReader answers under the collector’s keys with a few cached, aggregated queries', { timeout: 60_000 }, async () => {
  const nowMs = Date.now();
  const reader = new PrometheusSeriesReader({
    querier: createRangeQuerier({ url: prom.url }),
    cluster: 'acme',
    fromMs: nowMs - 24 * HOUR,
    toMs: nowMs,
    stepMs: STEP,
    // A test resolver: the demo's Deployment pods are `<name>-<hash>-<suffix>`.
    workloadOf: (ns, pod) => `${ns}/Deployment/${pod.split('-').slice(0, -2).join('-')}`,
  });
  const shop = await reader.findSeries({ kind: 'container', entityPrefix: 'shop/', metrics: ['cpu_m', 'mem_ws_b'] });
  assert.ok(shop.length > 10, `shop containers: ${shop.length}`);
  assert.ok(shop.every((s) => s.cluster === 'acme' && s.entity.split('/').length === 3 && s.entity.startsWith('shop/')));
  // One label-values lookup for the namespaces and one range query per metric of the namespace.
  assert.equal(reader.stats().queries, 3);

  // A raw point equals Prometheus's own answer at that grid time.
  const s = shop.find((x) => x.metric === 'mem_ws_b' && x.entity.endsWith('/app')) ?? shop.find((x) => x.metric === 'mem_ws_b');
  assert.ok(s);
  const raw = await reader.query({ seriesIds: [s.id], fromMs: nowMs - 2 * HOUR, toMs: nowMs, stepMs: 1000, tier: 'raw' });
  const p = raw.series[0]?.points.at(-3);
  assert.ok(p && p.count === 1, JSON.stringify(raw.series[0]?.points.slice(-3)));
  const [ns, pod, container] = s.entity.split('/');
  const direct = await prom.query(`max(container_memory_working_set_bytes{namespace="${ns}", pod="${pod}", container="${container}"} @ ${p.tsMs / 1000})`);
  assert.equal(p.mean, Number(direct[0]?.value[1]));

  // Hourly points over the day with exact p95s, as rightsizing reads them; answered from the cache.
  const hourly = await reader.query({ selector: { kind: 'container', entityPrefix: 'shop/', metrics: ['cpu_m'] }, fromMs: nowMs - 24 * HOUR, toMs: nowMs, stepMs: HOUR, quantiles: [0.95] });
  assert.equal(hourly.stepMs, HOUR);
  const points = hourly.series[0]?.points ?? [];
  assert.ok(points.length >= 23 && points.length <= 25, `hourly points: ${points.length}`);
  for (const x of points) assert.ok(x.count <= 12 && x.min <= (x.quantiles?.[0] ?? NaN) && (x.quantiles?.[0] ?? NaN) <= x.max);
  assert.equal(reader.stats().queries, 3);

  // Totals cost no query: the namespace's CPU is the sum of its containers', and matches Prometheus's sum.
  const [nsCpu] = await reader.findSeries({ kind: 'namespace', entity: 'shop', metrics: ['cpu_m'] });
  assert.ok(nsCpu);
  assert.equal(reader.stats().queries, 3);
  const at = await reader.query({ seriesIds: [nsCpu.id], fromMs: p.tsMs, toMs: p.tsMs + STEP, stepMs: STEP });
  const sum = await prom.query(`sum(rate(container_cpu_usage_seconds_total{namespace="shop", container!="", container!="POD"}[5m] @ ${p.tsMs / 1000}))`);
  const expected = Number(sum[0]?.value[1]) * 1000;
  assert.ok(Math.abs((at.series[0]?.points[0]?.mean ?? NaN) - expected) <= expected * 1e-6, `${at.series[0]?.points[0]?.mean} vs ${expected}`);
  const workloads = await reader.findSeries({ kind: 'workload', entityPrefix: 'shop/Deployment/', metrics: ['pods'] });
  assert.ok(workloads.length >= 2, workloads.map((w) => w.entity).join());

  // Node and PVC series come from the cluster-wide queries; the cluster total needs every namespace.
  const pvcs = await reader.findSeries({ kind: 'pvc', metrics: ['used_b', 'capacity_b'] });
  assert.ok(pvcs.some((x) => x.entity.startsWith('data/')), pvcs.map((x) => x.entity).join());
  const before = reader.stats().queries;
  assert.equal(before, 5, 'two PVC queries more');
  const cluster = await reader.findSeries({ kind: 'cluster' });
  assert.deepEqual(cluster.map((x) => x.metric).sort(), ['cpu_m', 'mem_ws_b', 'pods']);
  const namespaces = new Set((await reader.findSeries({ kind: 'container' })).map((x) => x.entity.split('/')[0]));
  assert.ok(namespaces.size >= 8);
  // Every container query is per namespace and metric: at most 4 per namespace (CPU, working set, RSS, throttling).
  assert.ok(reader.stats().queries <= 1 + 4 + namespaces.size * 4, `queries: ${reader.stats().queries}`);
});

const krmReport = (args: readonly string[]) => runKrm(['report', ...args]);

test('krm report --prometheus --kubeconfig: one-shot recommendations for the demo’s workloads', { timeout: 90_000 }, async () => {
  const simulation = await startSimulationServer({ scenario: 'demo', port: 0, speed: 1 });
  const dir = mkdtempSync(join(tmpdir(), 'krm-report-'));
  try {
    const kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, kubeconfigFor(simulation.server));
    const r = await krmReport(['--prometheus', prom.url, '--kubeconfig', kubeconfig, '--window', '1d', '--format', 'json', '--cluster-name', 'acme']);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as {
      source: string;
      prometheusQueries: number;
      recommendations: Array<{ namespace: string; workload: string; container: string; recommended?: { cpuRequest?: number; memRequest?: number } }>;
    };
    assert.equal(doc.source, 'prometheus');
    const workloads = new Set(doc.recommendations.map((x) => `${x.namespace}/${x.workload}`));
    assert.ok(workloads.size >= 5, [...workloads].join(', '));
    assert.ok([...workloads].some((w) => w.startsWith('shop/')), [...workloads].join(', '));
    assert.ok(doc.recommendations.every((x) => (x.recommended?.cpuRequest ?? 0) > 0 && (x.recommended?.memRequest ?? 0) > 0));
    // A handful of queries: per namespace and metric, never per container.
    const containers = doc.recommendations.length;
    assert.ok(doc.prometheusQueries > 0 && doc.prometheusQueries <= 60, `queries: ${doc.prometheusQueries} for ${containers} recommendations`);

    // -n restricts both the report and the queries.
    const shop = await krmReport(['--prometheus', prom.url, '--kubeconfig', kubeconfig, '--window', '1d', '--format', 'json', '--cluster-name', 'acme', '-n', 'shop']);
    assert.equal(shop.code, 0, shop.stderr);
    const shopDoc = JSON.parse(shop.stdout) as typeof doc;
    assert.ok(shopDoc.recommendations.length > 0 && shopDoc.recommendations.every((x) => x.namespace === 'shop'));
    assert.ok(shopDoc.prometheusQueries <= 1 + 4 + 4, `queries with -n shop: ${shopDoc.prometheusQueries}`);
  } finally {
    await simulation.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
