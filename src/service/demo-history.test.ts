// SPDX-License-Identifier: Apache-2.0
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { METRIC } from '../domain/series.ts';
import { loadScenario } from '../sim/model/scenario/load.ts';
import { Simulation } from '../sim/simulation.ts';
import { SqliteSampleStore } from '../store/sample-store.ts';
import { seedDemoHistory } from './demo-history.ts';

const dir = mkdtempSync(join(tmpdir(), 'krm-demo-history-'));

after(() => {
  rmSync(dir, { recursive: true, force: true });
});

test('seeds CPU and working-set series of every container and node once, ending before the start', async () => {
  const simulation = new Simulation(loadScenario('demo'), { speed: 60 });
  const store = await SqliteSampleStore.open({ path: join(dir, 'db.sqlite') });
  try {
    const report = await seedDemoHistory({ simulation, store, cluster: 'c1', days: 1, stepMs: 300_000 });
    const { built } = simulation;
    assert.equal(report.seeded, true);
    const workloads = await store.findSeries({ cluster: 'c1', kind: 'workload', metrics: [METRIC.cpuMillicores] });
    const namespaces = await store.findSeries({ cluster: 'c1', kind: 'namespace', metrics: [METRIC.cpuMillicores] });
    // Containers and nodes: CPU and working set; workloads, namespaces and the cluster: those and the pod count.
    assert.equal(report.series, 2 * (built.containers.length + built.nodes.length) + 3 * (workloads.length + namespaces.length + 1));
    assert.ok(workloads.length > 0 && workloads.every((s) => /^[^/]+\/[A-Za-z]+\/[^/]+$/.test(s.entity)), 'namespace/Kind/name');
    assert.ok(report.toMs < built.nowMs && report.toMs - report.fromMs === 86_400_000);
    const cpu = await store.findSeries({ cluster: 'c1', kind: 'container', metrics: [METRIC.cpuMillicores] });
    assert.equal(cpu.length, built.containers.length);
    const nodeMem = await store.findSeries({ cluster: 'c1', kind: 'node', metrics: [METRIC.memoryWorkingSetBytes] });
    assert.deepEqual(nodeMem.map((s) => s.entity).sort(), built.nodes.map((n) => n.name).sort());
    // The cluster total is the sum of the containers, step by step.
    const range = { fromMs: report.fromMs, toMs: report.toMs + 1, stepMs: 300_000, tier: 'raw' } as const;
    const containers = await store.query({ ...range, selector: { kind: 'container', metrics: [METRIC.cpuMillicores] } });
    const sums = new Map<number, number>();
    for (const s of containers.series) for (const p of s.points) sums.set(p.tsMs, (sums.get(p.tsMs) ?? 0) + p.mean);
    const total = await store.query({ ...range, selector: { kind: 'cluster', entity: 'c1', metrics: [METRIC.cpuMillicores] } });
    const points = total.series[0]?.points ?? [];
    assert.equal(points.length, sums.size);
    for (const p of points) assert.ok(Math.abs(p.mean - (sums.get(p.tsMs) ?? 0)) <= 1e-6 * p.mean + 1, `${p.tsMs}: ${p.mean} vs ${sums.get(p.tsMs)}`);
    const result = await store.query({ selector: { kind: 'node' }, fromMs: report.fromMs, toMs: built.nowMs, tier: 'raw' });
    assert.ok(result.series.every((s) => s.points.length > 0 && s.points.every((p) => p.tsMs <= report.toMs)));
    const again = await seedDemoHistory({ simulation, store, cluster: 'c1', days: 1, stepMs: 300_000 });
    assert.equal(again.seeded, false);
    assert.equal(simulation.usage.nowMs() <= simulation.nowMs(), true, 'the live engine did not move');
  } finally {
    await store.close();
  }
});
