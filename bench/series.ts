// SPDX-License-Identifier: Apache-2.0
// Benchmark of `GET /api/v1/series` (issue 4 target: a 14-day query of one workload under 20 ms), through the real
// route with `app.inject()` over a SQLite store on a temporary file:
//   1. the series table sized like scale-150k: `--series` container series registered (no samples; they make the
//      registry and its index as large as a 150,000-pod cluster's), plus the workload totals;
//   2. 14 days of workload history at the collector's 60 s resolution for `--workloads` workloads × 3 metrics
//      (CPU, working set, pod count), raw chunks for the last 7 days (the default raw retention) and rollups for all;
//   3. the same workload's 14-day CPU series queried with the default step (about 300 points), with `step=1h` and
//      three quantiles, and with `step=5m` (4,032 points).
// Usage: node --import tsx bench/series.ts [--series 600000] [--workloads 300] [--queries 60]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { seriesRoutes } from '../src/api/routes/series.ts';
import { buildTestApp } from '../src/api/testing.ts';
import { METRIC, type HistorySeries, type SeriesKey } from '../src/domain/series.ts';
import { SqliteSampleStore } from '../src/store/sample-store.ts';
import { manualClock } from '../src/store/testing.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;
const NOW = Date.UTC(2024, 0, 29);
const CLUSTER = 'bench';
const REGISTER_BATCH = 20_000;

export interface SeriesBenchOptions {
  /** Container series registered without samples (scale-150k: about 150,000 pods × 4 metrics). */
  readonly series: number;
  /** Workloads with 14 days of history. */
  readonly workloads: number;
  /** Timed requests per query shape. */
  readonly queries: number;
}

export interface QueryTiming {
  readonly label: string;
  readonly points: number;
  readonly tier: string;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** Mean CPU time per request (user + system), less inflated by other load on the machine than wall time. */
  readonly cpuMs: number;
}

export interface SeriesBenchResult {
  readonly registeredSeries: number;
  readonly historySeries: number;
  readonly historySamples: number;
  readonly historyMs: number;
  readonly dbBytes: number;
  readonly queries: readonly QueryTiming[];
}

/** Deterministic noise in [-1, 1). */
function noise(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  return ((h ^ (h >>> 15)) >>> 0) / 2 ** 31 - 1;
}

/** A workload's value at minute `i`: a daily cycle with noise; CPU in millicores, memory in page-sized bytes, pods. */
function value(metric: string, w: number, i: number): number {
  const daily = 1 + 0.3 * Math.sin((2 * Math.PI * i) / 1440);
  if (metric === METRIC.cpuMillicores) return Math.max(0, (200 + (w % 4000)) * daily * (1 + 0.3 * noise(w, i)));
  if (metric === METRIC.pods) return 3 + (w % 5) + (noise(w, Math.floor(i / 240)) > 0.8 ? 1 : 0);
  return Math.round((1000 + (w % 3000)) * 256 * (1 + 0.05 * daily + 0.01 * noise(w, i))) * 4096;
}

async function registerFiller(store: SqliteSampleStore, count: number): Promise<void> {
  const metrics = [METRIC.cpuMillicores, METRIC.memoryWorkingSetBytes, METRIC.memoryRssBytes, METRIC.throttleRatio];
  for (let start = 0; start < count; start += REGISTER_BATCH) {
    const keys: SeriesKey[] = [];
    for (let s = start; s < Math.min(count, start + REGISTER_BATCH); s++) {
      const pod = Math.floor(s / metrics.length);
      const entity = `ns-${pod % 500}/app-${Math.floor(pod / 5)}-7d9f8-${pod % 5}/app`;
      keys.push({ cluster: CLUSTER, kind: 'container', entity, metric: metrics[s % metrics.length] as string });
    }
    await store.resolveSeries(keys);
  }
}

function workloadEntity(w: number): string {
  return `ns-${w % 500}/Deployment/app-${w}`;
}

async function writeWorkloadHistory(store: SqliteSampleStore, workloads: number): Promise<{ series: number; samples: number; ms: number }> {
  const metrics = [METRIC.cpuMillicores, METRIC.memoryWorkingSetBytes, METRIC.pods];
  const n = 14 * 1440;
  const timestampsMs = Float64Array.from({ length: n }, (_, i) => NOW - 14 * DAY + (i + 1) * MINUTE);
  const t = performance.now();
  let samples = 0;
  for (let w = 0; w < workloads; w += 20) {
    const keys = [];
    for (let k = w; k < Math.min(workloads, w + 20); k++) for (const metric of metrics) keys.push({ w: k, metric });
    const ids = await store.resolveSeries(keys.map((k) => ({ cluster: CLUSTER, kind: 'workload', entity: workloadEntity(k.w), metric: k.metric })));
    const series = keys.map((k, j): HistorySeries => ({ seriesId: ids[j] as number, timestampsMs, values: Float64Array.from({ length: n }, (_, i) => value(k.metric, k.w, i)) }));
    samples += (await store.writeHistory({ series, rawFromMs: NOW - 7 * DAY })).samples;
  }
  return { series: workloads * metrics.length, samples, ms: performance.now() - t };
}

function percentile(ms: readonly number[], q: number): number {
  const sorted = [...ms].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

async function timeQuery(app: FastifyInstance, shape: { label: string; url: string; queries: number }): Promise<QueryTiming> {
  const first = await app.inject({ method: 'GET', url: shape.url });
  if (first.statusCode !== 200) throw new Error(`${shape.url}: HTTP ${first.statusCode} ${first.body}`);
  const answer = first.json() as { tier: string; points: unknown[] };
  const ms: number[] = [];
  const cpu = process.cpuUsage();
  for (let i = 0; i < shape.queries; i++) {
    const t = performance.now();
    await app.inject({ method: 'GET', url: shape.url });
    ms.push(performance.now() - t);
  }
  const used = process.cpuUsage(cpu);
  return { label: shape.label, points: answer.points.length, tier: answer.tier, p50Ms: percentile(ms, 0.5), p99Ms: percentile(ms, 0.99), cpuMs: (used.user + used.system) / 1000 / shape.queries };
}

/** Runs the benchmark on a temporary database and removes it. */
export async function benchSeries(opts: SeriesBenchOptions): Promise<SeriesBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'krm-bench-series-'));
  const store = await SqliteSampleStore.open({ path: join(dir, 'bench.db'), clock: manualClock(NOW) });
  const { app } = buildTestApp({ now: () => NOW });
  try {
    await registerFiller(store, opts.series);
    const history = await writeWorkloadHistory(store, opts.workloads);
    await store.flush();
    seriesRoutes(app, { store, cluster: CLUSTER, now: () => NOW });
    const base = `/api/v1/series?kind=workload&entity=${encodeURIComponent(workloadEntity(Math.floor(opts.workloads / 2)))}&metric=cpu_m&from=${NOW - 14 * DAY}&to=${NOW}`;
    const queries = [
      await timeQuery(app, { label: 'default step', url: base, queries: opts.queries }),
      await timeQuery(app, { label: 'step=1h, quantiles=0.5,0.95,0.99', url: `${base}&step=1h&quantiles=0.5,0.95,0.99`, queries: opts.queries }),
      await timeQuery(app, { label: 'step=5m', url: `${base}&step=5m`, queries: opts.queries }),
    ];
    return { registeredSeries: opts.series + history.series, historySeries: history.series, historySamples: history.samples, historyMs: history.ms, dbBytes: await store.sizeBytes(), queries };
  } finally {
    await app.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The result as Markdown table rows (`| what | result | target | |`), for `bench/run.ts`. */
export function seriesBenchRows(r: SeriesBenchResult): string[] {
  return r.queries.map((q) => {
    const met = q.p99Ms < 20 ? 'met' : 'NOT met';
    return `| 14-day workload query, ${q.label} (${q.points} points, tier ${q.tier}) | p50 ${q.p50Ms.toFixed(2)} ms, p99 ${q.p99Ms.toFixed(2)} ms (${q.cpuMs.toFixed(2)} CPU-ms) | < 20 ms | ${met} |`;
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: { series: { type: 'string', default: '600000' }, workloads: { type: 'string', default: '300' }, queries: { type: 'string', default: '60' } },
  });
  const opts = { series: Number(values.series), workloads: Number(values.workloads), queries: Number(values.queries) };
  const r = await benchSeries(opts);
  console.log(`series benchmark (${JSON.stringify(opts)})`);
  console.log(`  ${r.registeredSeries.toLocaleString('en')} series registered; ${r.historySamples.toLocaleString('en')} samples of ${r.historySeries} workload series written in ${(r.historyMs / 1000).toFixed(1)} s; database ${(r.dbBytes / 2 ** 20).toFixed(1)} MiB`);
  console.log('| what | result | target | |\n|---|---|---|---|');
  for (const row of seriesBenchRows(r)) console.log(row);
}
