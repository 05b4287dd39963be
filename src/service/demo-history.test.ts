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
    assert.equal(report.series, 2 * (built.containers.length + built.nodes.length));
    assert.ok(report.toMs < built.nowMs && report.toMs - report.fromMs === 86_400_000);
    const cpu = await store.findSeries({ cluster: 'c1', kind: 'container', metrics: [METRIC.cpuMillicores] });
    assert.equal(cpu.length, built.containers.length);
    const nodeMem = await store.findSeries({ cluster: 'c1', kind: 'node', metrics: [METRIC.memoryWorkingSetBytes] });
    assert.deepEqual(nodeMem.map((s) => s.entity).sort(), built.nodes.map((n) => n.name).sort());
    const result = await store.query({ selector: { kind: 'node' }, fromMs: report.fromMs, toMs: built.nowMs, tier: 'raw' });
    assert.ok(result.series.every((s) => s.points.length > 0 && s.points.every((p) => p.tsMs <= report.toMs)));
    const again = await seedDemoHistory({ simulation, store, cluster: 'c1', days: 1, stepMs: 300_000 });
    assert.equal(again.seeded, false);
    assert.equal(simulation.usage.nowMs() <= simulation.nowMs(), true, 'the live engine did not move');
  } finally {
    await store.close();
  }
});
