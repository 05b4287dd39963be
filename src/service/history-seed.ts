// SPDX-License-Identifier: Apache-2.0
// Long history for a large simulated cluster, written straight into the store's rollup tiers with raw chunks only
// for the most recent days (as the store holds them after retention). The demo's seeding (demo-history.ts) holds
// every column of the cluster in memory at once, which a week of 275 containers affords but 14 days of 225,000 do
// not (about 70 GB at 60 s): here the nodes are taken a few at a time, each group with the containers it runs, in
// a usage engine of its own, so memory is bounded by the group and a node's usage still sums its own containers.
// Series keys are the collector's (container and node CPU in millicores, working set in bytes), and so are the
// namespace and cluster totals summed from the containers as each group is filled (history-seed-totals.ts). The pod
// history, which the capacity forecasts' Σ requests read, is written on request (history-seed-pods.ts).
import type { HistoryStore, SampleStore } from '../domain/ports.ts';
import { METRIC, type EntityKind } from '../domain/series.ts';
import type { RunningContainer } from '../sim/model/scenario/built-types.ts';
import type { Simulation } from '../sim/simulation.ts';
import { UsageEngine } from '../sim/usage/engine.ts';
import { seedPodHistory } from './history-seed-pods.ts';
import { TotalsAccumulator, writeColumns, type ContainerColumns } from './history-seed-totals.ts';
import { yieldToEventLoop } from '../runtime/yield.ts';
import { DAY_MS } from '../domain/time.ts';

/** The totals' default step: the collector's totals as the store's 5-minute rollup holds them. */
const TOTALS_STEP_MS = 300_000;

export interface HistorySeedOptions {
  readonly simulation: Simulation;
  readonly store: SampleStore;
  /** The `cluster` of every series key (the collector's). */
  readonly cluster: string;
  /** Days of history ending just before the scenario's start. */
  readonly days: number;
  /** Days at the end kept as raw chunks too (default 1); older samples only feed the rollups. */
  readonly rawDays?: number;
  /** Sampling and integration step in ms (default 60,000). */
  readonly stepMs?: number;
  /** Containers to seed (default all); their nodes are seeded with the usage of the selected containers only. */
  readonly include?: (c: RunningContainer) => boolean;
  /** Containers per usage engine (default 2,000): bounds memory to about 2 × 8 bytes × steps per container. */
  readonly groupContainers?: number;
  /** Step of the namespace and cluster totals in ms (default 5 min, or the seed's step if coarser): a multiple of
   * the seed's step that divides the hour. Each value is the mean of the per-step sums within it. */
  readonly totalsStepMs?: number;
  /** A lifecycle store to record the seeded pods in (their requests and creation), as the monitor would have. */
  readonly podHistory?: HistoryStore;
  readonly onProgress?: (p: { containers: number; of: number; samples: number }) => void;
}

export interface HistorySeedReport {
  readonly series: number;
  readonly samples: number;
  /** Pods recorded in the pod history (0 without `podHistory`). */
  readonly pods: number;
  readonly fromMs: number;
  readonly toMs: number;
  readonly durationMs: number;
}

interface Window {
  readonly fromMs: number;
  readonly toMs: number;
  readonly stepMs: number;
  readonly steps: number;
}

interface Target {
  readonly kind: EntityKind;
  readonly entity: string;
  /** The container's namespace and pod, for the totals; absent for a node. */
  readonly pod?: { readonly namespace: string; readonly name: string };
  readonly sinceMs: number;
  readonly cpu: Float64Array;
  readonly memory: Float64Array;
  read(engine: UsageEngine): { cpuCores: number; memoryWorkingSetBytes: number } | undefined;
}

/** The grid ends strictly before the scenario's start, so that no live sample shares a timestamp with it. */
export function seedWindow(startMs: number, o: { days: number; stepMs: number }): Window {
  const toMs = Math.floor((startMs - 1) / o.stepMs) * o.stepMs;
  const steps = Math.round((o.days * DAY_MS) / o.stepMs);
  return { fromMs: toMs - steps * o.stepMs, toMs, stepMs: o.stepMs, steps };
}

/** Nodes in groups of about `size` containers, each node with the selected containers it runs. */
function nodeGroups(simulation: Simulation, o: { include: (c: RunningContainer) => boolean; size: number }): { nodes: string[]; containers: RunningContainer[] }[] {
  const byNode = new Map<string, RunningContainer[]>(simulation.built.nodes.map((n) => [n.name, []]));
  for (const c of simulation.built.containers) if (o.include(c)) byNode.get(c.node)?.push(c);
  const groups: { nodes: string[]; containers: RunningContainer[] }[] = [];
  let current = { nodes: [] as string[], containers: [] as RunningContainer[] };
  for (const [node, containers] of byNode) {
    if (containers.length === 0) continue;
    current.nodes.push(node);
    current.containers.push(...containers);
    if (current.containers.length >= o.size) {
      groups.push(current);
      current = { nodes: [], containers: [] };
    }
  }
  if (current.nodes.length > 0) groups.push(current);
  return groups;
}

function column(steps: number): Float64Array {
  return new Float64Array(steps).fill(Number.NaN);
}

function groupTargets(simulation: Simulation, group: { nodes: string[]; containers: RunningContainer[] }, steps: number): Target[] {
  const nodes = new Set(group.nodes);
  const targets: Target[] = [];
  for (const n of simulation.built.nodes) {
    if (!nodes.has(n.name)) continue;
    targets.push({ kind: 'node', entity: n.name, sinceMs: n.bootTimeMs, cpu: column(steps), memory: column(steps), read: (e) => e.node(n.name) });
  }
  for (const c of group.containers) {
    const entity = `${c.namespace}/${c.pod}/${c.container}`;
    targets.push({ kind: 'container', entity, pod: { namespace: c.namespace, name: c.pod }, sinceMs: c.startedAtMs, cpu: column(steps), memory: column(steps), read: (e) => e.container(c.namespace, c.pod, c.container) });
  }
  return targets;
}

function newEngine(simulation: Simulation, group: { nodes: string[]; containers: RunningContainer[] }, w: Window): UsageEngine {
  const nodes = new Set(group.nodes);
  const engine = new UsageEngine({ seed: simulation.built.seed, startMs: w.fromMs, stepMs: w.stepMs, capacityHint: group.containers.length });
  for (const n of simulation.built.nodes) {
    if (nodes.has(n.name)) engine.addNode({ name: n.name, cpuCores: n.cpuCores, memoryBytes: n.memoryBytes, fsCapacityBytes: n.ephemeralStorageBytes, bootTimeMs: n.bootTimeMs });
  }
  for (const c of group.containers) engine.addContainer(c);
  return engine;
}

/** Steps the engine over the window and fills the targets' columns (index k is `fromMs + (k + 1) × stepMs`). */
function fill(engine: UsageEngine, targets: readonly Target[], w: Window): void {
  let k = 0;
  for (const t of engine.history(w.fromMs, w.toMs, w.stepMs)) {
    for (const target of targets) {
      if (t < target.sinceMs) continue;
      const u = target.read(engine);
      if (u === undefined) continue;
      target.cpu[k] = u.cpuCores * 1000;
      target.memory[k] = u.memoryWorkingSetBytes;
    }
    k++;
  }
}

/** The last `rawDays` exactly: the sample at the day's left edge belongs to the rollup-only past. */
function rawFrom(o: HistorySeedOptions, w: Window): number {
  return w.toMs - (o.rawDays ?? 1) * DAY_MS + 1;
}

async function writeTargets(o: HistorySeedOptions, targets: readonly Target[], w: Window): Promise<number> {
  const timestampsMs = new Float64Array(w.steps);
  for (let k = 0; k < w.steps; k++) timestampsMs[k] = w.fromMs + (k + 1) * w.stepMs;
  const columns = targets.flatMap((t) => [
    { key: { cluster: o.cluster, kind: t.kind, entity: t.entity, metric: METRIC.cpuMillicores }, values: t.cpu },
    { key: { cluster: o.cluster, kind: t.kind, entity: t.entity, metric: METRIC.memoryWorkingSetBytes }, values: t.memory },
  ]);
  return writeColumns(o.store, { columns, timestampsMs, rawFromMs: rawFrom(o, w) });
}

function containerColumns(targets: readonly Target[]): ContainerColumns[] {
  const out: ContainerColumns[] = [];
  for (const t of targets) if (t.pod !== undefined) out.push({ namespace: t.pod.namespace, pod: t.pod.name, cpu: t.cpu, memory: t.memory });
  return out;
}

/** The totals after every group, and the pod history when asked for; returns the series and samples written. */
async function writeTotals(o: HistorySeedOptions, totals: TotalsAccumulator, w: Window): Promise<{ series: number; samples: number; pods: number }> {
  const columns = totals.columns(o.cluster);
  const samples = await writeColumns(o.store, { columns, timestampsMs: totals.timestampsMs(), rawFromMs: rawFrom(o, w) });
  if (o.podHistory === undefined) return { series: columns.length, samples, pods: 0 };
  const pods = await seedPodHistory({ simulation: o.simulation, history: o.podHistory, cluster: o.cluster, include: o.include ?? (() => true), fromMs: w.fromMs, passMs: totals.stepMs });
  return { series: columns.length, samples, pods };
}

/**
 * Writes `days` of history for the simulation's nodes and running containers (or those `include` selects), and the
 * totals of their namespaces and the cluster, ending just before the scenario's start: every rollup tier over the
 * whole window, raw chunks for the last `rawDays`; with `podHistory`, the selected pods' records too.
 * The store must not hold samples of these series in the window yet (`writeHistory` must not overlap).
 */
export async function seedHistory(o: HistorySeedOptions): Promise<HistorySeedReport> {
  const started = performance.now();
  const w = seedWindow(o.simulation.built.nowMs, { days: o.days, stepMs: o.stepMs ?? 60_000 });
  const totals = new TotalsAccumulator(w, o.totalsStepMs ?? Math.max(TOTALS_STEP_MS, w.stepMs));
  const groups = nodeGroups(o.simulation, { include: o.include ?? (() => true), size: o.groupContainers ?? 2_000 });
  const of = groups.reduce((n, g) => n + g.containers.length, 0);
  let containers = 0;
  let samples = 0;
  let series = 0;
  for (const group of groups) {
    const targets = groupTargets(o.simulation, group, w.steps);
    fill(newEngine(o.simulation, group, w), targets, w);
    totals.add(containerColumns(targets));
    samples += await writeTargets(o, targets, w);
    series += targets.length * 2;
    containers += group.containers.length;
    o.onProgress?.({ containers, of, samples });
    // Let timers and I/O run between groups.
    await yieldToEventLoop();
  }
  const t = await writeTotals(o, totals, w);
  return { series: series + t.series, samples: samples + t.samples, pods: t.pods, fromMs: w.fromMs, toMs: w.toMs, durationMs: performance.now() - started };
}
