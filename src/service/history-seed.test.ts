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
import { seedHistory } from './history-seed.ts';
import { DAY_MS } from '../domain/time.ts';

const dir = mkdtempSync(join(tmpdir(), 'krm-history-seed-'));

after(() => {
  rmSync(dir, { recursive: true, force: true });
});

test('seeds rollups over every day and raw chunks for the last one, in node groups, with the demo seeding\'s values', async () => {
  const simulation = new Simulation(loadScenario('demo'), { speed: 60 });
  const { built } = simulation;
  const namespaces = [...new Set(built.containers.map((c) => c.namespace))].sort();
  const picked = new Set(namespaces.filter((_, i) => i % 2 === 0));
  const include = (c: { namespace: string }): boolean => picked.has(c.namespace);
  const store = await SqliteSampleStore.open({ path: join(dir, 'grouped.sqlite') });
  const reference = await SqliteSampleStore.open({ path: join(dir, 'demo.sqlite') });
  try {
    const progress: number[] = [];
    // Small groups, so that several engines run and a wrong grouping would show in the values.
    const report = await seedHistory({ simulation, store, cluster: 'c1', days: 2, stepMs: 300_000, include, groupContainers: 20, onProgress: (p) => progress.push(p.containers) });
    const selected = built.containers.filter(include);
    const nodes = new Set(selected.map((c) => c.node));
    assert.ok(selected.length > 0 && selected.length < built.containers.length);
    // Containers and nodes, and the totals (CPU, working set, pods) of every seeded namespace and the cluster.
    assert.equal(report.series, 2 * (selected.length + nodes.size) + 3 * (picked.size + 1));
    assert.ok(progress.length > 1 && progress.at(-1) === selected.length, `groups: ${progress.join(', ')}`);
    assert.ok(report.toMs < built.nowMs && report.toMs - report.fromMs === 2 * DAY_MS);

    const cpu = await store.findSeries({ cluster: 'c1', kind: 'container', metrics: [METRIC.cpuMillicores] });
    assert.equal(cpu.length, selected.length);
    const old = selected.filter((c) => c.startedAtMs < report.fromMs);
    assert.ok(old.length > 0);
    const entity = `${old[0]?.namespace}/${old[0]?.pod}/${old[0]?.container}`;
    const range = { fromMs: report.fromMs, toMs: report.toMs + 1 };
    const raw = await store.query({ selector: { cluster: 'c1', kind: 'container', entity, metrics: [METRIC.cpuMillicores] }, ...range, stepMs: 300_000, tier: 'raw' });
    const rawPoints = raw.series[0]?.points ?? [];
    // Raw only for the last day: 288 five-minute samples, none older.
    assert.equal(rawPoints.length, 288);
    assert.ok(rawPoints.every((p) => p.tsMs > report.toMs - DAY_MS));
    const hourly = await store.query({ selector: { cluster: 'c1', kind: 'container', entity, metrics: [METRIC.cpuMillicores] }, ...range, stepMs: 3_600_000, tier: '1h' });
    const hours = hourly.series[0]?.points ?? [];
    assert.ok(hours.length >= 48 && (hours[0]?.tsMs ?? Infinity) < report.toMs - DAY_MS, 'rollups cover both days');

    // Grouping by node changes no container's numbers: the demo seeding (one engine for the cluster) agrees.
    await seedDemoHistory({ simulation, store: reference, cluster: 'c1', days: 2, stepMs: 300_000 });
    const same = await reference.query({ selector: { cluster: 'c1', kind: 'container', entity, metrics: [METRIC.cpuMillicores] }, ...range, stepMs: 3_600_000, tier: '1h' });
    assert.deepEqual(hours.map((p) => [p.tsMs, p.mean, p.max]), (same.series[0]?.points ?? []).map((p) => [p.tsMs, p.mean, p.max]));
  } finally {
    simulation.stop();
    await store.close();
    await reference.close();
  }
});
