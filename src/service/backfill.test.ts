// SPDX-License-Identifier: Apache-2.0
// The backfill's run control against a real SQLite store: a Prometheus failure mid-way stops the run and the next
// start resumes after the last window written (no sample written twice, none missing); shutdown stops it cleanly; a
// finished run or a database with live data is not imported again. The querier is a small fake for the fault
// injection; the end-to-end test against a real Prometheus is test/e2e/backfill-prometheus.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { RecordingLogger } from '../logging/recording-logger.ts';
import { PrometheusError } from '../sources/prometheus/errors.ts';
import type { MatrixSeries, RangeQuerier, RangeRequest } from '../sources/prometheus/range-query.ts';
import { manualClock, openTestStore, tempDir } from '../store/testing.ts';
import { runBackfill, type BackfillOptions } from './backfill.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const NOW = Date.UTC(2026, 0, 15, 12, 0, 30);
/** The last grid point before NOW; queries start on the minute grid so that their points are the samples. */
const LAST = NOW - 30_000;

function grid(req: RangeRequest): Float64Array {
  const n = Math.round((req.endMs - req.startMs) / req.stepMs) + 1;
  return Float64Array.from({ length: n }, (_, i) => req.startMs + i * req.stepMs);
}

/** Node memory = the timestamp in minutes; one container per namespace; fails from `failFromMs` on. */
function fakePrometheus(opts: { failFromMs?: number } = {}): RangeQuerier & { queries: string[] } {
  const queries: string[] = [];
  return {
    queries,
    async queryRange(query, req): Promise<MatrixSeries[]> {
      queries.push(query);
      if (opts.failFromMs !== undefined && req.endMs >= opts.failFromMs) throw new PrometheusError('KRM_PROM_UNAVAILABLE', 'HTTP 503');
      const timestampsMs = grid(req);
      const values = timestampsMs.map((t) => t / MIN);
      if (query.includes('id="/"')) return [{ labels: { node: 'n1' }, timestampsMs, values }];
      const ns = /namespace="([^"]+)"/.exec(query)?.[1];
      if (ns === undefined) return [];
      return [{ labels: { namespace: ns, pod: 'p', container: 'c' }, timestampsMs, values }];
    },
    async labelValues() {
      return ['b', 'a'];
    },
  };
}

async function setup(t: { after(fn: () => unknown): void }, name = 'krm.db') {
  const path = join(tempDir(t), name);
  const store = await openTestStore(t, { path });
  const clock = manualClock(NOW);
  const log = new RecordingLogger();
  const base: BackfillOptions = {
    store,
    querier: fakePrometheus(),
    cluster: 'c1',
    windowMs: 6 * HOUR,
    stepMs: MIN,
    batchMs: HOUR,
    concurrency: 2,
    clock,
    sleep: async () => true,
    log,
    signal: new AbortController().signal,
    attempts: 2,
  };
  return { store, clock, log, base };
}

test('a Prometheus failure stops the run after the last good window; the next start resumes without gaps or duplicates', async (t) => {
  const { store, clock, log, base } = await setup(t);
  const failing = fakePrometheus({ failFromMs: NOW - 3 * HOUR });
  const first = await runBackfill({ ...base, querier: failing });
  assert.equal(first.status, 'failed');
  assert.equal(first.windows, 3, 'the three windows before the failure were written');
  const failed = log.of('backfill.failed')[0];
  assert.equal(failed?.['doneWindows'], 3);
  assert.equal(failed?.['totalWindows'], 7);

  clock.advance(10 * MIN);
  const second = await runBackfill(base);
  assert.equal(second.status, 'done');
  assert.equal(second.windows, 4, 'only the remaining windows');
  assert.deepEqual(log.of('backfill.started').map((e) => e['resumed']), [false, true]);

  const [node] = await store.findSeries({ cluster: 'c1', kind: 'node', entity: 'n1', metrics: ['mem_ws_b'] });
  assert.ok(node);
  const r = await store.query({ seriesIds: [node.id], fromMs: LAST - 7 * HOUR, toMs: LAST + HOUR, stepMs: MIN, tier: 'raw' });
  const points = r.series[0]?.points ?? [];
  assert.equal(points.length, 6 * 60, 'every grid point of [now − 6 h, now) once');
  const bad = points.filter((p) => !(p.count === 1 && p.mean === p.tsMs / MIN));
  assert.deepEqual(bad.slice(0, 3), []);
  assert.equal(points[0]?.tsMs, LAST - 6 * HOUR + MIN);
  assert.equal(points.at(-1)?.tsMs, LAST);
  const containers = await store.findSeries({ cluster: 'c1', kind: 'container' });
  assert.deepEqual([...new Set(containers.map((s) => s.entity))].sort(), ['a/p/c', 'b/p/c']);
  assert.deepEqual(new Set(containers.map((s) => s.metric)), new Set(['cpu_m', 'mem_ws_b', 'mem_rss_b', 'throttle_ratio']));

  const third = await runBackfill(base);
  assert.equal(third.status, 'skipped');
  assert.deepEqual(log.of('backfill.skipped').map((e) => e['reason']), ['done']);
});

test('container queries are aggregated per namespace, never per pod, and CPU is stored in millicores', async (t) => {
  const { store, base } = await setup(t);
  const prom = fakePrometheus();
  await runBackfill({ ...base, querier: prom, windowMs: HOUR });
  const cpu = prom.queries.filter((q) => q.includes('container_cpu_usage_seconds_total') && q.includes('namespace="a"'));
  assert.ok(cpu.length > 0);
  assert.ok(prom.queries.every((q) => !q.includes('pod=')), 'no query names a pod');
  assert.ok(cpu.every((q) => q.startsWith('sum by (namespace, pod, container)')));
  const [s] = await store.findSeries({ cluster: 'c1', kind: 'container', entity: 'a/p/c', metrics: ['cpu_m'] });
  assert.ok(s);
  const r = await store.query({ seriesIds: [s.id], fromMs: LAST - HOUR, toMs: LAST, stepMs: MIN, tier: 'raw' });
  const p = r.series[0]?.points[0];
  assert.ok(p);
  assert.equal(p.mean, (p.tsMs / MIN) * 1000);
});

test('shutdown stops the run cleanly between windows and the next start resumes', async (t) => {
  const { base, log } = await setup(t);
  const controller = new AbortController();
  const report = await runBackfill({ ...base, signal: controller.signal, onProgress: (p) => p.doneWindows === 2 && controller.abort() });
  assert.equal(report.status, 'aborted');
  assert.equal(report.windows, 2);
  assert.equal(log.of('backfill.aborted').length, 1);
  const resumed = await runBackfill(base);
  assert.equal(resumed.status, 'done');
  assert.equal(resumed.windows, 5);
});

test('a database that already holds live data of the cluster is not backfilled (the import would overlap it)', async (t) => {
  const { store, base, log } = await setup(t);
  await store.resolveSeries([{ cluster: 'c1', kind: 'node', entity: 'n1', metric: 'cpu_m' }]);
  const prom = fakePrometheus();
  const report = await runBackfill({ ...base, querier: prom });
  assert.equal(report.status, 'skipped');
  assert.deepEqual(prom.queries, []);
  assert.deepEqual(log.of('backfill.skipped').map((e) => e['reason']), ['store_not_empty']);
});
