// SPDX-License-Identifier: Apache-2.0
// The one-shot report's read shape: cluster-wide container queries cut into time slices, and a metric read over the
// end of the range only. The slicing arithmetic and the joining are checked alone; the shape as a whole against a
// real Prometheus (a hand-written three hours, promtool → TSDB blocks, one pod running to the end and one that
// ended two hours ago) must give exactly the series and points of the default per-namespace shape.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPrometheus, type RunningPrometheus } from '../../../test/support/prometheus.ts';
import { promtoolPath } from '../../../test/support/tools.ts';
import { createRangeQuerier, type RangeQuerier } from './range-query.ts';
import { PrometheusSeriesReader } from './series-reader.ts';
import { joinSlices, limiter, sliceGrid } from './series-reader-slices.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const STEP = 5 * MIN;
const NOW = Math.floor(Date.now() / STEP) * STEP;
const FROM = NOW - 3 * HOUR;
const GONE_AT = NOW - 2 * HOUR;

describe('slices', () => {
  test('cut the grid into consecutive whole steps that cover it once', () => {
    const s = sliceGrid({ startMs: 0, endMs: 9 * STEP, stepMs: STEP, slices: 3 });
    assert.deepEqual(s, [
      { startMs: 0, endMs: 2 * STEP },
      { startMs: 3 * STEP, endMs: 5 * STEP },
      { startMs: 6 * STEP, endMs: 9 * STEP },
    ]);
    // Never more slices than points, never an empty one.
    assert.deepEqual(sliceGrid({ startMs: 0, endMs: STEP, stepMs: STEP, slices: 7 }), [{ startMs: 0, endMs: 0 }, { startMs: STEP, endMs: STEP }]);
    assert.deepEqual(sliceGrid({ startMs: STEP, endMs: 0, stepMs: STEP, slices: 2 }), []);
  });

  test('join a series split across slices in time order, and keep one present in a single slice', () => {
    const m = (pod: string, ts: number[]) => ({ labels: { pod }, timestampsMs: Float64Array.from(ts), values: Float64Array.from(ts.map((t) => t / 10)) });
    const joined = joinSlices([[m('a', [0, 10]), m('b', [10])], [m('a', [20, 30])]]);
    assert.deepEqual(
      joined.map((s) => [s.labels.pod, [...s.timestampsMs], [...s.values]]),
      [['a', [0, 10, 20, 30], [0, 1, 2, 3]], ['b', [10], [1]]],
    );
  });

  test('the limiter never runs more than its bound at once', async () => {
    const limit = limiter(2);
    let running = 0;
    let peak = 0;
    const work = async (): Promise<void> => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((r) => setTimeout(r, 5));
      running--;
    };
    await Promise.all(Array.from({ length: 7 }, () => limit(work)));
    assert.equal(peak, 2);
  });
});

/** One minute apart: `live` (0.5 cores, 100 MB) to now, `gone` (0.25 cores, 50 MB) until two hours ago. */
function history(): string {
  const pods = [
    { ns: 'shop', pod: 'live-1', cores: 0.5, bytes: 100e6, untilMs: NOW },
    { ns: 'shop', pod: 'gone-1', cores: 0.25, bytes: 50e6, untilMs: GONE_AT },
    { ns: 'data', pod: 'db-0', cores: 1, bytes: 1e9, untilMs: NOW },
  ];
  const cpu: string[] = [];
  const ws: string[] = [];
  for (const p of pods) {
    const labels = `{namespace="${p.ns}",pod="${p.pod}",container="app"}`;
    for (let t = FROM; t <= p.untilMs; t += MIN) {
      cpu.push(`container_cpu_usage_seconds_total${labels} ${((t - FROM) / 1000) * p.cores} ${t / 1000}`);
      ws.push(`container_memory_working_set_bytes${labels} ${p.bytes + (t % HOUR) / 1000} ${t / 1000}`);
    }
  }
  // OpenMetrics wants each family's samples together, after its TYPE line.
  return ['# TYPE container_cpu_usage_seconds_total counter', ...cpu, '# TYPE container_memory_working_set_bytes gauge', ...ws, '# EOF', ''].join('\n');
}

let prom: RunningPrometheus;
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'krm-slices-'));
  writeFileSync(join(dir, 'h.om'), history());
  const built = spawnSync(promtoolPath(), ['tsdb', 'create-blocks-from', 'openmetrics', join(dir, 'h.om'), join(dir, 'data')], { encoding: 'utf8' });
  assert.equal(built.status, 0, built.stderr);
  prom = await startPrometheus({ config: 'global:\n  scrape_interval: 1h\nscrape_configs: []\n', dataDir: join(dir, 'data') });
});
after(async () => {
  await prom?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A querier that records the queries and their ranges. */
function recording(log: Array<{ query: string; startMs: number; endMs: number }>): RangeQuerier {
  const inner = createRangeQuerier({ url: prom.url });
  return {
    queryRange: async (query, req) => {
      log.push({ query, startMs: req.startMs, endMs: req.endMs });
      return inner.queryRange(query, req);
    },
    labelValues: (label, req) => inner.labelValues(label, req),
  };
}

async function everything(reader: PrometheusSeriesReader): Promise<Record<string, number[]>> {
  const found = await reader.findSeries({ kind: 'container', metrics: ['cpu_m', 'mem_ws_b'] });
  await reader.findSeries({ kind: 'namespace' });
  const all = await reader.findSeries({ kind: 'cluster' });
  const res = await reader.query({ seriesIds: [...found, ...(await reader.findSeries({ kind: 'namespace' })), ...all].map((s) => s.id), fromMs: FROM, toMs: NOW + 1, stepMs: STEP });
  return Object.fromEntries(res.series.map((s) => [`${s.series.kind}:${s.series.entity}:${s.series.metric}`, s.points.map((p) => Math.round(p.mean * 1000) / 1000)]));
}

describe('the one-shot shape against a real Prometheus', () => {
  test('cluster-wide sliced queries give exactly the series and points of the per-namespace shape', { timeout: 30_000 }, async () => {
    const base = { cluster: 'c', fromMs: FROM, toMs: NOW + 1, stepMs: STEP };
    const sliced: Array<{ query: string; startMs: number; endMs: number }> = [];
    const oneShot = new PrometheusSeriesReader({ ...base, querier: recording(sliced), clusterWide: true, slices: 3 });
    const perNamespace = new PrometheusSeriesReader({ ...base, querier: recording([]) });
    const a = await everything(oneShot);
    const b = await everything(perNamespace);
    assert.deepEqual(Object.keys(a).sort(), Object.keys(b).sort());
    assert.deepEqual(a, b);
    // The ended pod is read (the totals need it) and the totals count it while it ran.
    assert.ok('container:shop/gone-1/app:cpu_m' in a);
    const cpu = a['namespace:shop:cpu_m'] ?? [];
    assert.equal(cpu[6], 750);
    assert.equal(cpu.at(-1), 500);
    // Two metrics, three slices each, no namespace matcher; the per-namespace shape needs one query per namespace.
    assert.equal(sliced.length, 6);
    assert.ok(sliced.every((q) => !q.query.includes('namespace=')));
    assert.equal(oneShot.stats().queries, 7);
    assert.equal(perNamespace.stats().queries, 5);
    // Node and PVC queries are never sliced: one each.
    const before = sliced.length;
    await oneShot.findSeries({ kind: 'node' });
    await oneShot.findSeries({ kind: 'pvc' });
    assert.equal(sliced.length - before, 4);
    // The slices tile the grid.
    const ranges = sliced.slice(0, 6).filter((q) => q.query.includes('cpu')).map((q) => [q.startMs, q.endMs]).sort((x, y) => (x[0] ?? 0) - (y[0] ?? 0));
    for (let i = 1; i < ranges.length; i++) assert.equal(ranges[i]?.[0], (ranges[i - 1]?.[1] ?? 0) + STEP);
  });

  test('a metric read from a later time is queried over the end of the range only', { timeout: 30_000 }, async () => {
    const log: Array<{ query: string; startMs: number; endMs: number }> = [];
    const r = new PrometheusSeriesReader({ querier: recording(log), cluster: 'c', fromMs: FROM, toMs: NOW + 1, stepMs: STEP, clusterWide: true, slices: 3, metricFromMs: { cpu_m: NOW - 28 * MIN } });
    const cpu = await r.findSeries({ kind: 'container', metrics: ['cpu_m'] });
    const res = await r.query({ seriesIds: cpu.map((s) => s.id), fromMs: FROM, toMs: NOW + 1, stepMs: STEP });
    // Rounded up to the grid: 25 minutes before now, six points per running container, none for the ended one.
    assert.deepEqual(res.series.map((s) => [s.series.entity, s.points.length, s.points[0]?.tsMs]), [
      ['data/db-0/app', 6, NOW - 25 * MIN],
      ['shop/live-1/app', 6, NOW - 25 * MIN],
    ]);
    // Half an hour of three hours: one slice of the three.
    assert.equal(log.length, 1);
    assert.ok(log.every((q) => q.startMs === NOW - 25 * MIN));
  });
});
