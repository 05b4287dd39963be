// SPDX-License-Identifier: Apache-2.0
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { METRIC, type SeriesPoint } from '../domain/series.ts';
import { loadScenario } from '../sim/model/scenario/load.ts';
import { Simulation } from '../sim/simulation.ts';
import { SqliteSampleStore } from '../store/sample-store.ts';
import { readRequestsGrid } from './analysis/requests-history.ts';
import { seedHistory, type HistorySeedReport } from './history-seed.ts';
import { TotalsAccumulator } from './history-seed-totals.ts';

const FIVE_MIN = 300_000;
const dir = mkdtempSync(join(tmpdir(), 'krm-history-seed-totals-'));
const simulation = new Simulation(loadScenario('demo'), { speed: 60 });
const { built } = simulation;
const namespaces = [...new Set(built.containers.map((c) => c.namespace))].sort();
// Every other namespace, so that the totals and the pod history must follow `include`.
const picked = new Set(namespaces.filter((_, i) => i % 2 === 0));
const include = (c: { namespace: string }): boolean => picked.has(c.namespace);
const selected = built.containers.filter(include);
let store: SqliteSampleStore;
let report: HistorySeedReport;

before(async () => {
  store = await SqliteSampleStore.open({ path: join(dir, 'totals.sqlite') });
  // A one-minute seed with five-minute totals, in small node groups: a namespace's pods spread over several groups.
  report = await seedHistory({ simulation, store, cluster: 'c1', days: 1, stepMs: 60_000, include, groupContainers: 20, podHistory: store.history });
});

after(async () => {
  simulation.stop();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function raw(kind: 'container' | 'namespace' | 'cluster', entity: string, metric: string): Promise<readonly SeriesPoint[]> {
  const res = await store.query({ selector: { cluster: 'c1', kind, entity, metrics: [metric] }, fromMs: report.fromMs - FIVE_MIN, toMs: report.toMs + 1, stepMs: 60_000, tier: 'raw' });
  return res.series[0]?.points ?? [];
}

/** The collector's totals of `containers` averaged over five minutes: per-minute sums, their mean per bucket. */
async function expectedTotals(containers: typeof selected): Promise<Map<number, { cpu: number; memory: number; pods: number }>> {
  const minutes = new Map<number, { cpu: number; memory: number; pods: Set<string> }>();
  for (const c of containers) {
    const entity = `${c.namespace}/${c.pod}/${c.container}`;
    const memory = new Map((await raw('container', entity, METRIC.memoryWorkingSetBytes)).map((p) => [p.tsMs, p.mean]));
    for (const p of await raw('container', entity, METRIC.cpuMillicores)) {
      const m = minutes.get(p.tsMs) ?? { cpu: 0, memory: 0, pods: new Set<string>() };
      minutes.set(p.tsMs, m);
      m.cpu += p.mean;
      m.memory += memory.get(p.tsMs) ?? Number.NaN;
      m.pods.add(c.pod);
    }
  }
  const buckets = new Map<number, { cpu: number; memory: number; pods: number; n: number }>();
  for (const [tsMs, m] of minutes) {
    const start = Math.floor(tsMs / FIVE_MIN) * FIVE_MIN;
    const b = buckets.get(start) ?? { cpu: 0, memory: 0, pods: 0, n: 0 };
    buckets.set(start, b);
    b.cpu += m.cpu;
    b.memory += m.memory;
    b.pods += m.pods.size;
    b.n++;
  }
  return new Map([...buckets].map(([ts, b]) => [ts, { cpu: b.cpu / b.n, memory: b.memory / b.n, pods: b.pods / b.n }]));
}

test('writes namespace and cluster totals with the collector\'s keys, for the selected namespaces only', async () => {
  const seeded = new Set(selected.map((c) => c.namespace));
  assert.ok(seeded.size >= 2 && seeded.size < namespaces.length);
  for (const metric of [METRIC.cpuMillicores, METRIC.memoryWorkingSetBytes, METRIC.pods]) {
    const ns = await store.findSeries({ cluster: 'c1', kind: 'namespace', metrics: [metric] });
    assert.deepEqual(ns.map((s) => s.entity).sort(), [...seeded].sort(), metric);
    const cluster = await store.findSeries({ cluster: 'c1', kind: 'cluster', metrics: [metric] });
    assert.deepEqual(cluster.map((s) => s.entity), ['c1'], metric);
  }
  const nodes = new Set(selected.map((c) => c.node));
  assert.equal(report.series, 2 * (selected.length + nodes.size) + 3 * (seeded.size + 1));
});

test('a namespace total is the five-minute mean of its containers\' per-minute sums, and the pods with a sample', async () => {
  // The namespace with the most pods, so that the sum crosses node groups.
  const counts = new Map<string, number>();
  for (const c of selected) counts.set(c.namespace, (counts.get(c.namespace) ?? 0) + 1);
  const namespace = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0] as string;
  const containers = selected.filter((c) => c.namespace === namespace);
  assert.ok(new Set(containers.map((c) => c.pod)).size > 1, 'several pods');
  const expected = await expectedTotals(containers);
  const cpu = await raw('namespace', namespace, METRIC.cpuMillicores);
  const memory = new Map((await raw('namespace', namespace, METRIC.memoryWorkingSetBytes)).map((p) => [p.tsMs, p.mean]));
  const pods = new Map((await raw('namespace', namespace, METRIC.pods)).map((p) => [p.tsMs, p.mean]));
  // Raw samples for the whole (one-day) window: 288 five-minute totals, give or take the partial edges.
  assert.ok(cpu.length >= 287 && cpu.length <= 289, `${cpu.length} totals`);
  let compared = 0;
  for (const p of cpu) {
    const e = expected.get(Math.floor(p.tsMs / FIVE_MIN) * FIVE_MIN);
    assert.ok(e !== undefined, `a total at ${p.tsMs} without container samples in its five minutes`);
    // The store keeps millicores to 0.001 and bytes to 1: the sum of rounded values differs by that per container.
    assert.ok(Math.abs(p.mean - e.cpu) <= 0.001 * containers.length, `cpu at ${p.tsMs}: ${p.mean} vs ${e.cpu}`);
    assert.ok(Math.abs((memory.get(p.tsMs) as number) - e.memory) <= containers.length, `memory at ${p.tsMs}`);
    assert.ok(Math.abs((pods.get(p.tsMs) as number) - e.pods) < 1e-9, `pods at ${p.tsMs}`);
    compared++;
  }
  assert.equal(compared, expected.size, 'a total for every five minutes with container samples');
  assert.ok([...expected.values()].some((e) => e.cpu > 0 && e.pods > 1));
});

test('the cluster total is the sum of the namespace totals at every step', async () => {
  const cluster = await raw('cluster', 'c1', METRIC.cpuMillicores);
  const sums = new Map<number, number>();
  for (const ns of new Set(selected.map((c) => c.namespace))) {
    for (const p of await raw('namespace', ns, METRIC.cpuMillicores)) sums.set(p.tsMs, (sums.get(p.tsMs) ?? 0) + p.mean);
  }
  assert.equal(cluster.length, sums.size);
  // Within the rounding of every namespace's stored value (0.001 m each), not re-derived from the containers.
  for (const p of cluster) assert.ok(Math.abs(p.mean - (sums.get(p.tsMs) as number)) <= 0.001 * picked.size, `cluster at ${p.tsMs}`);
});

test('records the selected pods with their requests, so that the requests history has groups', async () => {
  const pods = new Set(selected.map((c) => `${c.namespace}/${c.pod}`));
  assert.equal(report.pods, pods.size);
  const grid = await readRequestsGrid({ lifecycle: store.history, cluster: 'c1', fromMs: report.fromMs, toMs: report.toMs, stepMs: 3_600_000 });
  assert.equal(grid.truncated, false);
  assert.ok(grid.startMs !== undefined && grid.startMs - report.fromMs < 3_600_000, 'the history starts when the window opens');
  assert.ok(grid.steps >= 23);
  const keys = [...grid.groups.keys()];
  assert.ok(keys.includes('cluster'));
  assert.deepEqual(keys.filter((k) => k.startsWith('ns:')).sort(), [...new Set(selected.map((c) => `ns:${c.namespace}`))].sort());
  // At the last step, Σ requests is that of the selected containers whose pod was created by then (a pod's requests
  // count from its creation, which can precede its containers' start by less than a step: the recorded creation).
  const last = grid.steps - 1;
  const recorded = await store.history.queryPods({ cluster: 'c1', limit: 10_000 });
  const createdAt = new Map(recorded.items.map((p) => [`${p.namespace}/${p.name}`, p.createdAtMs ?? p.firstSeenMs]));
  const running = selected.filter((c) => (createdAt.get(`${c.namespace}/${c.pod}`) as number) <= (grid.startMs as number) + last * grid.stepMs);
  const cpu = running.reduce((s, c) => s + c.requests.cpuCores * 1000, 0);
  const memory = running.reduce((s, c) => s + c.requests.memoryBytes, 0);
  assert.ok(cpu > 0);
  assert.ok(Math.abs((grid.groups.get('cluster')?.cpu[last] as number) - cpu) < 1e-6, 'cluster cpu requests');
  assert.equal(grid.groups.get('cluster')?.memory[last], memory);
});

test('the totals\' step must be a multiple of the seed\'s step that divides the hour', () => {
  const grid = { fromMs: 0, stepMs: 60_000, steps: 10 };
  assert.throws(() => new TotalsAccumulator(grid, 90_000), RangeError);
  assert.throws(() => new TotalsAccumulator(grid, 420_000), RangeError);
  assert.equal(new TotalsAccumulator(grid, 600_000).stepMs, 600_000);
  // With nothing added, no series: a reused database is not written to.
  assert.deepEqual(new TotalsAccumulator(grid, 300_000).columns('c1'), []);
});
