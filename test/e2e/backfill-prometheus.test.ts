// SPDX-License-Identifier: Apache-2.0
// Backfill end to end: `krm sim history` writes the demo scenario's past as OpenMetrics, promtool turns it into TSDB
// blocks, a real Prometheus serves them, and the backfill imports that history with range queries into a fresh
// SQLite store under the collector's series keys. A second start on the same database imports nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config/load.ts';
import type { SeriesInfo } from '../../src/domain/series.ts';
import { createLogger } from '../../src/logging/logger.ts';
import { RecordingLogger } from '../../src/logging/recording-logger.ts';
import { createLifecycle } from '../../src/runtime/lifecycle.ts';
import { systemClock } from '../../src/runtime/clock.ts';
import { sleep } from '../../src/runtime/sleep.ts';
import { startService } from '../../src/service.ts';
import { runBackfill, type BackfillOptions, type BackfillProgress } from '../../src/service/backfill.ts';
import { kubeconfigFor, startSimulationServer } from '../../src/sim/index.ts';
import { createRangeQuerier } from '../../src/sources/prometheus/range-query.ts';
import { SqliteSampleStore } from '../../src/store/sample-store.ts';
import { startPrometheus } from '../support/prometheus.ts';
import { promtoolPath, repoRoot } from '../support/tools.ts';

const MIN = 60_000;
const CLUSTER = 'acme-prod';

/** `krm serve` with `prometheus.url` set on a fresh database: the service backfills before its loops start. */
async function serviceBackfill(dir: string, prometheusUrl: string): Promise<{ series: SeriesInfo[]; messages: string[] }> {
  const simulation = await startSimulationServer({ scenario: 'demo', port: 0, speed: 60 });
  const messages: string[] = [];
  const log = createLogger({ level: 'info', destination: { write: (line: string) => void messages.push(String((JSON.parse(line) as { message?: unknown }).message)) } });
  const env = { KRM_PROMETHEUS_URL: prometheusUrl, KRM_BACKFILL_WINDOW: '1h', KRM_BACKFILL_BATCH: '30m', KRM_CLUSTER_NAME: CLUSTER };
  const config = loadConfig({ flags: { port: '0', host: '127.0.0.1', db: join(dir, 'service.db') }, env, cwd: dir, readFile: () => undefined });
  const lifecycle = createLifecycle({ process: { on: () => undefined, removeListener: () => undefined, exit: () => undefined }, log });
  try {
    const running = await startService({ config, log, lifecycle, kubeconfigYaml: kubeconfigFor(simulation.server) });
    // The import runs in the background; collection starts only after it, so the node series found as soon as it
    // finished were written by the backfill.
    const deadline = Date.now() + 60_000;
    while (!messages.includes('history backfill finished') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const series = await running.store.findSeries({ cluster: CLUSTER, kind: 'node' });
    return { series, messages };
  } finally {
    await lifecycle.shutdown('test done');
    await simulation.stop();
  }
}

/** The stored raw value of a series at one grid point. */
async function storedAt(store: SqliteSampleStore, series: SeriesInfo, tsMs: number): Promise<number | undefined> {
  const r = await store.query({ seriesIds: [series.id], fromMs: tsMs, toMs: tsMs + MIN, stepMs: MIN, tier: 'raw' });
  const p = r.series[0]?.points.find((x) => x.tsMs === tsMs);
  return p?.mean;
}

test('backfill imports a real Prometheus’s history (built by krm sim history + promtool), once per database', { timeout: 120_000 }, async (t) => {
  // Each phase is noted as it begins: a run that hit the timeout once (machine under load, never reproduced) then says
  // where it waited.
  const phase = (name: string): void => t.diagnostic(`${new Date().toISOString()} ${name}`);
  const dir = mkdtempSync(join(tmpdir(), 'krm-backfill-'));
  const file = join(dir, 'history.om');
  // 0.05 d = 72 min of the demo at 60 s: the generator and promtool stay within the test budget.
  phase('krm sim history');
  execFileSync(process.execPath, [join(repoRoot, 'bin', 'krm.js'), 'sim', 'history', '--scenario', 'demo', '--days', '0.05', '--step', '60', '--output', file]);
  const dataDir = join(dir, 'data');
  phase('promtool tsdb create-blocks-from');
  execFileSync(promtoolPath(), ['tsdb', 'create-blocks-from', 'openmetrics', file, dataDir]);
  rmSync(file);
  phase('prometheus start');
  const prom = await startPrometheus({ config: 'global:\n  scrape_interval: 1h\nscrape_configs: []\n', dataDir });
  const dbPath = join(dir, 'krm.db');
  try {
    const store = await SqliteSampleStore.open({ path: dbPath });
    const log = new RecordingLogger();
    const progress: BackfillProgress[] = [];
    const opts: BackfillOptions = {
      store,
      querier: createRangeQuerier({ url: prom.url }),
      cluster: CLUSTER,
      windowMs: 2 * 60 * MIN,
      stepMs: MIN,
      batchMs: 20 * MIN,
      concurrency: 2,
      clock: systemClock,
      sleep,
      log,
      signal: new AbortController().signal,
      onProgress: (p) => progress.push(p),
    };
    const startedMs = Date.now();
    phase('backfill');
    const report = await runBackfill(opts);
    assert.equal(report.status, 'done');
    assert.ok(report.windows >= 6, `2 h in 20-minute windows, got ${report.windows}`);
    assert.ok(report.samples > 10_000, `samples: ${report.samples}`);

    // Progress: one callback per window, the last one complete; log lines with done/total, rate and ETA.
    assert.equal(progress.length, report.windows);
    assert.deepEqual(progress.map((p) => p.doneWindows), Array.from({ length: report.windows }, (_, i) => i + 1));
    assert.equal(progress.at(-1)?.totalWindows, report.windows);
    assert.equal(progress.at(-1)?.etaMs, 0);
    const started = log.of('backfill.started')[0];
    assert.ok(started && (started['namespaces'] as number) >= 8, 'the demo’s namespaces were found');
    const last = log.of('backfill.progress').at(-1);
    assert.equal(last?.['doneWindows'], report.windows);
    assert.equal(last?.['totalWindows'], report.windows);
    assert.ok((last?.['samplesPerSec'] as number) > 0);
    assert.equal(log.of('backfill.done').length, 1);

    // Series under the collector's keys: every container metric, nodes and PVCs.
    const all = await store.findSeries({ cluster: CLUSTER });
    const metricsOf = (kind: string): Set<string> => new Set(all.filter((s) => s.kind === kind).map((s) => s.metric));
    assert.deepEqual([...metricsOf('container')].sort(), ['cpu_m', 'mem_rss_b', 'mem_ws_b', 'throttle_ratio']);
    assert.deepEqual([...metricsOf('node')].sort(), ['cpu_m', 'mem_ws_b']);
    assert.ok(metricsOf('pvc').has('used_b') && metricsOf('pvc').has('capacity_b'));
    const containers = new Set(all.filter((s) => s.kind === 'container').map((s) => s.entity));
    assert.ok(containers.size > 100, `containers: ${containers.size}`);
    assert.ok([...containers].some((e) => e.startsWith('shop/') && e.endsWith('/app')));
    assert.ok(all.some((s) => s.kind === 'node' && s.entity === 'ip-10-0-general-00'));

    // Samples span the imported history: from its start (the OpenMetrics file begins 72 min ago) to the last minute.
    const nodeWs = all.find((s) => s.kind === 'node' && s.entity === 'ip-10-0-general-00' && s.metric === 'mem_ws_b');
    assert.ok(nodeWs);
    const span = await store.query({ seriesIds: [nodeWs.id], fromMs: startedMs - 3 * 60 * MIN, toMs: startedMs, stepMs: MIN, tier: 'raw' });
    const points = span.series[0]?.points ?? [];
    assert.ok(points.length >= 65, `about 72 one-minute points, got ${points.length}`);
    assert.ok((points[0]?.tsMs ?? 0) <= startedMs - 68 * MIN, 'reaches back to the start of the history');
    assert.ok((points.at(-1)?.tsMs ?? 0) >= startedMs - 3 * MIN, 'reaches up to the start of the run');

    phase('spot checks');
    // Spot check against Prometheus directly, at a grid point in the middle of the history.
    const t = Math.floor((startedMs - 30 * MIN) / MIN) * MIN;
    const container = all.find((s) => s.kind === 'container' && s.metric === 'mem_ws_b' && s.entity.startsWith('shop/'));
    assert.ok(container);
    const [ns, pod, name] = container.entity.split('/');
    const direct = await prom.query(
      `max(container_memory_working_set_bytes{namespace="${ns}", pod="${pod}", container="${name}"} @ ${t / 1000})`,
    );
    const expected = Number(direct[0]?.value[1]);
    const stored = await storedAt(store, container, t);
    assert.ok(stored !== undefined && Math.abs(stored - expected) <= 1, `stored ${stored} vs Prometheus ${expected}`);
    const nodeCpu = all.find((s) => s.kind === 'node' && s.entity === 'ip-10-0-general-00' && s.metric === 'cpu_m');
    assert.ok(nodeCpu);
    const cpu = await prom.query(`sum(rate(container_cpu_usage_seconds_total{id="/", node="ip-10-0-general-00"}[5m] @ ${t / 1000}))`);
    const cpuStored = await storedAt(store, nodeCpu, t);
    const cpuExpected = Number(cpu[0]?.value[1]) * 1000;
    assert.ok(cpuStored !== undefined && Math.abs(cpuStored - cpuExpected) <= Math.max(1, cpuExpected * 1e-3), `node cpu ${cpuStored} vs ${cpuExpected}`);

    phase('second backfill');
    // A second start on the same database: nothing imported, the stored samples unchanged.
    await store.close();
    const reopened = await SqliteSampleStore.open({ path: dbPath });
    try {
      const log2 = new RecordingLogger();
      const again = await runBackfill({ ...opts, store: reopened, log: log2, onProgress: undefined });
      assert.equal(again.status, 'skipped');
      assert.equal(again.samples, 0);
      assert.deepEqual(log2.of('backfill.skipped').map((e) => e['reason']), ['done']);
      assert.equal((await reopened.findSeries({ cluster: CLUSTER })).length, all.length);
      assert.equal(await storedAt(reopened, container, t), stored);
    } finally {
      await reopened.close();
    }

    // Through the service: `prometheus.url` set, a fresh database, the backfill runs during start-up.
    phase('service start with backfill');
    const viaService = await serviceBackfill(dir, prom.url);
    phase('service stopped');
    assert.ok(viaService.messages.includes('history backfill finished'), viaService.messages.join(' | '));
    assert.ok(viaService.series.some((s) => s.entity === 'ip-10-0-general-00' && s.metric === 'cpu_m'));
  } finally {
    phase('prometheus stop');
    await prom.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});
