// SPDX-License-Identifier: Apache-2.0
// The collection cycle: the source selector's snapshot becomes sample batches in the store (series resolved once
// and cached; a source that reads node by node hands over its containers while it reads, early-append.ts, and the
// cycle stores the rest), the self-metrics are updated, and the cycle's per-pod and per-node usage is kept in memory for the
// API (`/api/v1/pods`, `/api/v1/nodes`, `/api/v1/cluster`). Besides the per-container series, each cycle writes
// per-workload, per-namespace and cluster totals (CPU, working set, pod count): a workload's pods are renamed by
// every rollout, so its history has to be kept under the workload's own key rather than rebuilt from pod series.
// Scheduling (cadence, overrun skips, per-run timeout) is the runtime scheduler's job; this file only does one cycle.
import type { LatestUsage, UsageNow } from '../api/routes/pods.ts';
import type { LastCollection } from '../api/contract.ts';
import type { ClusterView } from '../domain/kube-ports.ts';
import type { SampleStore } from '../domain/ports.ts';
import type { Pod } from '../domain/resources.ts';
import { entityKey, METRIC } from '../domain/series.ts';
import { logEvent, type EventLogger } from '../logging/events.ts';
import type { SelfMetrics } from '../metrics/registry.ts';
import type { Clock } from '../runtime/clock.ts';
import { timeSlicer, yieldToEventLoop } from '../runtime/yield.ts';
import { containerCount, type CollectRequest, type ContainerUsage, type SourceSelector, type UsageSnapshot, type UsageSourceName } from '../sources/usage/index.ts';
import { EarlyAppend } from './early-append.ts';
import { PodUsageIndex, type PodEntry } from './pod-usage.ts';
import { SampleColumns, SeriesIdCache } from './sample-columns.ts';
import { SeriesWarmup, type WarmupReport } from './series-warmup.ts';
import { TOTAL_METRICS, UsageTotals } from './usage-totals.ts';

/**
 * The source the next cycle will most likely use: the active one; before any answered, the one a fixed mode names,
 * or in `auto` mode the first candidate that is configured (the selector tries them in its order).
 */
function likelySource(selector: SourceSelector): UsageSourceName | undefined {
  const { mode, active, sources } = selector.state();
  if (active !== undefined) return active;
  if (mode !== 'auto') return mode;
  return sources.find((s) => s.status !== 'disabled')?.name;
}

export interface CollectorOptions {
  readonly selector: SourceSelector;
  readonly store: SampleStore;
  readonly metrics: SelfMetrics;
  readonly log: EventLogger;
  readonly clock: Clock;
  /** The `cluster` of every series key, and the entity of the cluster totals. */
  readonly cluster: string;
  /** Resolves pods to workloads; without it no workload series are written (namespace and cluster totals are). */
  readonly clusterView?: ClusterView;
  /** Containers per early append while a source reads in parts (default {@link EARLY_BATCH}). */
  readonly earlyBatch?: number;
  /** New series created together by early appends of mostly new containers (default {@link CREATE_AT}). */
  readonly earlyCreateAt?: number;
}

/** One collection cycle plus what the last one saw. */
export interface Collector extends LatestUsage {
  /** Runs one cycle; resolves when its samples are appended. */
  collectOnce(signal: AbortSignal): Promise<void>;
  /**
   * Registers the series of the pods the cluster view holds and no cycle has written yet (series-warmup.ts): before
   * the first cycle, then on a schedule of its own. Nothing without a cluster view.
   */
  warmSeries(signal?: AbortSignal): Promise<WarmupReport>;
  lastCollection(): LastCollection | undefined;
}

function containerSamples(snapshot: Pick<UsageSnapshot, 'containers'>, out: SampleColumns): void {
  for (const c of snapshot.containers) {
    const key = { kind: 'container' as const, entity: entityKey(c.namespace, c.pod, c.container), tsMs: c.tsMs };
    out.add(key, METRIC.cpuMillicores, c.cpuCores * 1000);
    out.add(key, METRIC.memoryWorkingSetBytes, c.memoryWorkingSetBytes);
    out.add(key, METRIC.memoryRssBytes, c.memoryRssBytes);
    out.add(key, METRIC.throttleRatio, c.throttledRatio);
  }
}

/** The samples of some containers, in a batch of their own. */
function columnsOf(containers: readonly ContainerUsage[]): SampleColumns {
  const out = new SampleColumns();
  containerSamples({ containers }, out);
  return out;
}

function nodeAndVolumeSamples(snapshot: UsageSnapshot, out: SampleColumns): void {
  for (const n of snapshot.nodes) {
    const key = { kind: 'node' as const, entity: n.node, tsMs: n.tsMs };
    out.add(key, METRIC.cpuMillicores, n.cpuCores * 1000);
    out.add(key, METRIC.memoryWorkingSetBytes, n.memoryWorkingSetBytes);
    out.add(key, METRIC.usedBytes, n.fsUsedBytes);
    out.add(key, METRIC.capacityBytes, n.fsCapacityBytes);
  }
  for (const v of snapshot.volumes) {
    const key = { kind: 'pvc' as const, entity: entityKey(v.namespace, v.pvc), tsMs: v.tsMs };
    out.add(key, METRIC.usedBytes, v.usedBytes);
    out.add(key, METRIC.capacityBytes, v.capacityBytes);
  }
}

/**
 * Workload entity (`namespace/Kind/name`) of a pod, or undefined when the pod is not in the cache (created or deleted
 * between the watch and the usage source; its usage still counts in its namespace and the cluster). Resolved keys are
 * memoized per pod object: cached objects are replaced, never mutated, on every change.
 */
function workloadResolver(view: ClusterView | undefined, of: PodWorkload | undefined): (p: PodEntry) => string | undefined {
  if (view === undefined || of === undefined) return () => undefined;
  return (p) => {
    const pod = view.get('pods', p.namespace, p.name);
    return pod === undefined ? undefined : of.entity(pod);
  };
}

/** A pod's workload entity: as the cycle writes it (`entity`), or only once its owner chain is known (`resolved`). */
interface PodWorkload {
  entity(pod: Pod): string;
  resolved(pod: Pod): string | undefined;
}

/** The workload entities of cached pods, memoized per pod object once resolved (see {@link workloadResolver}). */
function podWorkload(view: ClusterView): PodWorkload {
  const memo = new WeakMap<Pod, string>();
  const nameOf = (w: { namespace: string; kind: string; name: string }): string => entityKey(w.namespace, w.kind, w.name);
  const resolved = (pod: Pod): string | undefined => {
    const known = memo.get(pod);
    if (known !== undefined) return known;
    const w = view.workloadOf(pod);
    if (!w.resolved) return undefined;
    const entity = nameOf(w);
    memo.set(pod, entity);
    return entity;
  };
  // Names inferred while the owner chain is not cached yet are not memoized, so the next cycle tries again.
  return { resolved, entity: (pod) => resolved(pod) ?? nameOf(view.workloadOf(pod)) };
}

/** Sums the cycle's pods into the workload, namespace and cluster totals, in slices of about 10 ms. */
async function sumTotals(pods: PodUsageIndex, totals: UsageTotals, ctx: { cluster: string; workloadOf: (p: PodEntry) => string | undefined }): Promise<void> {
  totals.begin();
  const turn = timeSlicer();
  for (const p of pods.cycleEntries()) {
    const pause = turn();
    if (pause) await pause;
    totals.add('cluster', ctx.cluster, p);
    totals.add('namespace', p.namespace, p);
    const workload = ctx.workloadOf(p);
    if (workload !== undefined) totals.add('workload', workload, p);
  }
}

/** The cycle's samples but the totals: containers (those not stored early), nodes, volumes. */
function samplesOf(snapshot: UsageSnapshot, early: EarlyAppend): SampleColumns {
  const out = new SampleColumns();
  containerSamples({ containers: early.rest() }, out);
  containerSamples(snapshot, out);
  nodeAndVolumeSamples(snapshot, out);
  return out;
}

/** Totals per part of the cycle's end (three samples each): one part is resolved and appended before the next is made. */
const TOTALS_PART = 5_000;


/** Samples per append at the end of a cycle: each append holds the thread for a few ms (heads, log row, commit). */
const APPEND_PART = 16_384;

/** Appends the samples (their series resolved) in parts, with the event loop's turn before each. */
async function appendResolved(store: SampleStore, samples: SampleColumns, seriesIds: number[]): Promise<void> {
  for (let from = 0; from < samples.length; from += APPEND_PART) {
    await yieldToEventLoop();
    const to = from + APPEND_PART;
    await store.append({ seriesIds: seriesIds.slice(from, to), timestampsMs: samples.timestampsMs.slice(from, to), values: samples.values.slice(from, to) });
  }
}

function nodeUsage(snapshot: UsageSnapshot): Map<string, UsageNow> {
  return new Map(snapshot.nodes.map((n) => [n.node, { cpuMillicores: n.cpuCores * 1000, memoryBytes: n.memoryWorkingSetBytes }]));
}

/**
 * The request's callbacks of one cycle: each part a source reports is summed per pod and stored as it comes, and kept
 * no longer (sources/usage/types.ts says why); a source tried after one that failed starts both afresh.
 */
function partsInto(pods: PodUsageIndex, early: EarlyAppend): Pick<CollectRequest, 'onContainers' | 'onAttempt'> {
  return {
    onContainers: (containers) => {
      pods.add(containers);
      early.onContainers(containers);
    },
    onAttempt: () => {
      pods.begin();
      early.reset();
    },
  };
}

const NOTHING: WarmupReport = { pods: 0, keys: 0, registered: 0 };

/**
 * The collector's {@link Collector.warmSeries}: the warm-up over its cluster view, logged when it registered any.
 * After the first run, it waits for a source that answers (no series for sources that never do), and a store that
 * cannot write is left alone (its status says so already; the cycles' own writes fail as they would).
 */
function seriesWarmer(opts: CollectorOptions, ids: SeriesIdCache, workloads: PodWorkload | undefined): (signal?: AbortSignal) => Promise<WarmupReport> {
  const { clusterView: view, selector, store } = opts;
  if (view === undefined || workloads === undefined) return async () => NOTHING;
  const reserveHeads = (count: number): void => store.reserveHeads?.(count);
  const source = () => likelySource(selector);
  const warmup = new SeriesWarmup({ view, ids, cluster: opts.cluster, workloadOf: workloads.resolved, source, totalMetrics: TOTAL_METRICS, reserveHeads });
  let ran = false;
  return async (signal) => {
    if ((ran && selector.state().active === undefined) || !store.status().writable) return NOTHING;
    ran = true;
    const t0 = opts.clock.now();
    const report = await warmup.warm(signal);
    if (report.registered > 0) logEvent(opts.log, { event: 'collection.series_warmed', ...report, durationMs: opts.clock.now() - t0 });
    return report;
  };
}

/** What a cycle's end works with (one of each per collector). */
interface CycleEnd {
  readonly store: SampleStore;
  readonly ids: SeriesIdCache;
  readonly pods: PodUsageIndex;
  readonly totals: UsageTotals;
  readonly aggregation: { cluster: string; workloadOf: (p: PodEntry) => string | undefined };
}

/**
 * Stores what a cycle did not store early, and the totals; returns the cycle's samples stored. The end of a cycle runs
 * between API requests: each step below takes a tenth of a second or more at 150,000 pods, so the event loop gets a
 * turn between them, and within the long ones every 10 ms or so (timeSlicer, the appends and the head checkpoint in
 * parts), rather than one stall of their sum.
 */
async function storeCycle(c: CycleEnd, snapshot: UsageSnapshot, early: EarlyAppend): Promise<number> {
  await yieldToEventLoop();
  const samples = samplesOf(snapshot, early);
  await sumTotals(c.pods, c.totals, c.aggregation);
  await yieldToEventLoop();
  // The cycle's own samples first (their resolve counts the cycle for the id cache's generations), then the totals,
  // each part made only when the one before is in (usage-totals.ts says why).
  await appendResolved(c.store, samples, await c.ids.resolve(samples));
  let stored = early.samples + samples.length;
  for (const part of c.totals.parts(TOTALS_PART)) {
    await appendResolved(c.store, part, await c.ids.resolvePart(part));
    stored += part.length;
  }
  c.totals.end();
  await yieldToEventLoop();
  // append() made the samples durable (the store's sample log); flush() checkpoints this cycle's slice of heads and
  // trims the log. A store that cannot write says so in its status (and the health check); the cycle is not failed.
  await c.store.flush().catch(() => undefined);
  return stored;
}

/** Creates the collector; nothing runs until `collectOnce`. */
export function createCollector(opts: CollectorOptions): Collector {
  const ids = new SeriesIdCache({ store: opts.store, cluster: opts.cluster });
  // One memo of pods' workloads for the cycles' totals and the warm-up.
  const podWorkloadOf = opts.clusterView === undefined ? undefined : podWorkload(opts.clusterView);
  const aggregation = { cluster: opts.cluster, workloadOf: workloadResolver(opts.clusterView, podWorkloadOf) };
  const warmSeries = seriesWarmer(opts, ids, podWorkloadOf);
  const pods = new PodUsageIndex();
  const cycleEnd: CycleEnd = { store: opts.store, ids, pods, totals: new UsageTotals(), aggregation };
  let nodes = new Map<string, UsageNow>();
  let last: LastCollection | undefined;

  async function collectOnce(signal: AbortSignal): Promise<void> {
    const startedAtMs = opts.clock.now();
    const endTimer = opts.metrics.collectionDuration.startTimer();
    const early = new EarlyAppend({
      ids,
      store: opts.store,
      columnsOf,
      ...(opts.earlyBatch === undefined ? {} : { batchSize: opts.earlyBatch }),
      ...(opts.earlyCreateAt === undefined ? {} : { createAt: opts.earlyCreateAt }),
    });
    pods.begin();
    const { snapshot, state } = await opts.selector.collect({ nowMs: startedAtMs, signal, ...partsInto(pods, early) });
    await early.done();
    const source = snapshot?.source ?? state.active ?? 'none';
    endTimer({ source });
    if (snapshot === undefined) {
      for (const s of state.sources) if (s.status === 'unhealthy') opts.metrics.collectionErrors.inc({ source: s.name });
      last = { source: 'none', startedAtMs, finishedAtMs: opts.clock.now(), pods: 0, containers: 0, errors: 1 };
      throw new Error(`no usage source could collect: ${state.reason}`);
    }
    if (snapshot.errors.length > 0) opts.metrics.collectionErrors.inc({ source: snapshot.source }, snapshot.errors.length);
    await pods.addInSlices(snapshot.containers);
    const stored = await storeCycle(cycleEnd, snapshot, early);
    pods.publish();
    nodes = nodeUsage(snapshot);
    opts.metrics.podsCollected.inc(pods.size);
    const finishedAtMs = opts.clock.now();
    last = { source: snapshot.source, startedAtMs, finishedAtMs, pods: pods.size, containers: containerCount(snapshot), errors: snapshot.errors.length };
    logEvent(opts.log, { event: 'collection.done', source: snapshot.source, durationMs: finishedAtMs - startedAtMs, pods: pods.size, samples: stored, errors: snapshot.errors.length });
  }

  return {
    collectOnce,
    warmSeries,
    lastCollection: () => last,
    pod: (namespace, name) => pods.get(namespace, name),
    podValue: (namespace, name, which) => pods.value(namespace, name, which),
    node: (name) => nodes.get(name),
    collectedAtMs: () => last?.finishedAtMs,
  };
}
