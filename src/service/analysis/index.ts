// SPDX-License-Identifier: Apache-2.0
// One analysis pass over a cluster (issue 5): namespace by namespace, the history is read in a few bulk queries,
// the pure analyses of `src/analysis` judge it, and the event loop gets a turn between namespaces so that the API
// stays responsive during a pass over a large cluster. A failing namespace degrades its groups; the rest go on.
import type { Finding } from '../../analysis/findings.ts';
import type { Pod } from '../../domain/resources.ts';
import { isActivePod } from '../../domain/pod-resources.ts';
import { METRIC } from '../../domain/series.ts';
import { capacityStep, readCapacityInputs, type CapacityStepOptions, type CapacityStepResult } from './capacity-forecasts.ts';
import { analyseContainer, type ContainerTally } from './containers.ts';
import { containerEnds, type EndsByContainer } from './lifecycle.ts';
import { analyseNodeGroup, type ContainerUsage } from './nodes.ts';
import { readNamespace, type EntitySeries, type NamespaceHistory } from './read.ts';
import { rightsizeNamespace, rightsizingFinding } from './rightsizing.ts';
import { analysePvcs, analyseQuotas, type ScopeResult } from './scopes.ts';
import { ANALYSIS_GROUPS, type AnalyseClusterOptions, type AnalysisGroup, type AnalysisResult, type AnalysisRun, type CapacityReport, type RightsizingRecommendation } from './types.ts';
import { yieldToEventLoop } from '../../runtime/yield.ts';

export type * from './types.ts';
export { ANALYSIS_GROUPS, DEFAULT_ANALYSIS_SETTINGS } from './types.ts';

/**
 * Groups implemented here. `capacity` covers the PVC exhaustion check of §3.8 per namespace and, after the
 * namespaces, the cluster-wide forecasts of `src/analysis/forecast` (capacity-forecasts.ts).
 */
const IMPLEMENTED: readonly AnalysisGroup[] = ['rightsizing', 'oom-risk', 'throttling', 'leak', 'pvc', 'quota', 'capacity', 'node'];

interface GroupState {
  durationMs: number;
  judged: number;
  seen: number;
  errors: string[];
}

class PassState {
  readonly findings: Finding[] = [];
  readonly recommendations: RightsizingRecommendation[] = [];
  readonly groups = new Map<AnalysisGroup, GroupState>();
  /** Latest usage per container, for the node analysis' hotspots (filled only when it runs). */
  readonly usage: ContainerUsage = { cpu: new Map(), memory: new Map() };

  constructor(readonly selected: ReadonlySet<AnalysisGroup>) {
    for (const g of selected) this.groups.set(g, { durationMs: 0, judged: 0, seen: 0, errors: [] });
  }

  /** Runs `fn` for `group` when selected, timing it and keeping its failure without stopping the pass. */
  async time(group: AnalysisGroup, fn: (g: GroupState) => Promise<void> | void): Promise<void> {
    const g = this.groups.get(group);
    if (g === undefined) return;
    const t0 = performance.now();
    try {
      await fn(g);
    } catch (e) {
      if (e instanceof Error && e.name === 'AbortError') throw e;
      g.errors.push(e instanceof Error ? e.message : String(e));
    } finally {
      g.durationMs += performance.now() - t0;
    }
  }

  /** Adds a scoped result to a group: its counts, and its findings of that analysis. */
  tally(g: GroupState, r: { result: ScopeResult | undefined; analysis: AnalysisGroup }): void {
    if (r.result === undefined) return;
    g.seen += r.result.seen;
    g.judged += r.result.judged;
    this.findings.push(...r.result.findings.filter((f) => f.analysis === r.analysis));
  }

  fail(groups: Iterable<AnalysisGroup>, message: string): void {
    for (const group of groups) this.groups.get(group)?.errors.push(message);
  }
}

function runOf(analysis: AnalysisGroup, g: GroupState, namespaces: number): AnalysisRun {
  const durationMs = Math.round(g.durationMs);
  // Every namespace failed: the analysis had nothing to stand on; some failed: what it says is partial.
  if (g.errors.length > 0) {
    const status = g.errors.length >= namespaces ? 'unavailable' : 'degraded';
    return { analysis, status, durationMs, message: g.errors[0] as string };
  }
  if (g.seen > 0 && g.judged === 0) return { analysis, status: 'insufficient_data', durationMs, message: `none of ${g.seen} objects has enough data` };
  return { analysis, status: 'ok', durationMs };
}

function containerLimits(pod: Pod, name: string): { memLimit?: number; cpuLimit?: number; cpuRequest?: number } {
  const spec = pod.containers.find((c) => c.name === name);
  if (spec === undefined) return {};
  return {
    ...(spec.limits.memoryBytes === undefined ? {} : { memLimit: spec.limits.memoryBytes }),
    ...(spec.limits.cpuMillicores === undefined ? {} : { cpuLimit: spec.limits.cpuMillicores }),
    ...(spec.requests.cpuMillicores === undefined ? {} : { cpuRequest: spec.requests.cpuMillicores }),
  };
}

async function containersOf(pass: PassState, ctx: { opts: AnalyseClusterOptions; pods: readonly Pod[]; data: Awaited<ReturnType<typeof readNamespace>>; ends: EndsByContainer }): Promise<void> {
  const { opts } = ctx;
  const tally: ContainerTally = { judged: { leak: 0, 'oom-risk': 0, throttling: 0 } };
  const groups = new Set((['leak', 'oom-risk', 'throttling'] as const).filter((g) => pass.selected.has(g)));
  if (groups.size === 0) return;
  const cctx = { clusterName: opts.clusterName, nowMs: opts.nowMs, leakWindowMs: opts.settings.leakWindowMs, data: ctx.data, ends: ctx.ends, groups };
  // The three analyses share their inputs, so they run in one loop; the time is split evenly between them.
  const t0 = performance.now();
  for (const pod of ctx.pods) {
    const workload = opts.cluster.workloadOf(pod);
    for (const c of pod.containers) {
      pass.findings.push(...analyseContainer(cctx, { pod, spec: { name: c.name, workload: `${workload.kind}/${workload.name}`, ...containerLimits(pod, c.name) } }, tally));
    }
  }
  const share = (performance.now() - t0) / groups.size;
  const containers = ctx.pods.reduce((n, p) => n + p.containers.length, 0);
  for (const g of groups) {
    const state = pass.groups.get(g) as GroupState;
    state.durationMs += share;
    state.judged += tally.judged[g];
    state.seen += g === 'throttling' ? ctx.pods.reduce((n, p) => n + p.containers.filter((c) => c.limits.cpuMillicores !== undefined).length, 0) : containers;
  }
}

/** A namespace's history and container ends as read, or the error that stopped the reading. */
type NamespaceRead = { readonly data: NamespaceHistory; readonly ends: EndsByContainer } | { readonly error: unknown };

/** Reads what one namespace's analyses judge; never rejects (the error comes back to be judged in turn). */
async function readNamespaceOf(opts: AnalyseClusterOptions, namespace: string): Promise<NamespaceRead> {
  const { settings, nowMs } = opts;
  try {
    const data = await readNamespace({ history: opts.history, cluster: opts.clusterName, namespace, nowMs, settings, ...(opts.signal === undefined ? {} : { signal: opts.signal }) });
    const sinceMs = nowMs - Math.max(settings.rightsizingWindowMs, settings.leakWindowMs);
    const ends = await containerEnds({ cluster: opts.cluster, clusterName: opts.clusterName, namespace, ...(opts.lifecycle === undefined ? {} : { lifecycle: opts.lifecycle }), sinceMs });
    return { data, ends };
  } catch (error) {
    return { error };
  }
}

async function analyseNamespace(pass: PassState, opts: AnalyseClusterOptions, at: { namespace: string; read: NamespaceRead }): Promise<void> {
  const { settings, nowMs } = opts;
  const { namespace, read } = at;
  const base = { cluster: opts.cluster, clusterName: opts.clusterName, namespace, nowMs };
  if ('error' in read) {
    const e = read.error;
    if (e instanceof Error && e.name === 'AbortError') throw e;
    pass.fail(pass.selected, `${namespace}: ${e instanceof Error ? e.message : String(e)}`);
    return;
  }
  const { data, ends } = read;
  const pods = opts.cluster.list('pods', namespace).filter((p) => isActivePod(p) && p.nodeName !== undefined);
  if (pass.selected.has('node')) latestUsage(data.recent, pass.usage);
  await containersOf(pass, { opts, pods, data, ends });
  await pass.time('rightsizing', async (g) => {
    const oomKills = new Map([...ends].map(([k, list]) => [k, list.filter((e) => e.oomKilled)]));
    const recs = await rightsizeNamespace({ ...base, settings, long: data.long, oomKills, ...(opts.lifecycle === undefined ? {} : { lifecycle: opts.lifecycle }) }, pods);
    pass.recommendations.push(...recs);
    g.seen += recs.length;
    g.judged += recs.filter((r) => r.status === 'ok').length;
    for (const r of recs) {
      const f = rightsizingFinding(r);
      if (f !== undefined) pass.findings.push(f);
    }
  });
  const scope = { ...base, data };
  const pvc = pass.selected.has('pvc') || pass.selected.has('capacity') ? analysePvcs(scope) : undefined;
  await pass.time('pvc', (g) => pass.tally(g, { result: pvc, analysis: 'pvc' }));
  await pass.time('capacity', (g) => pass.tally(g, { result: pvc, analysis: 'capacity' }));
  await pass.time('quota', (g) => pass.tally(g, { result: analyseQuotas(scope), analysis: 'quota' }));
}

/**
 * Namespaces whose history is asked for ahead of the one being judged: a store with a read worker reads them
 * meanwhile on another core (SqliteSampleStore.startReadWorker); without one they are read as they are asked.
 */
const READ_AHEAD = 2;

/** Judges every namespace in name order, each read {@link READ_AHEAD} namespaces before its turn. */
async function analyseNamespaces(pass: PassState, opts: AnalyseClusterOptions, namespaces: readonly string[]): Promise<void> {
  const reads: Promise<NamespaceRead>[] = [];
  const readAhead = (i: number): void => {
    const namespace = namespaces[i];
    if (namespace !== undefined) reads.push(readNamespaceOf(opts, namespace));
  };
  for (let i = 0; i < READ_AHEAD; i++) readAhead(i);
  for (let i = 0; i < namespaces.length; i++) {
    opts.signal?.throwIfAborted();
    const read = await (reads.shift() as Promise<NamespaceRead>);
    readAhead(i + READ_AHEAD);
    // The event loop's turn between namespaces comes here, so that the read just begun (a store without a read worker
    // answers in this thread, in the microtasks of the read) is done before this namespace is judged rather than
    // inside the first wait of its analyses, whose time it would add to theirs.
    await yieldToEventLoop();
    opts.signal?.throwIfAborted();
    await analyseNamespace(pass, opts, { namespace: namespaces[i] as string, read });
  }
}

/** The newest CPU and working-set value of every container of a namespace. */
function latestUsage(recent: EntitySeries, into: ContainerUsage): void {
  for (const [entity, byMetric] of recent) {
    const cpu = byMetric.get(METRIC.cpuMillicores)?.values.at(-1);
    const memory = byMetric.get(METRIC.memoryWorkingSetBytes)?.values.at(-1);
    if (cpu !== undefined) into.cpu.set(entity, cpu);
    if (memory !== undefined) into.memory.set(entity, memory);
  }
}

/** The capacity step's options, the optional parts present only when set. */
function capacityOptions(opts: AnalyseClusterOptions): CapacityStepOptions {
  const { settings } = opts;
  return {
    cluster: opts.cluster,
    history: opts.history,
    clusterName: opts.clusterName,
    nowMs: opts.nowMs,
    ...(opts.lifecycle === undefined ? {} : { lifecycle: opts.lifecycle }),
    ...(opts.signal === undefined ? {} : { signal: opts.signal }),
    ...(settings.forecastHorizonMs === undefined ? {} : { horizonMs: settings.forecastHorizonMs }),
    ...(settings.nodePoolLabel === undefined ? {} : { poolLabel: settings.nodePoolLabel }),
    ...(opts.models === undefined ? {} : { models: opts.models }),
    ...(opts.forecaster === undefined ? {} : { forecaster: opts.forecaster }),
  };
}

/**
 * The capacity step, begun: with a forecaster of worker threads its history is read now and its forecasts run while
 * the namespaces are judged; otherwise it all runs when finished, after the namespaces. `finish` adds the step's
 * result to the pass, timing only what the pass spends on it in its own thread (the reads, and the wait at the end).
 */
async function beginCapacity(pass: PassState, opts: AnalyseClusterOptions): Promise<{ finish: () => Promise<CapacityReport | undefined> }> {
  if (!pass.selected.has('capacity')) return { finish: () => Promise.resolve(undefined) };
  const o = capacityOptions(opts);
  const concurrent = opts.forecaster?.concurrent === true;
  let running: Promise<CapacityStepResult> | undefined;
  if (concurrent) {
    await pass.time('capacity', async () => {
      const read = await readCapacityInputs(o);
      running = capacityStep(o, read);
      // Waited for in finish(); until then a failure must not count as unhandled.
      running.catch(() => undefined);
    });
  }
  const finish = async (): Promise<CapacityReport | undefined> => {
    let report: CapacityReport | undefined;
    // Begun and failed reading: the failure is in the group's errors already.
    if (concurrent && running === undefined) return undefined;
    await pass.time('capacity', async (g) => {
      const r = await (running ?? capacityStep(o, await readCapacityInputs(o)));
      report = r.report;
      pass.tally(g, { result: r, analysis: 'capacity' });
    });
    return report;
  };
  return { finish };
}


/** Runs every analysis group of `opts.settings.only` (default all) and returns findings, recommendations and runs. */
export async function analyseCluster(opts: AnalyseClusterOptions): Promise<AnalysisResult> {
  const selected = new Set((opts.settings.only ?? ANALYSIS_GROUPS).filter((g) => IMPLEMENTED.includes(g)));
  const pass = new PassState(selected);
  const namespaces = opts.cluster.list('namespaces').map((n) => n.name).sort();
  const capacity = await beginCapacity(pass, opts);
  await analyseNamespaces(pass, opts, namespaces);
  await pass.time('node', async (g) => {
    const r = await analyseNodeGroup({ cluster: opts.cluster, history: opts.history, clusterName: opts.clusterName, nowMs: opts.nowMs, usage: pass.usage });
    pass.tally(g, { result: r, analysis: 'node' });
  });
  const report = await capacity.finish();
  const runs = [...pass.groups].map(([analysis, g]) => runOf(analysis, g, namespaces.length));
  return { findings: pass.findings, recommendations: pass.recommendations, runs, ...(report === undefined ? {} : { capacity: report }) };
}
