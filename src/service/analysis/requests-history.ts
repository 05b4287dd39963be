// SPDX-License-Identifier: Apache-2.0
// Σ requests over time, derived from the pod history (issue 5 item 7): the store keeps usage totals per namespace and
// cluster but no requests series, while every pod the monitor has seen is recorded with its requests, when it was
// created and when it finished or went. A pod's requests count from its creation to its end. Before the monitor's
// first observation, pods that had already gone are unknown, so the series starts at that observation: starting
// earlier would undercount the past and show growth that never happened.
import type { StoredPod } from '../../domain/history.ts';
import type { HistoryStore } from '../../domain/ports.ts';
import type { RegularSeries } from '../../analysis/forecast/index.ts';
import type { Sample } from '../../domain/series.ts';

/**
 * Pods read per page, and pages at most (2,000,000 pods); a longer history is reported as truncated. Each page is
 * added into the grid and dropped, so memory is the grid's (groups × steps), not the pods'.
 */
const PAGE = 1000;
const MAX_PAGES = 2000;

/** Requests of one group (the cluster, a namespace or a node) per step, as running sums over the grid. */
export interface RequestsGrid {
  /** First step (ms), aligned to `stepMs`; undefined: no pod history to stand on. */
  readonly startMs?: number;
  readonly stepMs: number;
  /** Steps in the grid; the last one is at or before `toMs`. */
  readonly steps: number;
  /** Per group key (`cluster`, `ns:<namespace>`, `node:<node>`): CPU millicores and memory bytes per step. */
  readonly groups: ReadonlyMap<string, { readonly cpu: Float64Array; readonly memory: Float64Array }>;
  /** True when the pod history was longer than the read allows; the grid is then empty. */
  readonly truncated: boolean;
}

interface Span {
  readonly keys: readonly string[];
  readonly fromMs: number;
  readonly toMs: number;
  readonly cpu: number;
  readonly memory: number;
}

/** Requests of a recorded pod: its app containers and native sidecars (init containers finish before they run). */
function spanOf(p: StoredPod): Span {
  let cpu = 0;
  let memory = 0;
  for (const c of p.containers) {
    if (c.init && !c.sidecar) continue;
    cpu += c.cpuRequestMillicores ?? 0;
    memory += c.memoryRequestBytes ?? 0;
  }
  const keys = ['cluster', `ns:${p.namespace}`, ...(p.nodeName === undefined ? [] : [`node:${p.nodeName}`])];
  return { keys, fromMs: p.createdAtMs ?? p.firstSeenMs, toMs: p.finishedAtMs ?? p.deletedAtMs ?? Number.POSITIVE_INFINITY, cpu, memory };
}

type Groups = Map<string, { cpu: Float64Array; memory: Float64Array }>;

function emptyGroup(steps: number): { cpu: Float64Array; memory: Float64Array } {
  return { cpu: new Float64Array(steps + 1), memory: new Float64Array(steps + 1) };
}

/** A grid of requests changes: each span adds +v at its first step and −v after its last. */
class Differences {
  readonly groups: Groups = new Map();

  constructor(readonly grid: { readonly startMs: number; readonly stepMs: number; readonly steps: number }) {}

  add(s: Span): void {
    const from = this.index(s.fromMs);
    const to = Number.isFinite(s.toMs) ? this.index(s.toMs) : this.grid.steps;
    if (to <= from) return;
    for (const key of s.keys) {
      let g = this.groups.get(key);
      if (g === undefined) this.groups.set(key, (g = emptyGroup(this.grid.steps)));
      g.cpu[from] = (g.cpu[from] as number) + s.cpu;
      g.cpu[to] = (g.cpu[to] as number) - s.cpu;
      g.memory[from] = (g.memory[from] as number) + s.memory;
      g.memory[to] = (g.memory[to] as number) - s.memory;
    }
  }

  /**
   * The running sums from step `first` on. A span that began before `first` counts from there, and one that ended
   * before it not at all: the same sums as a grid that had started at `first`.
   */
  sumsFrom(first: number): Groups {
    const out: Groups = new Map();
    const steps = this.grid.steps - first;
    for (const [key, g] of this.groups) {
      for (let i = 1; i <= this.grid.steps; i++) {
        g.cpu[i] = (g.cpu[i] as number) + (g.cpu[i - 1] as number);
        g.memory[i] = (g.memory[i] as number) + (g.memory[i - 1] as number);
      }
      out.set(key, { cpu: g.cpu.subarray(first, first + steps + 1), memory: g.memory.subarray(first, first + steps + 1) });
    }
    return out;
  }

  index(ms: number): number {
    return Math.min(this.grid.steps, Math.max(0, Math.ceil((ms - this.grid.startMs) / this.grid.stepMs)));
  }
}

/**
 * Reads the pod history of `[fromMs, toMs]` and sums the requests in force at each step, per group. Pages come newest
 * first, so the earliest observation (where the grid starts) is known only at the end: they are added into a grid
 * over the whole window, and its steps before that observation are cut off.
 */
export async function readRequestsGrid(o: { lifecycle: HistoryStore; cluster: string; fromMs: number; toMs: number; stepMs: number; signal?: AbortSignal }): Promise<RequestsGrid> {
  const windowStartMs = Math.ceil(o.fromMs / o.stepMs) * o.stepMs;
  const diffs = new Differences({ startMs: windowStartMs, stepMs: o.stepMs, steps: Math.max(0, Math.floor((o.toMs - windowStartMs) / o.stepMs) + 1) });
  let observedFromMs = Number.POSITIVE_INFINITY;
  let after: StoredPod | undefined;
  for (let page = 0; ; page++) {
    if (page === MAX_PAGES) return { stepMs: o.stepMs, steps: 0, groups: new Map(), truncated: true };
    o.signal?.throwIfAborted();
    const res = await o.lifecycle.queryPods({ cluster: o.cluster, fromMs: o.fromMs, toMs: o.toMs, limit: PAGE, ...(after === undefined ? {} : { after: { firstSeenMs: after.firstSeenMs, uid: after.uid } }) });
    for (const p of res.items) {
      observedFromMs = Math.min(observedFromMs, p.firstSeenMs);
      diffs.add(spanOf(p));
    }
    if (res.next === undefined) break;
    after = res.items[res.items.length - 1];
  }
  if (!Number.isFinite(observedFromMs)) return { stepMs: o.stepMs, steps: 0, groups: new Map(), truncated: false };
  const startMs = Math.ceil(Math.max(o.fromMs, observedFromMs) / o.stepMs) * o.stepMs;
  const steps = Math.max(0, Math.floor((o.toMs - startMs) / o.stepMs) + 1);
  // First seen after the window's end (a clock behind the recorder's, as the demo's scenario clock is): nothing known.
  if (steps === 0) return { stepMs: o.stepMs, steps: 0, groups: new Map(), truncated: false };
  return { startMs, stepMs: o.stepMs, steps, groups: diffs.sumsFrom(diffs.index(startMs)), truncated: false };
}

/** One or more groups summed (a node pool is its nodes) on the grid's steps; undefined without a pod history. */
export function requestsSeries(grid: RequestsGrid, q: { keys: readonly string[]; resource: 'cpu' | 'memory' }): RegularSeries | undefined {
  if (grid.startMs === undefined) return undefined;
  const values = new Float64Array(grid.steps);
  for (const key of q.keys) {
    const g = grid.groups.get(key)?.[q.resource];
    if (g !== undefined) for (let i = 0; i < grid.steps; i++) values[i] = (values[i] as number) + (g[i] as number);
  }
  return { startMs: grid.startMs, stepMs: grid.stepMs, values };
}

/** The samples of one or more groups summed (a node pool is its nodes); empty without a pod history. */
export function requestsSamples(grid: RequestsGrid, q: { keys: readonly string[]; resource: 'cpu' | 'memory' }): Sample[] {
  const s = requestsSeries(grid, q);
  return s === undefined ? [] : Array.from(s.values, (value, i) => ({ tsMs: s.startMs + i * s.stepMs, value }));
}
