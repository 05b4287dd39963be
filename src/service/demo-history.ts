// SPDX-License-Identifier: Apache-2.0
// The demo's week of history: a separate usage engine (same seed, nodes and containers as the live simulation, so
// the live engine is never moved backwards) steps over the days before the scenario's start, and the samples go
// straight into the store's chunks and rollups with `writeHistory`, under exactly the series keys the collector
// resolves for the demo's kubelet source (containers: CPU, working set and, with a CPU limit, the throttled ratio
// from the CFS counters; nodes: CPU, working set and root filesystem; mounted claims: used and capacity
// bytes) and for its totals (per workload, namespace and the cluster: CPU, working set and pod count). Workloads are
// resolved with the same ownership walk as the live cluster cache, over the simulation's own objects.
import type { SampleStore } from '../domain/ports.ts';
import { METRIC, type EntityKind, type HistorySeries, type SeriesKey } from '../domain/series.ts';
import type { BuiltNode, BuiltVolume, RunningContainer } from '../sim/model/scenario/built-types.ts';
import type { Simulation } from '../sim/simulation.ts';
import { UsageEngine } from '../sim/usage/engine.ts';
import { throttledRatio, type CfsCounters } from '../sources/usage/kubelet-cadvisor.ts';
import { resolveWorkload, type OwnerLookup } from '../sources/kube/ownership.ts';
import { projectPod } from '../sources/kube/project-pod.ts';
import { projectJob, projectReplicaSet } from '../sources/kube/project-workloads.ts';
import { yieldToEventLoop } from '../runtime/yield.ts';
import { DAY_MS } from '../domain/time.ts';

/** Series per `writeHistory` call: bounds the rows built and the transaction. */
const WRITE_BATCH = 50;

/** The slice of a logger the seeding needs; a pino `Logger` satisfies it. */
export interface SeedLog {
  info(obj: object, msg: string): void;
}

export interface SeedOptions {
  readonly simulation: Simulation;
  readonly store: SampleStore;
  /** The `cluster` of every series key (the collector's). */
  readonly cluster: string;
  /** Days of history before the scenario's start (default 7). */
  readonly days?: number;
  /** Sampling and integration step in ms (default 60,000). */
  readonly stepMs?: number;
  readonly log?: SeedLog;
}

export interface SeedReport {
  /** False when the store already held series of the cluster (nothing written). */
  readonly seeded: boolean;
  readonly series: number;
  readonly samples: number;
  readonly fromMs: number;
  readonly toMs: number;
  readonly durationMs: number;
}

/** One entity's series being filled: a value column per metric (NaN: absent). */
interface Target {
  readonly kind: EntityKind;
  readonly entity: string;
  /** Samples before this time (the container's start, the claim's creation) stay absent. */
  readonly sinceMs: number;
  readonly values: ReadonlyMap<string, Float64Array>;
  /** Reads the engine's current values into column index `k`. */
  fill(engine: UsageEngine, k: number): void;
}

interface Window {
  readonly fromMs: number;
  readonly toMs: number;
  readonly stepMs: number;
  readonly steps: number;
}

/** The grid ends strictly before the scenario's start, so that no live sample shares a timestamp with it. */
function windowOf(startMs: number, days: number, stepMs: number): Window {
  const toMs = Math.floor((startMs - 1) / stepMs) * stepMs;
  const steps = Math.round((days * DAY_MS) / stepMs);
  return { fromMs: toMs - steps * stepMs, toMs, stepMs, steps };
}

function nanColumn(n: number): Float64Array {
  return new Float64Array(n).fill(Number.NaN);
}

function historyEngine(simulation: Simulation, w: Window): UsageEngine {
  const { built } = simulation;
  const engine = new UsageEngine({ seed: built.seed, startMs: w.fromMs, stepMs: w.stepMs, capacityHint: built.containers.length });
  for (const n of built.nodes) {
    engine.addNode({ name: n.name, cpuCores: n.cpuCores, memoryBytes: n.memoryBytes, fsCapacityBytes: n.ephemeralStorageBytes, bootTimeMs: n.bootTimeMs });
  }
  // Containers that started within the window join when history reaches their start (see `fill`), as they do in the
  // live engine: declared earlier, their demand before the start would count on the node and in the CFS counters.
  for (const c of built.containers) if (c.startedAtMs <= w.fromMs) engine.addContainer(c);
  // A volume fills linearly from its declaration: declared at the window's start with what it held then, it reaches
  // the live engine's starting fill at the scenario's start (the table clamps an empty past at 0).
  const hours = (built.nowMs - w.fromMs) / 3_600_000;
  for (const v of built.volumes) engine.addVolume({ ...v, initialUsedBytes: v.initialUsedBytes - v.fillBytesPerHour * hours });
  return engine;
}

function columnsFor(metrics: readonly string[], steps: number): Map<string, Float64Array> {
  return new Map(metrics.map((m) => [m, nanColumn(steps)]));
}

/** Writes step `k` of several metrics' columns. */
function put(values: ReadonlyMap<string, Float64Array>, k: number, row: Readonly<Record<string, number>>): void {
  for (const metric in row) (values.get(metric) as Float64Array)[k] = row[metric] as number;
}

/**
 * A container's CPU and working set as the kubelet summary gives them, and for a container with a CPU limit (the
 * only ones with CFS counters) the throttled share of the periods since the previous step, computed from the
 * cumulative counters exactly as the live kubelet source computes it between two collects. RSS, which the live
 * source also stores, is left out: no analysis, route or chart reads it, and it would add half again to the
 * samples the demo writes before it is ready.
 */
function containerTarget(c: RunningContainer, steps: number): Target {
  const throttled = (c.limits.cpuCores ?? 0) > 0;
  const metrics = [METRIC.cpuMillicores, METRIC.memoryWorkingSetBytes, ...(throttled ? [METRIC.throttleRatio] : [])];
  const values = columnsFor(metrics, steps);
  let previous: CfsCounters | undefined;
  return {
    kind: 'container',
    entity: `${c.namespace}/${c.pod}/${c.container}`,
    sinceMs: c.startedAtMs,
    values,
    fill(engine, k) {
      const u = engine.container(c.namespace, c.pod, c.container);
      if (u === undefined) return;
      put(values, k, { [METRIC.cpuMillicores]: u.cpuCores * 1000, [METRIC.memoryWorkingSetBytes]: u.memoryWorkingSetBytes });
      if (!throttled) return;
      const counters = { periods: u.cfsPeriodsTotal, throttledPeriods: u.cfsThrottledPeriodsTotal };
      const ratio = throttledRatio(previous, counters);
      previous = counters;
      if (ratio !== undefined) put(values, k, { [METRIC.throttleRatio]: ratio });
    },
  };
}

/** A node's CPU, working set and root filesystem, as the summary's `node` block gives them. */
function nodeTarget(n: BuiltNode, steps: number): Target {
  const values = columnsFor([METRIC.cpuMillicores, METRIC.memoryWorkingSetBytes, METRIC.usedBytes, METRIC.capacityBytes], steps);
  return {
    kind: 'node',
    entity: n.name,
    sinceMs: n.bootTimeMs,
    values,
    fill(engine, k) {
      const u = engine.node(n.name);
      if (u === undefined) return;
      put(values, k, {
        [METRIC.cpuMillicores]: u.cpuCores * 1000,
        [METRIC.memoryWorkingSetBytes]: u.memoryWorkingSetBytes,
        [METRIC.usedBytes]: u.fsUsedBytes,
        [METRIC.capacityBytes]: u.fsCapacityBytes,
      });
    },
  };
}

/** A mounted claim's used and capacity bytes (the summary's volume stats with a `pvcRef`), since its creation. */
function volumeTarget(v: BuiltVolume, ctx: { simulation: Simulation; steps: number }): Target {
  const values = columnsFor([METRIC.usedBytes, METRIC.capacityBytes], ctx.steps);
  const created = Date.parse(ctx.simulation.store.get('persistentvolumeclaims', v.namespace, v.claim)?.metadata.creationTimestamp ?? '');
  return {
    kind: 'pvc',
    entity: `${v.namespace}/${v.claim}`,
    sinceMs: Number.isFinite(created) ? created : ctx.simulation.built.nowMs,
    values,
    fill(engine, k) {
      const u = engine.volume(v.namespace, v.claim);
      if (u === undefined) return;
      put(values, k, { [METRIC.usedBytes]: u.usedBytes, [METRIC.capacityBytes]: u.capacityBytes });
    },
  };
}

function targetsOf(simulation: Simulation, steps: number): Target[] {
  const { built } = simulation;
  // Only mounted claims are in a kubelet's summary.
  const volumes = built.volumes.filter((v) => v.pod !== undefined).map((v) => volumeTarget(v, { simulation, steps }));
  return [...built.containers.map((c) => containerTarget(c, steps)), ...built.nodes.map((n) => nodeTarget(n, steps)), ...volumes];
}

/** Steps the engine over the window and fills every target's columns (index k is `fromMs + (k + 1) × stepMs`). */
function fill(engine: UsageEngine, targets: readonly Target[], opts: { window: Window; containers: readonly RunningContainer[] }): void {
  const w = opts.window;
  const later = opts.containers.filter((c) => c.startedAtMs > w.fromMs).sort((a, b) => a.startedAtMs - b.startedAtMs);
  let next = 0;
  let k = 0;
  for (const t of engine.history(w.fromMs, w.toMs, w.stepMs)) {
    while (next < later.length && (later[next] as RunningContainer).startedAtMs <= t) engine.addContainer(later[next++] as RunningContainer);
    for (const target of targets) if (t >= target.sinceMs) target.fill(engine, k);
    k++;
  }
}

function timestamps(w: Window): Float64Array {
  const ts = new Float64Array(w.steps);
  for (let k = 0; k < w.steps; k++) ts[k] = w.fromMs + (k + 1) * w.stepMs;
  return ts;
}

/** One series to write: its key's kind, entity and metric, and a value per step (NaN: absent). */
interface Column {
  readonly kind: EntityKind;
  readonly entity: string;
  readonly metric: string;
  readonly values: Float64Array;
}

function targetColumns(targets: readonly Target[]): Column[] {
  return targets.flatMap((t) => [...t.values].map(([metric, values]): Column => ({ kind: t.kind, entity: t.entity, metric, values })));
}

/** Sums of one workload, namespace or the cluster per step, as the collector writes them. */
interface Totals {
  readonly kind: EntityKind;
  readonly entity: string;
  readonly cpu: Float64Array;
  readonly memory: Float64Array;
  readonly pods: Float64Array;
}

/** `namespace/Kind/name` of a pod of the simulation, resolved like the cluster cache does. */
function workloadResolver(simulation: Simulation): (namespace: string, pod: string) => string | undefined {
  const { store } = simulation;
  const lookup: OwnerLookup = {
    replicaSet: (ns, name) => projectReplicaSet(store.get('replicasets.apps', ns, name)),
    job: (ns, name) => projectJob(store.get('jobs.batch', ns, name)),
  };
  return (namespace, name) => {
    const pod = projectPod(store.get('pods', namespace, name));
    if (pod === undefined) return undefined;
    const w = resolveWorkload(pod, lookup);
    return `${w.namespace}/${w.kind}/${w.name}`;
  };
}

/** Adds one pod's per-step sums into a total; a step where the pod has no sample adds nothing. */
function addPod(total: Totals, pod: { cpu: Float64Array; memory: Float64Array }): void {
  for (let k = 0; k < pod.cpu.length; k++) {
    const cpu = pod.cpu[k] as number;
    if (Number.isNaN(cpu)) continue;
    total.cpu[k] = (Number.isNaN(total.cpu[k] as number) ? 0 : (total.cpu[k] as number)) + cpu;
    total.memory[k] = (Number.isNaN(total.memory[k] as number) ? 0 : (total.memory[k] as number)) + (pod.memory[k] as number);
    total.pods[k] = (Number.isNaN(total.pods[k] as number) ? 0 : (total.pods[k] as number)) + 1;
  }
}

/** Per-step sums of one pod's containers; a step where none of them has a sample stays absent. */
function podSums(containers: readonly Target[], steps: number): { cpu: Float64Array; memory: Float64Array } {
  const cpu = nanColumn(steps);
  const memory = nanColumn(steps);
  for (const c of containers) {
    const cCpu = c.values.get(METRIC.cpuMillicores) as Float64Array;
    const cMemory = c.values.get(METRIC.memoryWorkingSetBytes) as Float64Array;
    for (let k = 0; k < steps; k++) {
      if (Number.isNaN(cCpu[k] as number)) continue;
      cpu[k] = (Number.isNaN(cpu[k] as number) ? 0 : (cpu[k] as number)) + (cCpu[k] as number);
      memory[k] = (Number.isNaN(memory[k] as number) ? 0 : (memory[k] as number)) + (cMemory[k] as number);
    }
  }
  return { cpu, memory };
}

/** The collector's totals over the filled container columns: per workload, per namespace and for the cluster. */
function totalsColumns(opts: SeedOptions, targets: readonly Target[], steps: number): Column[] {
  const byPod = new Map<string, Target[]>();
  for (const t of targets) {
    if (t.kind !== 'container') continue;
    const podKey = t.entity.slice(0, t.entity.lastIndexOf('/'));
    const list = byPod.get(podKey);
    if (list === undefined) byPod.set(podKey, [t]);
    else list.push(t);
  }
  const totals = new Map<string, Totals>();
  const totalOf = (kind: EntityKind, entity: string): Totals => {
    const key = `${kind}\u0000${entity}`;
    let t = totals.get(key);
    if (t === undefined) totals.set(key, (t = { kind, entity, cpu: nanColumn(steps), memory: nanColumn(steps), pods: nanColumn(steps) }));
    return t;
  };
  const workloadOf = workloadResolver(opts.simulation);
  for (const [podKey, containers] of byPod) {
    const [namespace = '', name = ''] = podKey.split('/');
    const sums = podSums(containers, steps);
    addPod(totalOf('cluster', opts.cluster), sums);
    addPod(totalOf('namespace', namespace), sums);
    const workload = workloadOf(namespace, name);
    if (workload !== undefined) addPod(totalOf('workload', workload), sums);
  }
  return [...totals.values()].flatMap((t): Column[] => [
    { kind: t.kind, entity: t.entity, metric: METRIC.cpuMillicores, values: t.cpu },
    { kind: t.kind, entity: t.entity, metric: METRIC.memoryWorkingSetBytes, values: t.memory },
    { kind: t.kind, entity: t.entity, metric: METRIC.pods, values: t.pods },
  ]);
}

/** Resolves the columns' series and writes them `WRITE_BATCH` series at a time; returns the samples written. */
async function writeColumns(opts: SeedOptions, columns: readonly Column[], w: Window): Promise<number> {
  const timestampsMs = timestamps(w);
  let samples = 0;
  for (let i = 0; i < columns.length; i += WRITE_BATCH) {
    const chunk = columns.slice(i, i + WRITE_BATCH);
    const keys = chunk.map((c): SeriesKey => ({ cluster: opts.cluster, kind: c.kind, entity: c.entity, metric: c.metric }));
    const ids = await opts.store.resolveSeries(keys);
    const series = chunk.map((c, j): HistorySeries => ({ seriesId: ids[j] as number, timestampsMs, values: c.values }));
    samples += (await opts.store.writeHistory({ series })).samples;
    // Let timers and I/O run between batches.
    await yieldToEventLoop();
  }
  return samples;
}

/**
 * Writes `days` of history for the simulation's nodes and running containers, ending just before the scenario's
 * start. Does nothing when the store already holds series of the cluster (a restart on the same database).
 */
export async function seedDemoHistory(opts: SeedOptions): Promise<SeedReport> {
  const started = performance.now();
  const w = windowOf(opts.simulation.built.nowMs, opts.days ?? 7, opts.stepMs ?? 60_000);
  const base = { fromMs: w.fromMs, toMs: w.toMs };
  if ((await opts.store.findSeries({ cluster: opts.cluster })).length > 0) {
    opts.log?.info({ ...base }, 'demo history skipped: the database already holds data');
    return { seeded: false, series: 0, samples: 0, ...base, durationMs: performance.now() - started };
  }
  const targets = targetsOf(opts.simulation, w.steps);
  opts.log?.info({ ...base, entities: targets.length, steps: w.steps }, 'demo history: generating');
  fill(historyEngine(opts.simulation, w), targets, { window: w, containers: opts.simulation.built.containers });
  const columns = [...targetColumns(targets), ...totalsColumns(opts, targets, w.steps)];
  opts.log?.info({ durationMs: Math.round(performance.now() - started) }, 'demo history: generated, writing');
  const samples = await writeColumns(opts, columns, w);
  const report = { seeded: true, series: columns.length, samples, ...base, durationMs: performance.now() - started };
  opts.log?.info({ series: report.series, samples, durationMs: Math.round(report.durationMs) }, 'demo history written');
  return report;
}
