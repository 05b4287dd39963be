// SPDX-License-Identifier: Apache-2.0
// Every analysis over scenario scale-150k with 14 days of history (issue 5, target < 60 s). The simulated cluster
// runs in a child process (`krm sim`) and the monitor's own ClusterCache lists it once over loopback; the history is
// generated straight into a temp SQLite store's rollup tiers, raw chunks for the last day (src/service/history-seed.ts,
// with an in-process simulation of the same cluster); then one `analyseCluster` pass runs with `now` at the end of the
// history. Seeding is timed apart from the pass; the pass's RSS is the monitor's own when the history is reused.
// Run: npm run bench:analyses -- [--scale 0.1] [--days 14] [--step 60] [--db file] [--dump findings.json] [--profile pass.cpuprofile [--heap-profile]]
//      [--forecast-workers N] (default as the service: forecastThreadsFor(cores), none on two cores; 0: forecasts in the pass's thread)
//      [--read-worker on|off] (the store's column queries in its read worker thread, SqliteSampleStore.startReadWorker; default as the service: on above two cores)
// `--db` keeps the seeded store: a later run with the same file analyses it again without reseeding.
// `--scale f` seeds and analyses every (1/f)-th namespace only (for an estimate before the full run).
// The seed also writes the namespace and cluster totals and the pod history, so that the capacity step forecasts
// (usage from the totals, Σ requests from the pod history) rather than finding every scope short of data; a `--db`
// seeded before they were written has neither, and the capacity scopes it judges say so in the table.
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { ClusterView } from '../src/domain/kube-ports.ts';
import { seedHistory, seedWindow, type HistorySeedReport } from '../src/service/history-seed.ts';
import { ModelMemory } from '../src/analysis/forecast/index.ts';
import { configureMarking } from '../src/runtime/gc-marking.ts';
import { analyseCluster, DEFAULT_ANALYSIS_SETTINGS, type AnalysisResult, type AnalysisRun, type CapacityReport } from '../src/service/analysis/index.ts';
import { defaultForecastThreads, forecastPoolFor } from '../src/service/analysis/forecast-pool.ts';
import { defaultReadWorker } from '../src/service/analysis/schedule.ts';
import { kubeconfigFor, Simulation } from '../src/sim/index.ts';
import { loadScenario } from '../src/sim/model/scenario/load.ts';
import { startSimProcess } from '../test/support/sim-process.ts';
import { ClusterCache, createKubeClient } from '../src/sources/kube/index.ts';
import { SqliteSampleStore } from '../src/store/sample-store.ts';

export interface AnalysesBenchOptions {
  readonly scenario: string;
  readonly days: number;
  readonly stepMs: number;
  /** Fraction of namespaces seeded and analysed (1: all). */
  readonly scale: number;
  /** A database file to use (and keep): seeded when it holds no series of the cluster, else analysed as it is. */
  readonly db?: string;
  /** A file to write the pass's findings, recommendations and capacity report to (JSON), to diff two runs. */
  readonly dump?: string;
  /** A file to write a CPU profile of the pass alone to (`.cpuprofile`, for DevTools or a self-time ranking). */
  readonly profile?: string;
  /** Profile the pass' allocations instead (`.heapprofile`): where the garbage comes from. */
  readonly heapProfile?: boolean;
  /** Forecast worker threads (0: forecasts in the pass's thread); default as the service (forecastThreadsFor: none on two cores). */
  readonly forecastWorkers?: number;
  /** Column queries in the store's read worker thread, or all in the pass's thread; default as the service (defaultReadWorker). */
  readonly readWorker?: boolean;
}

/** A fixed scenario start, so that a kept database matches the next run's cluster and window. */
const START_MS = Date.parse('2026-01-05T00:00:00Z');

export interface AnalysesBenchResult {
  scenario: string;
  scale: number;
  forecastWorkers: number;
  readWorker: boolean;
  namespaces: number;
  pods: number;
  containers: number;
  /** The database already held the history (`--db`): the seeding figures are zero. */
  reusedDb: boolean;
  series: number;
  samples: number;
  dbBytes: number;
  buildMs: number;
  syncMs: number;
  seedMs: number;
  analysisMs: number;
  /** A second pass with the forecast models the first one chose (the service's steady state), and its capacity step. */
  nextPassMs: number;
  nextCapacityMs: number;
  /** CPU time of the process during the pass (user + system): steadier than wall time on a shared machine. */
  analysisCpuMs: number;
  findings: number;
  recommendations: number;
  runs: AnalysisRun[];
  /** Capacity scopes (cluster, node pools, namespaces, quotas × CPU/memory) with a usable usage or requests forecast. */
  capacityJudged: number;
  capacityScopes: number;
  /** Whether the capacity step had a Σ requests history (`ok`), or why not. */
  requestsHistory: string;
  peakRssBytes: number;
  /** RSS as the first pass begins (the cluster cache, the store, after a full collection) and its peak over both passes. */
  passStartRssBytes: number;
  analysisPeakRssBytes: number;
}

/** Peak RSS sampled every 100 ms (the process's own high-water mark also counts the seeding). */
function rssSampler(): { peak: () => number; reset: () => void; stop: () => void } {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 100);
  return { peak: () => Math.max(peak, process.memoryUsage.rss()), reset: () => (peak = process.memoryUsage.rss()), stop: () => clearInterval(timer) };
}

/** Lists every kind once with the monitor's ClusterCache, then stops its watch loops. */
async function syncCache(kubeconfigYaml: string): Promise<ClusterCache> {
  const cache = new ClusterCache({ http: createKubeClient({ kubeconfigYaml, qps: 0 }).request });
  const stop = new AbortController();
  const running = cache.run(stop.signal);
  await cache.whenReady(AbortSignal.any([stop.signal, AbortSignal.timeout(300_000)]));
  stop.abort();
  await running.catch(() => undefined);
  return cache;
}

/** The cache restricted to every (1/scale)-th namespace in name order, so that a fraction of the cluster is analysed. */
function scaledView(cache: ClusterView, scale: number): { view: ClusterView; namespaces: Set<string> } {
  const all = cache.list('namespaces').map((n) => n.name).sort();
  const every = Math.max(1, Math.round(1 / scale));
  const namespaces = new Set(all.filter((_, i) => i % every === 0));
  if (scale >= 1) return { view: cache, namespaces };
  const view = Object.create(cache) as ClusterView;
  view.list = ((kind, namespace) =>
    kind === 'namespaces' ? cache.list('namespaces').filter((n) => namespaces.has(n.name)) : cache.list(kind, namespace)) as ClusterView['list'];
  return { view, namespaces };
}

interface Prepared {
  readonly view: ClusterView;
  readonly namespaces: Set<string>;
  readonly clusterName: string;
  readonly seed: HistorySeedReport;
  readonly reusedDb: boolean;
  readonly buildMs: number;
  readonly syncMs: number;
}

/**
 * The simulated cluster, in a child process (`krm sim`, its clock standing still at {@link START_MS}), listed once
 * into the monitor's ClusterCache and then stopped: the pass runs in a process that holds what the monitor holds
 * (the cache and the store), so that its RSS is the monitor's and no collection of the simulator's heap falls in it.
 */
async function syncFromChild(scenario: string): Promise<{ cache: ClusterCache; buildMs: number; syncMs: number }> {
  const t0 = performance.now();
  const sim = await startSimProcess(['--scenario', scenario, '--port', '0', '--speed', '0', '--start', new Date(START_MS).toISOString()], 600_000);
  try {
    const buildMs = performance.now() - t0;
    const t1 = performance.now();
    const cache = await syncCache(kubeconfigFor({ url: sim.url }));
    return { cache, buildMs, syncMs: performance.now() - t1 };
  } finally {
    await sim.stop();
  }
}

/**
 * Writes the history of the selected namespaces with an in-process simulation of the same scenario and start (the
 * child's cluster, object for object), which is then dropped.
 */
async function seed(opts: AnalysesBenchOptions, store: SqliteSampleStore, namespaces: ReadonlySet<string>): Promise<HistorySeedReport> {
  const simulation = new Simulation(loadScenario(opts.scenario), { startMs: START_MS, speed: 0 });
  try {
    return await seedHistory({
      simulation,
      store,
      cluster: simulation.scenario.name,
      days: opts.days,
      stepMs: opts.stepMs,
      include: (c) => namespaces.has(c.namespace),
      podHistory: store.history,
      onProgress: (p) => process.stderr.write(`\rseeding: ${p.containers}/${p.of} containers, ${(p.samples / 1e6).toFixed(0)} M samples`),
    });
  } finally {
    simulation.stop();
    process.stderr.write('\n');
  }
}

/** Lists the cluster and seeds the history unless the store holds it already (`--db` of an earlier run). */
async function prepare(opts: AnalysesBenchOptions, store: SqliteSampleStore): Promise<Prepared> {
  const clusterName = loadScenario(opts.scenario).name;
  const reusedDb = (await store.findSeries({ cluster: clusterName, kind: 'container' })).length > 0;
  const { cache, buildMs, syncMs } = await syncFromChild(opts.scenario);
  const { view, namespaces } = scaledView(cache, opts.scale);
  const window = seedWindow(START_MS, opts);
  const seeded = reusedDb ? { series: 0, samples: 0, pods: 0, fromMs: window.fromMs, toMs: window.toMs, durationMs: 0 } : await seed(opts, store, namespaces);
  return { view, namespaces, clusterName, seed: seeded, reusedDb, buildMs, syncMs };
}

/** A full collection before the timed pass, so that the simulator's freed heap is not collected inside it. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
}

/**
 * Starts the V8 CPU profiler in this process, so that the profile covers the pass and not the seeding; with `heap`,
 * the sampling heap profiler instead (allocation sites by bytes: what the garbage collector then has to clear).
 */
async function startProfile(heap: boolean): Promise<{ stop: () => Promise<object> }> {
  const session = new Session();
  session.connect();
  if (heap) await session.post('HeapProfiler.startSampling', { samplingInterval: 64 * 1024, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  else {
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 500 });
    await session.post('Profiler.start');
  }
  return {
    stop: async () => {
      const { profile } = heap ? await session.post('HeapProfiler.stopSampling') : await session.post('Profiler.stop');
      session.disconnect();
      return profile;
    },
  };
}

/**
 * The pass's findings, recommendations and capacity report as one JSON document, written an outlook at a time and
 * each on one line: with every capacity scope forecast (168 hourly points each), the report of the whole cluster is
 * longer than the longest string V8 makes, and indented it would be gigabytes. One outlook a line also diffs well.
 */
function writeDump(file: string, result: AnalysisResult): void {
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, `{"findings":${JSON.stringify(result.findings, null, 1)},\n"recommendations":${JSON.stringify(result.recommendations, null, 1)},\n"capacity":`);
    if (result.capacity === undefined) writeSync(fd, 'null');
    else {
      const { outlooks, ...rest } = result.capacity;
      writeSync(fd, `${JSON.stringify(rest, null, 1).slice(0, -2)},\n"outlooks":[`);
      outlooks.forEach((o, i) => writeSync(fd, `${i === 0 ? '' : ','}\n${JSON.stringify(o)}`));
      writeSync(fd, ']}');
    }
    writeSync(fd, '}\n');
  } finally {
    closeSync(fd);
  }
}

/** Capacity scopes judged, as the capacity step counts them (CapacityStepResult), which the pass's runs do not carry. */
function capacityCounts(report: CapacityReport | undefined): Pick<AnalysesBenchResult, 'capacityJudged' | 'capacityScopes' | 'requestsHistory'> {
  const outlooks = report?.outlooks ?? [];
  return {
    capacityJudged: outlooks.filter((o) => o.usage.status === 'ok' || o.requests?.status === 'ok').length,
    capacityScopes: outlooks.length,
    requestsHistory: report?.requestsHistory ?? 'not run',
  };
}

type PassOptions = Parameters<typeof analyseCluster>[0];

/** The measured pass (profiled when asked), then the next one as the service runs it, with the models kept. */
async function timedPasses(passOpts: PassOptions, opts: AnalysesBenchOptions) {
  const profiler = opts.profile === undefined ? undefined : await startProfile(opts.heapProfile === true);
  const t2 = performance.now();
  const cpu0 = process.cpuUsage();
  const result = await analyseCluster(passOpts);
  const analysisMs = performance.now() - t2;
  // The process's CPU time: the forecast worker threads' included.
  const cpu = process.cpuUsage(cpu0);
  if (profiler !== undefined) writeFileSync(opts.profile as string, JSON.stringify(await profiler.stop()));
  // The next pass, as the service runs it: the same data, each forecast fitted with the model kept from this one.
  const t3 = performance.now();
  const next = await analyseCluster(passOpts);
  const nextPassMs = performance.now() - t3;
  if (opts.dump !== undefined) writeDump(opts.dump, result);
  return { result, analysisMs, cpu, nextPassMs, nextCapacityMs: next.runs.find((r) => r.analysis === 'capacity')?.durationMs ?? 0 };
}

export async function benchAnalyses(opts: AnalysesBenchOptions): Promise<AnalysesBenchResult> {
  const rss = rssSampler();
  const dir = opts.db === undefined ? mkdtempSync(join(tmpdir(), 'krm-analyses-bench-')) : undefined;
  const store = await SqliteSampleStore.open({ path: opts.db ?? join(dir as string, 'krm.db') });
  // Forecast worker threads as the service starts them (forecastThreadsFor), unless told otherwise.
  const pool = forecastPoolFor(opts.forecastWorkers);
  const readWorker = opts.readWorker ?? defaultReadWorker();
  if (readWorker) store.startReadWorker();
  try {
    const { view, namespaces, clusterName, seed, ...prep } = await prepare(opts, store);
    collectGarbage();
    const peakRssBytes = rss.peak();
    rss.reset();
    const passStartRssBytes = process.memoryUsage.rss();
    // The models the service keeps between passes: empty for the first pass (every forecast searches its model, as
    // the first pass after a start does), kept for the next one.
    const models = new ModelMemory();
    const passOpts = { cluster: view, history: store, lifecycle: store.history, clusterName, nowMs: seed.toMs, settings: DEFAULT_ANALYSIS_SETTINGS, models, ...(pool === undefined ? {} : { forecaster: pool }) };
    const { result, analysisMs, cpu, nextPassMs, nextCapacityMs } = await timedPasses(passOpts, opts);
    const pods = [...namespaces].map((ns) => view.list('pods', ns));
    return {
      scenario: opts.scenario,
      scale: opts.scale,
      forecastWorkers: opts.forecastWorkers ?? defaultForecastThreads(),
      readWorker,
      namespaces: namespaces.size,
      pods: pods.reduce((n, list) => n + list.length, 0),
      containers: pods.reduce((n, list) => n + list.reduce((m, p) => m + p.containers.length, 0), 0),
      reusedDb: prep.reusedDb,
      series: seed.series,
      samples: seed.samples,
      dbBytes: await store.sizeBytes(),
      buildMs: prep.buildMs,
      syncMs: prep.syncMs,
      seedMs: seed.durationMs,
      analysisMs,
      nextPassMs,
      nextCapacityMs,
      analysisCpuMs: (cpu.user + cpu.system) / 1000,
      findings: result.findings.length,
      recommendations: result.recommendations.length,
      runs: result.runs,
      ...capacityCounts(result.capacity),
      peakRssBytes: Math.max(peakRssBytes, rss.peak()),
      passStartRssBytes,
      analysisPeakRssBytes: rss.peak(),
    };
  } finally {
    rss.stop();
    await pool?.close();
    await store.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  }
}

const s = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** The Markdown rows BENCHMARKS.md records. */
export function analysesBenchRows(r: AnalysesBenchResult): string[] {
  const what = `all analyses, ${r.scenario}${r.scale < 1 ? ` × ${r.scale}` : ''} (${r.pods.toLocaleString('en')} pods, ${r.containers.toLocaleString('en')} containers), 14 days of history`;
  const met = r.scale >= 1 ? (r.analysisMs < 60_000 ? 'met' : 'NOT met') : 'fraction only';
  const groups = r.runs.map((g) => `${g.analysis} ${s(g.durationMs)}${g.status === 'ok' ? '' : ` (${g.status})`}`).join(', ');
  return [
    `| ${what} | ${s(r.analysisMs)} (CPU ${s(r.analysisCpuMs)}), ${r.findings.toLocaleString('en')} findings, peak RSS ${(r.analysisPeakRssBytes / 2 ** 30).toFixed(2)} GiB (${(r.passStartRssBytes / 2 ** 30).toFixed(2)} GiB as it began) | < 60 s | ${met} |`,
    `| per group (${r.readWorker ? 'reads in the read worker; ' : ''}${r.forecastWorkers > 0 ? `capacity: the pass's own time, its forecasts in ${r.forecastWorkers} worker thread(s) meanwhile` : "capacity forecasts in the pass's thread"}) | ${groups} | | |`,
    `| next pass, forecast models kept (as the service runs) | ${s(r.nextPassMs)} (capacity ${s(r.nextCapacityMs)}) | | |`,
    `| capacity scopes forecast | ${r.capacityJudged.toLocaleString('en')} of ${r.capacityScopes.toLocaleString('en')} judged (requests history: ${r.requestsHistory}) | | |`,
    `| seeding (${(r.samples / 1e9).toFixed(2)} G samples, ${(r.dbBytes / 2 ** 30).toFixed(1)} GiB on disk) | ${s(r.seedMs)} | | |`,
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // The pass runs as in the service, which chooses where V8 marks by the CPUs it may use (bin/krm.js).
  configureMarking();
  const { values } = parseArgs({
    options: { scale: { type: 'string', default: '1' }, days: { type: 'string', default: '14' }, step: { type: 'string', default: '60' }, scenario: { type: 'string', default: 'scale-150k' }, db: { type: 'string' }, dump: { type: 'string' }, profile: { type: 'string' }, 'heap-profile': { type: 'boolean' }, 'forecast-workers': { type: 'string' }, 'read-worker': { type: 'string' } },
  });
  const workers = values['forecast-workers'];
  const r = await benchAnalyses({ scenario: values.scenario, scale: Number(values.scale), days: Number(values.days), stepMs: Number(values.step) * 1000, ...(values.db === undefined ? {} : { db: values.db }), ...(values.dump === undefined ? {} : { dump: values.dump }), ...(values.profile === undefined ? {} : { profile: values.profile, heapProfile: values['heap-profile'] === true }), ...(workers === undefined ? {} : { forecastWorkers: Number(workers) }), ...(values['read-worker'] === undefined ? {} : { readWorker: values['read-worker'] !== 'off' }) });
  console.log('| what | result | target | |\n|---|---|---|---|');
  for (const row of analysesBenchRows(r)) console.log(row);
  console.log(JSON.stringify(r));
}
