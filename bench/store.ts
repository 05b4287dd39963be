// SPDX-License-Identifier: Apache-2.0
// Benchmark of the history store (SQLite, WAL) on a temporary file:
//   1. live ingest: collection cycles of `series` samples through append(), chunks cut and written as in production;
//   2. bytes per sample at rest in the raw tier (table and index pages from dbstat) and per rollup bucket;
//   3. bulk history: `days` of 60 s samples for `containers` containers × 2 metrics into rollups, raw for the last day;
//   4. a 14-day query of one workload (10 containers × 2 metrics), automatic tier, with and without quantiles;
//   5. with --cycle-series N: collection cycles as the collector runs them (append + flush every cycle) over N series,
//      the store's time per cycle (the collector's durability cost), alone with --only-cycles.
// Usage: node --import tsx bench/store.ts [--series 40000] [--cycles 240] [--containers 500] [--days 14]
//        [--cycle-series 675000] [--cycle-count 12] [--only-cycles]
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { HistorySeries, SeriesKey } from '../src/domain/series.ts';
import { SqliteSampleStore } from '../src/store/sample-store.ts';
import { manualClock } from '../src/store/testing.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);

export interface StoreBenchResult {
  ingestSeries: number;
  ingestSamples: number;
  ingestSamplesPerSec: number;
  flushMs: number;
  rawBytesPerSample: number;
  rawPayloadBytesPerSample: number;
  rollupBytesPerBucket: Record<string, number>;
  heapMiBAfterIngest: number;
  historySamples: number;
  historySamplesPerSec: number;
  historyMs: number;
  dbBytes: number;
  query14dMs: { p50: number; p99: number; cpuMs: number };
  query14dQuantilesMs: { p50: number; p99: number; cpuMs: number };
  ingestCpuSamplesPerSec: number;
}

/** Deterministic noise in [-1, 1). */
function noise(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  return ((h ^ (h >>> 15)) >>> 0) / 2 ** 31 - 1;
}

/** A usage value for a series at minute `i`: CPU millicores (odd ids) or page-granular memory bytes (even ids). */
function usage(id: number, i: number): number {
  const daily = 1 + 0.3 * Math.sin((2 * Math.PI * i) / 1440);
  if (id % 2 === 1) return Math.max(0, (50 + (id % 400)) * daily * (1 + 0.35 * noise(id, i)));
  const pages = Math.round((200 + (id % 300)) * 256 * (1 + 0.02 * daily + 0.01 * noise(id, i)));
  return pages * 4096;
}

function keys(containers: number, prefix: string): SeriesKey[] {
  const out: SeriesKey[] = [];
  for (let c = 0; c < containers; c++) {
    const entity = `${prefix}/${prefix}-${Math.floor(c / 10)}-pod-${c % 10}/app`;
    out.push({ cluster: 'bench', kind: 'container', entity, metric: 'cpu_m' });
    out.push({ cluster: 'bench', kind: 'container', entity, metric: 'mem_ws_b' });
  }
  return out;
}

async function ingest(store: SqliteSampleStore, opts: { series: number; cycles: number; startMs: number }) {
  const ids = await store.resolveSeries(keys(opts.series / 2, 'live'));
  const timestamps = new Float64Array(ids.length);
  const values = new Float64Array(ids.length);
  let busyMs = 0;
  let cpuMs = 0;
  for (let cycle = 0; cycle < opts.cycles; cycle++) {
    ids.forEach((id, k) => {
      timestamps[k] = opts.startMs + cycle * MINUTE + (k % 7) * 1000;
      values[k] = usage(id, cycle);
    });
    const t = performance.now();
    const cpu = process.cpuUsage();
    await store.append({ seriesIds: ids, timestampsMs: timestamps, values });
    const used = process.cpuUsage(cpu);
    cpuMs += (used.user + used.system) / 1000;
    busyMs += performance.now() - t;
  }
  const t = performance.now();
  await store.flush();
  return { samples: ids.length * opts.cycles, busyMs, cpuMs, flushMs: performance.now() - t };
}

async function history(store: SqliteSampleStore, opts: { containers: number; days: number; nowMs: number }) {
  const ids = await store.resolveSeries(keys(opts.containers, 'shop'));
  const n = opts.days * 1440;
  const from = opts.nowMs - opts.days * DAY;
  const t = performance.now();
  let samples = 0;
  for (let start = 0; start < ids.length; start += 200) {
    const batch: HistorySeries[] = ids.slice(start, start + 200).map((seriesId) => {
      const timestampsMs = new Float64Array(n);
      const values = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        timestampsMs[i] = from + i * MINUTE;
        values[i] = usage(seriesId, i);
      }
      return { seriesId, timestampsMs, values };
    });
    samples += (await store.writeHistory({ series: batch, rawFromMs: opts.nowMs - DAY })).samples;
  }
  return { ids, samples, ms: performance.now() - t };
}

function percentile(ms: number[], q: number): number {
  const sorted = [...ms].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
}

/** Wall-clock p50/p99 and the mean CPU time per query (user + system), which other load on the machine inflates less. */
async function timeQueries(store: SqliteSampleStore, q: Parameters<SqliteSampleStore['query']>[0]) {
  const ms: number[] = [];
  const cpu = process.cpuUsage();
  for (let i = 0; i < 40; i++) {
    const t = performance.now();
    await store.query(q);
    ms.push(performance.now() - t);
  }
  const used = process.cpuUsage(cpu);
  return { p50: percentile(ms, 0.5), p99: percentile(ms, 0.99), cpuMs: (used.user + used.system) / 1000 / ms.length };
}

/** Store time of collection cycles (append, then flush, as the collector does), in ms. */
export interface CycleBenchResult {
  series: number;
  cycles: number;
  appendMs: { mean: number; max: number };
  flushMs: { mean: number; max: number };
  cycleMs: { mean: number; max: number };
  /** Cycles after the first (which creates every head): the steady state. */
  steadyCycleMs: { mean: number; max: number };
  /** CPU time (user + system) of the steady cycles, less inflated than wall time by other load on the machine. */
  steadyCpuMs: { mean: number; max: number };
  dbBytes: number;
  /** Opening a copy of the files as a SIGKILL after the last cycle leaves them (checkpoints plus log replay). */
  reopenAfterKill: { ms: number; logRows: number; replayedSamples: number };
}

/** Opens a copy of the database and its WAL taken while `path` is still open, as after a kill; returns the time. */
async function reopenKilled(path: string): Promise<CycleBenchResult['reopenAfterKill']> {
  const copy = `${path}.killed`;
  copyFileSync(path, copy);
  if (existsSync(`${path}-wal`)) copyFileSync(`${path}-wal`, `${copy}-wal`);
  const t = performance.now();
  const store = await SqliteSampleStore.open({ path: copy });
  const ms = performance.now() - t;
  const { replay } = store.logStatus();
  await store.close();
  return { ms, logRows: replay.rows, replayedSamples: replay.samples };
}

function meanMax(ms: readonly number[]): { mean: number; max: number } {
  return { mean: ms.reduce((a, b) => a + b, 0) / Math.max(1, ms.length), max: Math.max(...ms) };
}

/** Collection cycles of `series` samples each, every cycle appended and flushed, on a temporary database. */
export async function benchCycles(opts: { series: number; cycles: number }): Promise<CycleBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'krm-bench-cycles-'));
  const startMs = T0;
  const store = await SqliteSampleStore.open({ path: join(dir, 'cycles.db'), clock: manualClock(startMs) });
  try {
    const ids = await store.resolveSeries(keys(opts.series / 2, 'cycle'));
    const timestamps = new Float64Array(ids.length);
    const values = new Float64Array(ids.length);
    const append: number[] = [];
    const flush: number[] = [];
    const cpu: number[] = [];
    for (let cycle = 0; cycle < opts.cycles; cycle++) {
      timestamps.fill(startMs + cycle * MINUTE);
      ids.forEach((id, k) => {
        values[k] = usage(id, cycle);
      });
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await store.append({ seriesIds: ids, timestampsMs: timestamps, values });
      const t1 = performance.now();
      await store.flush();
      append.push(t1 - t0);
      flush.push(performance.now() - t1);
      const used = process.cpuUsage(c0);
      cpu.push((used.user + used.system) / 1000);
    }
    const cycles = append.map((a, i) => a + (flush[i] ?? 0));
    return {
      series: ids.length,
      cycles: opts.cycles,
      appendMs: meanMax(append),
      flushMs: meanMax(flush),
      cycleMs: meanMax(cycles),
      steadyCycleMs: meanMax(cycles.slice(1)),
      steadyCpuMs: meanMax(cpu.slice(1)),
      dbBytes: await store.sizeBytes(),
      reopenAfterKill: await reopenKilled(join(dir, 'cycles.db')),
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the benchmark on a temporary database and removes it. */
export async function benchStore(opts: { series: number; cycles: number; containers: number; days: number }): Promise<StoreBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'krm-bench-store-'));
  const nowMs = T0 + Math.max(opts.days * DAY, opts.cycles * MINUTE + 3 * 3_600_000);
  const clock = manualClock(nowMs);
  const store = await SqliteSampleStore.open({ path: join(dir, 'bench.db'), clock });
  try {
    // Live samples end 2 h 5 min before `now`, so that rotation cuts every head and raw retention keeps them.
    const live = await ingest(store, { ...opts, startMs: nowMs - opts.cycles * MINUTE - 125 * MINUTE });
    const heapMiB = process.memoryUsage().heapUsed / 2 ** 20;
    await store.rotate();
    const atRest = store.storageStats();
    const hist = await history(store, { containers: opts.containers, days: opts.days, nowMs });
    await store.flush();
    const afterHistory = store.storageStats();
    const workload = hist.ids.slice(0, 20);
    const q = { seriesIds: workload, fromMs: nowMs - 14 * DAY, toMs: nowMs };
    return {
      ingestSeries: opts.series,
      ingestSamples: live.samples,
      ingestSamplesPerSec: live.samples / (live.busyMs / 1000),
      ingestCpuSamplesPerSec: live.samples / (live.cpuMs / 1000),
      flushMs: live.flushMs,
      rawBytesPerSample: atRest.raw.diskBytes / atRest.raw.items,
      rawPayloadBytesPerSample: atRest.raw.payloadBytes / atRest.raw.items,
      // Rollups as the history writer stores them (compacted rows), i.e. the steady state after rotation.
      rollupBytesPerBucket: Object.fromEntries(
        (['5m', '1h', '1d'] as const).map((tier) => {
          const bytes = afterHistory[tier].diskBytes - atRest[tier].diskBytes;
          return [tier, bytes / Math.max(1, afterHistory[tier].items - atRest[tier].items)];
        }),
      ),
      heapMiBAfterIngest: heapMiB,
      historySamples: hist.samples,
      historySamplesPerSec: hist.samples / (hist.ms / 1000),
      historyMs: hist.ms,
      dbBytes: await store.sizeBytes(),
      query14dMs: await timeQueries(store, q),
      query14dQuantilesMs: await timeQueries(store, { ...q, quantiles: [0.5, 0.9, 0.95, 0.99] }),
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      series: { type: 'string', default: '40000' },
      cycles: { type: 'string', default: '240' },
      containers: { type: 'string', default: '500' },
      days: { type: 'string', default: '14' },
      'cycle-series': { type: 'string', default: '0' },
      'cycle-count': { type: 'string', default: '12' },
      'only-cycles': { type: 'boolean', default: false },
    },
  });
  const fmt = (n: number, d = 1): string => n.toLocaleString('en-US', { maximumFractionDigits: d });
  const cycleSeries = Number(values['cycle-series']);
  if (cycleSeries > 0) {
    const c = await benchCycles({ series: cycleSeries, cycles: Number(values['cycle-count']) });
    const mm = (x: { mean: number; max: number }): string => `mean ${fmt(x.mean, 0)} ms, max ${fmt(x.max, 0)} ms`;
    console.log(`store cycles: ${fmt(c.series, 0)} series × ${c.cycles} cycles, append + flush each cycle`);
    console.log(`  per cycle: ${mm(c.cycleMs)} (append ${mm(c.appendMs)}; flush ${mm(c.flushMs)}); database ${fmt(c.dbBytes / 2 ** 20)} MiB`);
    console.log(`  after the first cycle: ${mm(c.steadyCycleMs)} wall, ${mm(c.steadyCpuMs)} CPU`);
    const k = c.reopenAfterKill;
    console.log(`  open after a kill: ${fmt(k.ms, 0)} ms (${k.logRows} log rows, ${fmt(k.replayedSamples, 0)} samples replayed)`);
  }
  if (values['only-cycles']) process.exit(0);
  const opts = {
    series: Number(values.series),
    cycles: Number(values.cycles),
    containers: Number(values.containers),
    days: Number(values.days),
  };
  const r = await benchStore(opts);
  console.log(`store benchmark (${JSON.stringify(opts)})`);
  console.log(`  ingest: ${fmt(r.ingestSamples, 0)} samples over ${fmt(r.ingestSeries, 0)} series at ${fmt(r.ingestSamplesPerSec, 0)} samples/s wall (${fmt(r.ingestCpuSamplesPerSec, 0)} per CPU-second); flush ${fmt(r.flushMs)} ms; heap ${fmt(r.heapMiBAfterIngest)} MiB`);
  console.log(`  raw tier at rest: ${fmt(r.rawBytesPerSample, 2)} B/sample on disk (${fmt(r.rawPayloadBytesPerSample, 2)} B/sample payload)`);
  console.log(`  rollups at rest: ${Object.entries(r.rollupBytesPerBucket).map(([t, b]) => `${t} ${fmt(b, 1)} B/bucket`).join(', ')}`);
  console.log(`  history: ${fmt(r.historySamples, 0)} samples in ${fmt(r.historyMs, 0)} ms (${fmt(r.historySamplesPerSec, 0)} samples/s)`);
  const q = (x: { p50: number; p99: number; cpuMs: number }): string =>
    `p50 ${fmt(x.p50, 2)} ms, p99 ${fmt(x.p99, 2)} ms wall, ${fmt(x.cpuMs, 2)} CPU-ms`;
  console.log(`  14-day query, 10 containers × 2 metrics: ${q(r.query14dMs)}; with p50/p90/p95/p99: ${q(r.query14dQuantilesMs)}`);
  console.log(`  database: ${fmt(r.dbBytes / 2 ** 20)} MiB`);
}
