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

test('seeds the kubelet source\'s series of every container, node and mounted claim once, ending before the start', async () => {
  const simulation = new Simulation(loadScenario('demo'), { speed: 60 });
  const store = await SqliteSampleStore.open({ path: join(dir, 'db.sqlite') });
  try {
    const report = await seedDemoHistory({ simulation, store, cluster: 'c1', days: 1, stepMs: 300_000 });
    const { built } = simulation;
    assert.equal(report.seeded, true);
    const workloads = await store.findSeries({ cluster: 'c1', kind: 'workload', metrics: [METRIC.cpuMillicores] });
    const namespaces = await store.findSeries({ cluster: 'c1', kind: 'namespace', metrics: [METRIC.cpuMillicores] });
    // Containers: CPU, working set and, with a CPU limit, the throttled ratio; nodes: CPU, working set, filesystem
    // used and capacity; mounted claims: used and capacity; workloads, namespaces and the cluster: CPU, working set
    // and the pod count.
    const limited = built.containers.filter((c) => (c.limits.cpuCores ?? 0) > 0).length;
    const mounted = built.volumes.filter((v) => v.pod !== undefined).length;
    assert.ok(limited > 0 && mounted > 0);
    const totals = 3 * (workloads.length + namespaces.length + 1);
    assert.equal(report.series, 2 * built.containers.length + limited + 4 * built.nodes.length + 2 * mounted + totals);
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

test('throttling from the CFS counters, volumes filling up to the live fill, containers only from their start', async () => {
  const simulation = new Simulation(loadScenario('demo'), { speed: 60 });
  const store = await SqliteSampleStore.open({ path: join(dir, 'kinds.sqlite') });
  try {
    const report = await seedDemoHistory({ simulation, store, cluster: 'c1', days: 1, stepMs: 60_000 });
    const { built } = simulation;
    const range = { fromMs: report.fromMs, toMs: report.toMs + 1, stepMs: 300_000, tier: '5m' } as const;
    const ratios = await store.query({ ...range, selector: { kind: 'container', metrics: [METRIC.throttleRatio] } });
    const byPod = (prefix: string) => ratios.series.filter((s) => s.series.entity.startsWith(prefix));
    // fraud-detector's demand is 2.5 times its limit: every period is throttled (since its start, at least 2 h before
    // the scenario's: its rollout age is random).
    const fraud = byPod('payments/fraud-detector-');
    assert.equal(fraud.length, 1);
    assert.ok((fraud[0]?.points.length ?? 0) >= 20 && fraud[0]?.points.every((p) => p.mean === 1), JSON.stringify(fraud[0]?.points.length));
    // payments-api runs far below its 1-core limit: no throttling.
    const api = byPod('payments/payments-api-');
    assert.ok(api.length > 0 && api.every((s) => s.points.length > 0 && s.points.every((p) => p.mean === 0)));
    // No container is seen before it started: its first sample (and its first ratio) comes after its start.
    const started = new Map(built.containers.map((c) => [`${c.namespace}/${c.pod}/${c.container}`, c.startedAtMs]));
    const cpu = await store.query({ ...range, selector: { kind: 'container', metrics: [METRIC.cpuMillicores] } });
    // A container that started after the window's last step (a job run in the last minute before the scenario's
    // start) has its series but nothing in it yet: the first collection brings its first sample.
    const young = cpu.series.filter((s) => (started.get(s.series.entity) ?? 0) > report.fromMs && s.points.length > 0);
    assert.ok(young.length > 0, 'some containers started within the day');
    // (5-minute points are stamped with their bucket's start: the first is the bucket holding the start.)
    for (const s of young) assert.ok((s.points[0]?.tsMs ?? 0) > (started.get(s.series.entity) ?? 0) - 300_000, s.series.entity);
    for (const s of ratios.series.filter((x) => (started.get(x.series.entity) ?? 0) > report.fromMs)) {
      // Not the stale-counter artefact (a container simulated from the window's start looks fully throttled when it
      // starts); spiky containers near their limit are throttled a few percent at their peaks, which is real.
      assert.ok(s.points.every((p) => p.mean < 0.5 || s.series.entity.startsWith('payments/fraud-detector-')), `${s.series.entity} throttled at its start`);
    }
    // Kafka's claims grow linearly and end at the fill the live simulation starts from.
    const kafka = built.volumes.find((v) => v.claim === 'data-kafka-0');
    assert.ok(kafka);
    const used = await store.query({ ...range, selector: { kind: 'pvc', entity: 'data/data-kafka-0', metrics: [METRIC.usedBytes] } });
    const points = used.series[0]?.points ?? [];
    assert.ok(points.length > 12, `${points.length} points`);
    const last = points.at(-1) as { tsMs: number; mean: number };
    // The last 5-minute mean trails the end by up to one bucket's growth (where the end falls in the bucket varies).
    assert.ok(Math.abs(last.mean - kafka.initialUsedBytes) <= kafka.fillBytesPerHour / 12, `${last.mean} vs ${kafka.initialUsedBytes}`);
    const slopePerHour = ((last.mean - (points[0]?.mean ?? 0)) / (last.tsMs - (points[0]?.tsMs ?? 0))) * 3_600_000;
    assert.ok(Math.abs(slopePerHour - kafka.fillBytesPerHour) / kafka.fillBytesPerHour < 0.01, `${slopePerHour} B/h`);
    const capacity = await store.query({ ...range, selector: { kind: 'pvc', entity: 'data/data-kafka-0', metrics: [METRIC.capacityBytes] } });
    assert.ok(capacity.series[0]?.points.every((p) => p.mean === kafka.capacityBytes));
    const nodeFs = await store.findSeries({ cluster: 'c1', kind: 'node', metrics: [METRIC.usedBytes, METRIC.capacityBytes] });
    assert.equal(nodeFs.length, 2 * built.nodes.length);
  } finally {
    await store.close();
  }
});
