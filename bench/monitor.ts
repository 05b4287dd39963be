// SPDX-License-Identifier: Apache-2.0
// Benchmark of the monitor against the simulated cluster (issue 4's targets, scenario scale-150k):
//   1. initial sync of every kind (a ClusterCache until whenReady) against `kubectl get pods -A -o json`, run
//      interleaved (kubectl, monitor, kubectl, monitor, …) so that machine noise hits both; medians and the ratio,
//      and the monitor's peak RSS (its own process: the simulator runs in another);
//   2. watch throughput: a recorded pod watch stream replayed through the real watch loop (bench/monitor-watch.ts);
//   3. collection cycles through the kubelet summaries (node proxy) and through metrics.k8s.io, each source into its own
//      SqliteSampleStore on a temporary file (the first cycle creates every series, the later ones are the steady state);
//   4. `/api/v1/pods` at a fixed rate against the monitor's app (bench/monitor-load.ts).
// The simulator is pinned to core 1 with this driver (idle while the monitor works), kubectl and the monitor to
// core 0, when taskset is present. Ingest rate and bytes per stored sample: bench/store.ts.
// Usage: node --import tsx bench/monitor.ts [--scenario scale-150k] [--runs 3] [--watch-events 60000]
//        [--rate 200] [--seconds 300] [--api-cycle-at 6|none] [--api-cycle-every 60] [--no-pin] [--monitor-cores 1|2] [--cycles 3] [--interval 0] [--only-sampling [--source kubelet|metrics-server]] [--no-warmup]
//        [--out bench/results/monitor-<scenario>.json]
// `--only-sampling` runs the collection cycles alone (no kubectl, watch replay or API load), for work on that path;
// `--source` runs one source's cycles alone, in a process that ran no other (its memory is that source's);
// `--no-warmup` leaves the series to the first cycle (the service registers them first: series-warmup.ts);
// `--interval S` starts a cycle every S seconds as the service does (the garbage collector then has the idle time).
// `--api-cycle-at S` and `--api-cycle-every E` run metrics-server cycles during the API load, the first S seconds
// after the API phase starts (its first 3 s are the unmeasured warm-up load) and then one every E seconds, as the
// service collects (default 6 and 60: five cycles in the 300 s, 3 s into each minute of it; `none`: none).
// Besides the p99 of the whole load, the report gives each 20 s window's.
// Diagnostics of the monitor child, by environment: KRM_BENCH_CHILD_FLAGS (Node flags, e.g. `--trace-gc-nvp` or
// `--cpu-prof --cpu-prof-dir=DIR`), KRM_BENCH_HEAP_PROFILE=FILE (a heap profile of the API phase, or with KRM_BENCH_HEAP_PROFILE_CYCLE=N of sampling cycle N: bench/heap-sample.ts),
// KRM_BENCH_DECODE_WORKER=0 (the
// usage bodies parsed in the main thread rather than in the decode worker, as with collection.decodeWorker off);
// KRM_BENCH_SIM_FLAGS (Node flags of the simulator: test/support/sim-process.ts);
// KRM_BENCH_SKIP_KUBECTL=1 runs no kubectl (the sync ratio is then not measured); KRM_BENCH_API_GARBAGE_AT_S=S puts a
// full collection's marking into the API load (bench/old-garbage.ts).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startSimProcess } from '../test/support/sim-process.ts';
import { kubectlPath } from '../test/support/tools.ts';
import { WARMUP_MS, warmedPodsLoad, WINDOW_MS, type LoadResult } from './monitor-load.ts';
import type { ApiReady, ChildMessage, CycleReport, DoneReport, SamplingReport, SyncReport, WatchReport } from './monitor-protocol.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface MonitorBenchOptions {
  readonly scenario: string;
  readonly runs: number;
  readonly watchEvents: number;
  readonly rate: number;
  readonly seconds: number;
  /** Pin the simulator and the driver to core 1, kubectl and the monitor to core 0 (default: when taskset exists). */
  readonly pin?: boolean;
  /**
   * Cores the monitor and kubectl are pinned to: 1 (core 0, default) or 2 (both cores, as the target machine gives
   * the monitor; the simulator and the driver stay on core 1, so the monitor shares that core with them).
   */
  readonly monitorCores?: number;
  /** Collection cycles per source (the first creates the series; default 3). */
  readonly cycles?: number;
  /** Seconds from one cycle's start to the next's, as the service's collection interval (default 0: back to back). */
  readonly interval?: number;
  /** `--only-sampling`: one source alone, or both in turn (default). */
  readonly source?: string;
  /** Register the listed pods' series before the first cycle, as the service does (default true; `--no-warmup`). */
  readonly warmup?: boolean;
  /** Seconds after the API phase's start (3 s of warm-up load, then the measured load) of its first metrics-server cycle (default 6; NaN: none). */
  readonly apiCycleAt?: number;
  /** Seconds from one cycle in the API load to the next (default 60, as the service collects; 0: the first alone). */
  readonly apiCycleEvery?: number;
}

export interface MonitorBenchResult {
  readonly scenario: string;
  readonly pinned: boolean;
  readonly simBuildMs: number;
  readonly sync: {
    readonly kubectlMs: readonly number[];
    readonly monitorMs: readonly number[];
    readonly kubectlMedianMs: number;
    readonly monitorMedianMs: number;
    /** Monitor median / kubectl median (target ≤ 1). */
    readonly ratio: number;
    readonly monitorPeakRssBytes: number;
    readonly objects: Readonly<Record<string, number>>;
  };
  readonly watch: WatchReport & { readonly eventsPerSec: number; readonly eventsPerCpuSec: number };
  readonly sampling: readonly CycleReport[];
  readonly api: LoadResult & { readonly rate: number; readonly seconds: number };
  /** The first {@link WARMUP_MS} of load after start, while the cached orders are built. */
  readonly apiWarmup: LoadResult;
  /** Peak RSS of the monitor over every phase (the watch recording and the store included). */
  readonly monitorPeakRssAllPhasesBytes: number;
}

const hasTaskset = (): boolean => spawnSync('taskset', ['--version']).status === 0;
let pinning = false;
/** The `taskset -c` list of the monitor's and kubectl's cores. */
let monitorCpuList = '0';

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** The monitor's side (kubectl, the monitor child): on core 0, or on both with `--monitor-cores 2`. */
function onMonitorCores(cmd: string, args: string[]): [string, string[]] {
  return pinning ? ['taskset', ['-c', monitorCpuList, cmd, ...args]] : [cmd, args];
}

/** `kubectl get pods -A -o json > /dev/null`, timed from spawn to exit. */
async function timeKubectl(kubeconfig: string): Promise<number> {
  const [cmd, args] = onMonitorCores(kubectlPath(), ['--kubeconfig', kubeconfig, 'get', 'pods', '-A', '-o', 'json']);
  const t0 = performance.now();
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  if (code !== 0) throw new Error(`kubectl exited ${code}: ${err}`);
  return performance.now() - t0;
}

/** Messages of one monitor child, awaited in the order the child sends them. */
class ChildChannel {
  private readonly queue: ChildMessage[] = [];
  private waiter: (() => void) | undefined;
  private exited = false;

  constructor(readonly child: ChildProcess) {
    child.on('message', (m: ChildMessage) => {
      this.queue.push(m);
      this.waiter?.();
    });
    child.once('exit', () => {
      this.exited = true;
      this.waiter?.();
    });
  }

  async next<T extends ChildMessage['type']>(type: T): Promise<Extract<ChildMessage, { type: T }>> {
    for (;;) {
      const m = this.queue.shift();
      if (m?.type === 'error') throw new Error(`monitor child failed: ${m.message}`);
      if (m?.type === type) return m as Extract<ChildMessage, { type: T }>;
      if (m) throw new Error(`monitor child sent ${m.type}, expected ${type}`);
      if (this.exited) throw new Error(`monitor child exited before sending ${type}`);
      await new Promise<void>((r) => (this.waiter = r));
    }
  }
}

/** The Node flags the `krm` command starts with: those of bin/krm.js's `#!/usr/bin/env -S node …` line. */
function krmNodeFlags(): string[] {
  const shebang = readFileSync(join(ROOT, 'bin', 'krm.js'), 'utf8').split('\n', 1)[0] ?? '';
  return shebang.replace(/^#!.*?\bnode\b/, '').trim().split(/\s+/).filter((f) => f.startsWith('--'));
}

function startChild(args: string[]): ChildChannel {
  // The monitor runs with the young generation and heap growth `krm` runs with; KRM_BENCH_CHILD_FLAGS adds more
  // (say `--cpu-prof --cpu-prof-dir=DIR` to profile the monitor alone, which NODE_OPTIONS does not allow).
  const extra = (process.env.KRM_BENCH_CHILD_FLAGS ?? '').split(/\s+/).filter((f) => f !== '');
  const [cmd, cmdArgs] = onMonitorCores(process.execPath, [...krmNodeFlags(), ...extra, '--import', 'tsx', join(ROOT, 'bench', 'monitor-child.ts'), ...args]);
  const child = spawn(cmd, cmdArgs, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], cwd: ROOT });
  return new ChildChannel(child);
}

interface FullRun {
  readonly sync: SyncReport;
  readonly watch: WatchReport;
  readonly sampling: SamplingReport;
  readonly api: LoadResult;
  readonly warmup: LoadResult;
  readonly done: DoneReport;
}

async function fullRun(ch: ChildChannel, opts: MonitorBenchOptions): Promise<FullRun> {
  const sync = await ch.next('synced');
  const watch = await ch.next('watch');
  console.error(`  watch: ${watch.events} events in ${watch.ms.toFixed(0)} ms`);
  const sampling = await ch.next('sampling');
  console.error(`  sampling: ${sampling.cycles.map((c) => `${c.source}#${c.cycle} ${c.totalMs.toFixed(0)} ms`).join(', ')}`);
  const ready: ApiReady = await ch.next('api');
  const { warmup, load: api } = await warmedPodsLoad({ base: ready.url, rate: opts.rate, durationMs: opts.seconds * 1000, namespaces: ready.namespaces });
  ch.child.send({ type: 'stop' });
  return { sync, watch, sampling, api, warmup, done: await ch.next('done') };
}

/** The monitor child's arguments for a sync-only or a full run. */
function fullArgs(at: { kubeconfig: string; dataDir: string }, mode: 'sync' | 'full', opts: MonitorBenchOptions): string[] {
  const cycles = ['--cycles', String(opts.cycles ?? 3), '--interval-ms', String((opts.interval ?? 0) * 1000), '--warmup', String(opts.warmup ?? true)];
  const load = ['--api-cycle-at', String(opts.apiCycleAt ?? 6), '--api-cycle-every', String(opts.apiCycleEvery ?? 60)];
  return ['--kubeconfig', at.kubeconfig, '--mode', mode, '--data-dir', at.dataDir, '--watch-events', String(opts.watchEvents), ...cycles, ...load];
}

/** kubectl, monitor, kubectl, monitor, …; the last monitor run goes on to the other phases. */
async function interleaved(kubeconfig: string, dataDir: string, opts: MonitorBenchOptions) {
  const kubectlMs: number[] = [];
  const syncs: SyncReport[] = [];
  let last: FullRun | undefined;
  // KRM_BENCH_SKIP_KUBECTL=1 leaves kubectl out (its 2–4 minutes at scale), for runs that look at the later phases.
  const skipKubectl = process.env.KRM_BENCH_SKIP_KUBECTL === '1';
  for (let run = 1; run <= opts.runs; run++) {
    kubectlMs.push(skipKubectl ? Number.NaN : await timeKubectl(kubeconfig));
    console.error(`  run ${run}: kubectl ${kubectlMs.at(-1)?.toFixed(0)} ms`);
    const mode = run === opts.runs ? 'full' : 'sync';
    const ch = startChild(fullArgs({ kubeconfig, dataDir }, mode, opts));
    if (mode === 'full') {
      last = await fullRun(ch, opts);
      syncs.push(last.sync);
    } else {
      syncs.push(await ch.next('synced'));
      await ch.next('done');
    }
    const s = syncs.at(-1) as SyncReport;
    console.error(`  run ${run}: monitor ${s.ms.toFixed(0)} ms (${(s.maxRssBytes / 2 ** 20).toFixed(0)} MiB)`);
  }
  return { kubectlMs, syncs, last: last as FullRun };
}

/** The simulator in its own process (pinned with this driver to core 1 when taskset exists) and a temporary folder. */
async function startSim(opts: MonitorBenchOptions) {
  const pinned = (opts.pin ?? true) && hasTaskset();
  pinning = pinned;
  monitorCpuList = opts.monitorCores === 2 ? '0,1' : '0';
  // This driver shares core 1 with the simulator; it is idle while the monitor syncs, and sends the API load.
  if (pinned) spawnSync('taskset', ['-a', '-p', '-c', '1', String(process.pid)]);
  const dir = mkdtempSync(join(tmpdir(), 'krm-bench-monitor-'));
  const kubeconfig = join(dir, 'sim.kubeconfig');
  const t0 = performance.now();
  const sim = await startSimProcess(['--scenario', opts.scenario, '--port', '0', '--write-kubeconfig', kubeconfig], 600_000);
  const simBuildMs = performance.now() - t0;
  if (pinned) spawnSync('taskset', ['-a', '-p', '-c', '1', String(sim.child.pid)]);
  return { pinned, dir, kubeconfig, sim, simBuildMs };
}

/** The collection cycles alone (`--only-sampling`): no kubectl, watch replay or API load. */
export async function benchSampling(opts: MonitorBenchOptions): Promise<readonly CycleReport[]> {
  const { dir, kubeconfig, sim } = await startSim(opts);
  try {
    const ch = startChild(['--kubeconfig', kubeconfig, '--mode', 'sampling', '--data-dir', dir, '--cycles', String(opts.cycles ?? 3), '--interval-ms', String((opts.interval ?? 0) * 1000), '--source', opts.source ?? 'both', '--warmup', String(opts.warmup ?? true)]);
    await ch.next('synced');
    const { cycles } = await ch.next('sampling');
    await ch.next('done');
    return cycles;
  } finally {
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs every phase against a fresh simulator and removes its temporary files. */
export async function benchMonitor(opts: MonitorBenchOptions): Promise<MonitorBenchResult> {
  const { pinned, dir, kubeconfig, sim, simBuildMs } = await startSim(opts);
  try {
    const { kubectlMs, syncs, last } = await interleaved(kubeconfig, dir, opts);
    const monitorMs = syncs.map((s) => s.ms);
    return {
      scenario: opts.scenario,
      pinned,
      simBuildMs,
      sync: {
        kubectlMs,
        monitorMs,
        kubectlMedianMs: median(kubectlMs),
        monitorMedianMs: median(monitorMs),
        ratio: median(monitorMs) / median(kubectlMs),
        monitorPeakRssBytes: Math.max(...syncs.map((s) => s.maxRssBytes)),
        objects: last.sync.objects,
      },
      watch: { ...last.watch, eventsPerSec: (last.watch.events / last.watch.ms) * 1000, eventsPerCpuSec: (last.watch.events / last.watch.cpuMs) * 1000 },
      sampling: last.sampling.cycles,
      api: { ...last.api, rate: opts.rate, seconds: opts.seconds },
      apiWarmup: last.warmup,
      monitorPeakRssAllPhasesBytes: last.done.maxRssBytes,
    };
  } finally {
    await sim.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (n: number, d = 0): string => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const mark = (ok: boolean): string => (ok ? 'met' : 'NOT met');

/** One table row per collection cycle. */
export function samplingRows(cycles: readonly CycleReport[]): string[] {
  return cycles.map((c) => {
    const first = c.warmup ? ` (after the series warm-up: ${fmt(c.warmup.registered)} series in ${fmt(c.warmup.ms / 1000, 1)} s)` : ' (series created)';
    const what = `${c.source} cycle ${c.cycle}${c.cycle === 1 ? first : ''}, ${fmt(c.containers)} containers, ${fmt(c.samples)} samples`;
    const memory = `RSS ${fmt(c.rssBytes / 2 ** 30, 2)} GiB (peak so far ${fmt(c.peakRssBytes / 2 ** 30, 2)}), heap ${fmt(c.heapUsedBytes / 2 ** 30, 2)} GiB`;
    return `| ${what} | ${fmt(c.totalMs / 1000, 1)} s (collect ${fmt(c.collectMs / 1000, 1)} s, store ${fmt(c.storeMs / 1000, 1)} s; ${memory}) | < 10 s | ${mark(c.totalMs < 10_000)} |`;
  });
}

/** The result as the Markdown table BENCHMARKS.md records. */
export function formatMonitorReport(r: MonitorBenchResult): string {
  const s = r.sync;
  const podsCount = s.objects.pods ?? 0;
  const rows = [
    `| initial sync, all kinds (${fmt(podsCount)} pods; median of ${s.monitorMs.length}) | ${fmt(s.monitorMedianMs / 1000, 1)} s vs kubectl ${fmt(s.kubectlMedianMs / 1000, 1)} s: ratio ${fmt(s.ratio, 2)} | ≤ 1.0 | ${mark(s.ratio <= 1)} |`,
    `| peak RSS after the sync | ${fmt(s.monitorPeakRssBytes / 2 ** 30, 2)} GiB | < 1.5 GB | ${mark(s.monitorPeakRssBytes < 1.5e9)} |`,
    `| watch, ${fmt(r.watch.events)} recorded pod events replayed | ${fmt(r.watch.eventsPerSec)} events/s (${fmt(r.watch.eventsPerCpuSec)} per CPU-second) | ≥ 10,000 events/s | ${mark(r.watch.eventsPerSec >= 10_000)} |`,
  ];
  rows.push(...samplingRows(r.sampling));
  const a = r.api;
  const failed = a.requests - a.ok;
  rows.push(`| \`/api/v1/pods\` at ${a.rate} req/s for ${a.seconds} s (${fmt(a.requests)} requests, ${failed} failed${a.restarts > 0 ? `, ${a.restarts} cursor walks restarted after a collection (the documented 400)` : ''}) | p50 ${fmt(a.p50Ms, 1)} ms, p99 ${fmt(a.p99Ms, 1)} ms (load generator's own event-loop delay: p99 ${fmt(a.driverLagP99Ms, 1)} ms, max ${fmt(a.driverLagMaxMs, 1)} ms) | p99 < 50 ms | ${mark(a.p99Ms < 50 && failed === 0)} |`);
  if (a.windowP99Ms.length > 0) {
    // A window with no answer at all (NaN) counts as over.
    const over = a.windowP99Ms.filter((ms) => !(ms < 50)).length;
    rows.push(`| the same, p99 of each ${fmt(WINDOW_MS / 1000)} s window | ${a.windowP99Ms.map((ms) => fmt(ms, 1)).join(', ')} ms: ${over} of ${a.windowP99Ms.length} at 50 ms or more | | |`);
  }
  const w = r.apiWarmup;
  rows.push(`| the same, first ${fmt(WARMUP_MS / 1000)} s after start (before it: the cached orders are built) | p50 ${fmt(w.p50Ms, 1)} ms, p99 ${fmt(w.p99Ms, 1)} ms, max ${fmt(w.maxMs, 1)} ms | | |`);
  rows.push(`| peak RSS over all phases | ${fmt(r.monitorPeakRssAllPhasesBytes / 2 ** 30, 2)} GiB | | |`);
  return ['| what | result | target | |', '|---|---|---|---|', ...rows].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      scenario: { type: 'string', default: 'scale-150k' },
      runs: { type: 'string', default: '3' },
      'watch-events': { type: 'string', default: '60000' },
      rate: { type: 'string', default: '200' },
      seconds: { type: 'string', default: '300' },
      'api-cycle-at': { type: 'string', default: '6' },
      'api-cycle-every': { type: 'string', default: '60' },
      out: { type: 'string' },
      'no-pin': { type: 'boolean', default: false },
      'monitor-cores': { type: 'string', default: '1' },
      cycles: { type: 'string', default: '3' },
      interval: { type: 'string', default: '0' },
      'only-sampling': { type: 'boolean', default: false },
      source: { type: 'string', default: 'both' },
      'no-warmup': { type: 'boolean', default: false },
    },
  });
  if (!['1', '2'].includes(values['monitor-cores'])) throw new Error(`--monitor-cores is 1 or 2, not ${values['monitor-cores']}`);
  if (values['no-pin'] && values['monitor-cores'] === '2') throw new Error('--monitor-cores 2 pins the monitor: it does not go with --no-pin');
  const opts = { scenario: values.scenario, runs: Number(values.runs), watchEvents: Number(values['watch-events']), rate: Number(values.rate), seconds: Number(values.seconds), pin: !values['no-pin'], monitorCores: Number(values['monitor-cores']), cycles: Number(values.cycles), interval: Number(values.interval), source: values.source, warmup: !values['no-warmup'], apiCycleAt: Number(values['api-cycle-at']), apiCycleEvery: Number(values['api-cycle-every']) };
  if (values['only-sampling']) {
    console.log(['| what | result | target | |', '|---|---|---|---|', ...samplingRows(await benchSampling(opts))].join('\n'));
    process.exit(0);
  }
  const r = await benchMonitor(opts);
  const out = values.out ?? join(ROOT, 'bench', 'results', `monitor-${opts.scenario}.json`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `${JSON.stringify(r, null, 2)}\n`);
  console.log(formatMonitorReport(r));
  console.log(`\nJSON: ${out}`);
}
