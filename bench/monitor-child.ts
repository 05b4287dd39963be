// SPDX-License-Identifier: Apache-2.0
// The monitor under test for bench/monitor.ts, in a process of its own so that its peak RSS is its own (the
// simulator runs in a third process). It wires the product's components as src/service.ts does: the kube client
// with the configured defaults (50 requests/s, burst 100), a ClusterCache over every kind, the usage sources, the
// collector into a SqliteSampleStore, and the fastify app. Driven over IPC (monitor-protocol.ts).
// Usage (forked by the driver): monitor-child.ts --kubeconfig FILE --mode sync|full|sampling --data-dir DIR [--watch-events N] [--cycles N]
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildApp } from '../src/api/build-app.ts';
import type { LastCollection } from '../src/api/contract.ts';
import type { EventLogger } from '../src/logging/events.ts';
import { createLogger } from '../src/logging/logger.ts';
import { createSelfMetrics, type SelfMetrics } from '../src/metrics/registry.ts';
import { systemClock } from '../src/runtime/clock.ts';
import { configureMarking } from '../src/runtime/gc-marking.ts';
import { createCollector, type Collector } from '../src/service/collector.ts';
import { createHealthProvider } from '../src/service/health-provider.ts';
import { ClusterCache, createKubeClient, type KubeHttp } from '../src/sources/kube/index.ts';
import { silentLogger } from '../src/sources/kube/watch-log.ts';
import {
  createDecodePool,
  createKubeletSummarySource,
  createMetricsServerSource,
  createSourceSelector,
  type MetricsSource,
  type SourceSelector,
  type UsageDecoder,
} from '../src/sources/usage/index.ts';
import { SqliteSampleStore } from '../src/store/sample-store.ts';
import { ConfigSchema } from '../src/config/schema.ts';
import { benchWatchReplay, recordPodWatch } from './monitor-watch.ts';
import { heapProfileCycle, heapProfileWindow } from './heap-sample.ts';
import { measureLoopDelay } from './loop-delay.ts';
import { oldGarbageDuringLoad } from './old-garbage.ts';
import type { ChildMessage, CycleReport, StopMessage, SyncReport } from './monitor-protocol.ts';

function send(msg: ChildMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    if (!process.send) return reject(new Error('monitor-child must be forked with an IPC channel'));
    process.send(msg, (err: Error | null) => (err ? reject(err) : resolve()));
  });
}

/** Watch restarts and relists (time since the process began, kind): printed for the API phase, to match its stalls. */
const watchRestarts: Array<readonly [number, string]> = [];

async function sync(http: KubeHttp, signal: AbortSignal): Promise<{ cache: ClusterCache; running: Promise<void>; report: SyncReport }> {
  const t0 = performance.now();
  const cache = new ClusterCache({ http, hooks: { onRestart: (kind) => watchRestarts.push([performance.now(), kind]) } });
  const running = cache.run(signal);
  await cache.whenReady(signal);
  const ms = performance.now() - t0;
  const report: SyncReport = {
    type: 'synced',
    ms,
    // maxRSS is in KiB.
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    heapUsedBytes: process.memoryUsage().heapUsed,
    objects: cache.counts(),
  };
  return { cache, running, report };
}

/** Times the source's collect inside the collector's cycle, so the store's share is the rest. */
function timed(source: MetricsSource): { source: MetricsSource; lastMs: () => number } {
  let ms = 0;
  return {
    lastMs: () => ms,
    source: {
      name: source.name,
      async collect(req) {
        const t = performance.now();
        try {
          return await source.collect(req);
        } finally {
          ms = performance.now() - t;
        }
      },
    },
  };
}

interface SamplingDeps {
  readonly http: KubeHttp;
  /** The node-proxy client, with the service's separate budget (collection.kubeletQps). */
  readonly proxyHttp: KubeHttp;
  readonly cache: ClusterCache;
  readonly store: SqliteSampleStore;
  readonly metrics: SelfMetrics;
  /** Where the usage bodies are parsed, as the service does (collection.decodeWorker); undefined: this thread. */
  readonly decoder: UsageDecoder | undefined;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * One cycle that saw new samples. metrics.k8s.io answers with the same timestamps until its next scrape, and
 * the source drops pods whose timestamp it has already stored, so a cycle that saw no container is repeated
 * (after a second, for at most two minutes) rather than reported as a fast cycle.
 */
async function freshCycle(collector: Collector, signal: AbortSignal): Promise<{ totalMs: number; last: LastCollection | undefined }> {
  const giveUpAt = performance.now() + 120_000;
  for (;;) {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    await collector.collectOnce(signal);
    const totalMs = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    const last = collector.lastCollection();
    // The monitor's own CPU beside the wall time: a cycle much longer than its CPU waited on the cluster's answers.
    console.error(`  collection: ${last?.source} ${last?.containers} containers in ${totalMs.toFixed(0)} ms (monitor CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms)`);
    if ((last?.containers ?? 0) > 0 || performance.now() > giveUpAt) return { totalMs, last };
    await sleep(1000);
  }
}

/** A cycle's report: what was measured around it, and the process's memory right after it. */
function cycleReport(
  m: Pick<CycleReport, 'source' | 'cycle' | 'totalMs' | 'collectMs' | 'samples' | 'nodes'>,
  last: LastCollection | undefined,
  warmup: CycleReport['warmup'] | undefined,
): CycleReport {
  return {
    ...m,
    ...(warmup ? { warmup } : {}),
    containers: last?.containers ?? 0,
    errors: last?.errors ?? 0,
    storeMs: m.totalMs - m.collectMs,
    rssBytes: process.memoryUsage.rss(),
    heapUsedBytes: process.memoryUsage().heapUsed,
    // maxRSS is in KiB.
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  };
}

/** As the service does after the sync: the series of the listed pods first, then the cycles (series-warmup.ts). */
async function warmUp(collector: Collector, signal: AbortSignal): Promise<{ ms: number; registered: number }> {
  const t0 = performance.now();
  const { registered } = await collector.warmSeries(signal);
  const ms = performance.now() - t0;
  console.error(`  series warm-up: ${registered} series in ${ms.toFixed(0)} ms`);
  return { ms, registered };
}

async function runCycles(deps: SamplingDeps & { cycles: number; intervalMs: number; warmup: boolean }, which: 'metrics-server' | 'kubelet', signal: AbortSignal): Promise<{ cycles: CycleReport[]; collector: Collector; selector: SourceSelector }> {
  const nodes = (): string[] => deps.cache.list('nodes').map((n) => n.name);
  const decoding = deps.decoder === undefined ? {} : { decoder: deps.decoder };
  const inner = which === 'metrics-server' ? createMetricsServerSource({ http: deps.http, ...decoding }) : createKubeletSummarySource({ http: deps.proxyHttp, nodes, ...decoding });
  const t = timed(inner);
  const selector = createSourceSelector({ mode: which, ...(which === 'metrics-server' ? { metricsServer: t.source } : { kubelet: t.source }) });
  let samples = 0;
  // The collector reports the samples it stored in its `collection.done` event.
  const log: EventLogger = { ...silentLogger, info: (entry) => (samples = (entry as { samples?: number }).samples ?? samples) };
  // With the cluster view, as the service runs it: workload, namespace and cluster totals are written too.
  const collector = createCollector({ selector, store: deps.store, metrics: deps.metrics, log, clock: systemClock, cluster: 'bench', clusterView: deps.cache });
  const warmup = deps.warmup ? await warmUp(collector, signal) : undefined;
  const cycles: CycleReport[] = [];
  for (let cycle = 1; cycle <= deps.cycles; cycle++) {
    const { totalMs, last } = await heapProfileCycle(cycle, () => freshCycle(collector, signal));
    const measured = { source: which, cycle, totalMs, collectMs: t.lastMs(), samples, nodes: nodes().length };
    cycles.push(cycleReport(measured, last, cycle === 1 ? warmup : undefined));
    // Like the service, which starts a cycle every collection interval and is idle in between.
    if (cycle < deps.cycles) await sleep(Math.max(0, deps.intervalMs - totalMs));
  }
  return { cycles, collector, selector };
}

async function waitForStop(): Promise<void> {
  await new Promise<void>((resolve) => {
    process.on('message', (m: StopMessage) => {
      if (m.type === 'stop') resolve();
    });
  });
}

/** When the API phase runs collection cycles, as the service's cycles fall between requests every minute. */
interface LoadCycles {
  /** Seconds into the API phase (its 3 s of warm-up load included) of the first cycle; NaN runs none. */
  readonly atS: number;
  /** Seconds from one cycle's start to the next's; 0 or NaN runs the first alone. */
  readonly everyS: number;
}

/**
 * Runs metrics-server cycles during the API phase (`--api-cycle-at`, `--api-cycle-every`: by default one 6 s after
 * the phase starts, 3 s into the measured load, and then one a minute, so that the 300 s load has five, as the
 * service runs). The returned function waits for the
 * cycles and says when they ran.
 */
function cycleDuringLoad(collector: Collector, t0: number, when: LoadCycles): () => Promise<string | undefined> {
  const at = when.atS;
  if (!Number.isFinite(at)) return async () => undefined;
  const every = when.everyS;
  const since = (): string => ((performance.now() - t0) / 1000).toFixed(1);
  const ran: Promise<string>[] = [];
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  // The next cycle starts E seconds after the last one started, or when it ends if it took longer: never two at once.
  const start = (): void => {
    const from = performance.now();
    const cycle = collector.collectOnce(new AbortController().signal).then(() => `${((from - t0) / 1000).toFixed(1)}–${since()} s`);
    ran.push(cycle);
    const next = (): void => {
      if (!stopped) timer = setTimeout(start, Math.max(0, from + every * 1000 - performance.now()));
    };
    if (Number.isFinite(every) && every > 0) void cycle.then(next);
  };
  timer = setTimeout(start, at * 1000);
  return async () => {
    stopped = true;
    clearTimeout(timer);
    if (ran.length === 0) return undefined;
    return `${(await Promise.all(ran)).join(', ')} into the phase`;
  };
}

async function serveApi(deps: SamplingDeps & { collector: Collector; selector: SourceSelector; loadCycles: LoadCycles }): Promise<void> {
  const log = createLogger({ level: 'warn', destination: { write: () => undefined } });
  const health = createHealthProvider({ cluster: deps.cache, store: deps.store, selector: deps.selector, lastCollection: () => deps.collector.lastCollection(), storeOpen: () => true });
  const app = buildApp({ clusterView: deps.cache, sampleStore: deps.store, latestUsage: deps.collector, health, metrics: deps.metrics, log, config: {} });
  await app.listen({ host: '127.0.0.1', port: 0 });
  try {
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    const namespaces = deps.cache.list('namespaces').map((n) => n.name);
    const stopped = waitForStop();
    // The monitor's own event-loop delay while the driver loads the API: what a request could have waited here.
    // And when it stood still for more than 100 ms, to tell the first requests' order building (the driver's first
    // 3 s) from a stall inside the measured window.
    const t0 = performance.now();
    const stopLag = measureLoopDelay({ stallsOverMs: 100 });
    const stopProfile = heapProfileWindow();
    const cycle = cycleDuringLoad(deps.collector, t0, deps.loadCycles);
    const stopGarbage = oldGarbageDuringLoad();
    await send({ type: 'api', url: `http://127.0.0.1:${port}`, namespaces });
    await stopped;
    stopProfile();
    stopGarbage();
    const cycleWindow = await cycle();
    if (cycleWindow !== undefined) console.error(`  metrics-server cycles ran during the API load: ${cycleWindow}`);
    const lag = stopLag();
    console.error(`  monitor event-loop delay during the API phase: p99 ${lag.p99Ms.toFixed(1)} ms, max ${lag.maxMs.toFixed(1)} ms; stalls over 100 ms: ${lag.stalls.join(', ') || 'none'}`);
    const restarts = watchRestarts.filter(([at]) => at >= t0).map(([at, kind]) => `${((at - t0) / 1000).toFixed(1)} s: ${kind}`);
    console.error(`  watch restarts and relists during the API phase: ${restarts.join(', ') || 'none'}`);
  } finally {
    await app.close();
  }
}

interface PhaseOptions {
  readonly http: KubeHttp;
  readonly proxyHttp: KubeHttp;
  readonly cache: ClusterCache;
  readonly decoder: UsageDecoder | undefined;
  readonly dataDir: string;
  readonly watchEvents: number;
  readonly cycles: number;
  /** Time from one cycle's start to the next's (0: back to back). */
  readonly intervalMs: number;
  /** `sampling`: the collection cycles alone (no watch replay, no API load), for work on the sampling path. */
  readonly mode: 'full' | 'sampling';
  /** `sampling` only: the one source to run (a service runs one at a time), or both in turn. */
  readonly source: 'both' | 'kubelet' | 'metrics-server';
  /** Registers the listed pods' series before the first cycle, as the service does (false: the cycles create them). */
  readonly warmup: boolean;
  /** The collection cycles during the API load. */
  readonly loadCycles: LoadCycles;
}

/**
 * One source's cycles into a store of its own, closed afterwards. Only the reports come back: the store and the
 * collector (which holds it) become garbage before the next source's cycles.
 */
async function cyclesInOwnStore(deps: Omit<SamplingDeps, 'store'> & { cycles: number; intervalMs: number; warmup: boolean; path: string }, which: 'metrics-server' | 'kubelet', signal: AbortSignal): Promise<CycleReport[]> {
  const store = await SqliteSampleStore.open({ path: deps.path });
  try {
    return (await runCycles({ ...deps, store }, which, signal)).cycles;
  } finally {
    await store.close();
  }
}

async function full(opts: PhaseOptions, signal: AbortSignal): Promise<void> {
  if (opts.mode === 'full') {
    // A watch from version 0 sends one ADDED per pod, then only churn: ask for no more events than there are pods.
    const recording = await recordPodWatch(opts.http, Math.min(opts.watchEvents, opts.cache.counts().pods));
    const watch = await benchWatchReplay(opts.http, recording);
    console.error(`  watch replay: ${watch.events} events (${(watch.bytes / 2 ** 20).toFixed(0)} MiB) in ${watch.ms.toFixed(0)} ms wall, ${watch.cpuMs.toFixed(0)} CPU-ms`);
    await send(watch);
  }
  // Each source writes its own store, as a monitor that runs one source does: both first cycles create every series
  // (the kubelet's 865,000, the metrics-server's 640,000). The kubelet's store is closed before the other opens, so
  // neither cycle runs beside the other's heads; the metrics-server's stays open for the API phase.
  const base = { http: opts.http, proxyHttp: opts.proxyHttp, cache: opts.cache, decoder: opts.decoder, metrics: createSelfMetrics(), cycles: opts.cycles, intervalMs: opts.intervalMs, warmup: opts.warmup };
  const kubeletCycles = opts.source === 'metrics-server' ? [] : await cyclesInOwnStore({ ...base, path: join(opts.dataDir, 'bench-kubelet.db') }, 'kubelet', signal);
  if (opts.mode === 'sampling' && opts.source === 'kubelet') return send({ type: 'sampling', cycles: kubeletCycles });
  const store = await SqliteSampleStore.open({ path: join(opts.dataDir, 'bench.db') });
  try {
    const deps = { ...base, store };
    const viaMetrics = await runCycles(deps, 'metrics-server', signal);
    await send({ type: 'sampling', cycles: [...viaMetrics.cycles, ...kubeletCycles] });
    if (opts.mode === 'full') await serveApi({ ...deps, collector: viaMetrics.collector, selector: viaMetrics.selector, loadCycles: opts.loadCycles });
  } finally {
    await store.close();
  }
}

function sourceOf(v: string): PhaseOptions['source'] {
  if (v === 'both' || v === 'kubelet' || v === 'metrics-server') return v;
  throw new Error(`--source must be both, kubelet or metrics-server, not ${v}`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      kubeconfig: { type: 'string' },
      mode: { type: 'string', default: 'sync' },
      'data-dir': { type: 'string' },
      'watch-events': { type: 'string', default: '60000' },
      cycles: { type: 'string', default: '3' },
      'interval-ms': { type: 'string', default: '0' },
      source: { type: 'string', default: 'both' },
      warmup: { type: 'string', default: 'true' },
      'api-cycle-at': { type: 'string', default: 'NaN' },
      'api-cycle-every': { type: 'string', default: 'NaN' },
    },
  });
  // The service's defaults: kube.qps and kube.burst for the watch loops, collection.kubeletQps for the proxy.
  const defaults = ConfigSchema.parse({});
  const client = createKubeClient({ kubeconfigPath: values.kubeconfig, qps: defaults.kube.qps, burst: defaults.kube.burst });
  const proxyQps = defaults.collection.kubeletQps;
  const proxyClient = createKubeClient({ kubeconfigPath: values.kubeconfig, qps: proxyQps, burst: Math.ceil(proxyQps) });
  // KRM_BENCH_DECODE_WORKER=0 parses the usage bodies in the main thread, for a side-by-side run.
  const decoder = defaults.collection.decodeWorker && process.env.KRM_BENCH_DECODE_WORKER !== '0' ? createDecodePool() : undefined;
  decoder?.start();
  const ac = new AbortController();
  const { cache, running, report } = await sync(client.request, ac.signal);
  console.error(`  monitor synced in ${report.ms.toFixed(0)} ms, maxRSS ${(report.maxRssBytes / 2 ** 20).toFixed(0)} MiB`);
  await send(report);
  try {
    if (values.mode === 'full' || values.mode === 'sampling') {
      const phases = { mode: values.mode, cycles: Number(values.cycles), intervalMs: Number(values['interval-ms']), dataDir: values['data-dir'] ?? '.', watchEvents: Number(values['watch-events']), source: sourceOf(values.source), warmup: values.warmup !== 'false', loadCycles: { atS: Number(values['api-cycle-at']), everyS: Number(values['api-cycle-every']) } } as const;
      await full({ http: client.request, proxyHttp: proxyClient.request, cache, decoder, ...phases }, ac.signal);
    }
  } finally {
    ac.abort();
    await running;
    await decoder?.close();
  }
  await send({ type: 'done', maxRssBytes: process.resourceUsage().maxRSS * 1024 });
  process.disconnect();
}

// The monitor's marking is chosen as bin/krm.js chooses it: by the CPUs this process may use (its pinning).
configureMarking();
main().catch(async (err: unknown) => {
  await send({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) }).catch(() => undefined);
  process.exit(1);
});
