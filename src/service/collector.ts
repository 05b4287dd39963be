// SPDX-License-Identifier: Apache-2.0
// The collection cycle: the source selector's snapshot becomes one sample batch in the store (series resolved once
// and cached), the self-metrics are updated, and the cycle's per-pod and per-node usage is kept in memory for the
// API (`/api/v1/pods`, `/api/v1/nodes`, `/api/v1/cluster`). Besides the per-container series, each cycle writes
// per-workload, per-namespace and cluster totals (CPU, working set, pod count): a workload's pods are renamed by
// every rollout, so its history has to be kept under the workload's own key rather than rebuilt from pod series.
// Scheduling (cadence, overrun skips, per-run timeout) is the runtime scheduler's job; this file only does one cycle.
import type { LatestUsage, UsageNow } from '../api/routes/pods.ts';
import type { LastCollection } from '../api/contract.ts';
import type { ClusterView } from '../domain/kube-ports.ts';
import type { SampleStore } from '../domain/ports.ts';
import type { Pod } from '../domain/resources.ts';
import { METRIC, type EntityKind } from '../domain/series.ts';
import { logEvent, type EventLogger } from '../logging/events.ts';
import type { SelfMetrics } from '../metrics/registry.ts';
import type { Clock } from '../runtime/clock.ts';
import type { SourceSelector, UsageSnapshot } from '../sources/usage/index.ts';

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
}

/** One collection cycle plus what the last one saw. */
export interface Collector extends LatestUsage {
  /** Runs one cycle; resolves when its samples are appended. */
  collectOnce(signal: AbortSignal): Promise<void>;
  lastCollection(): LastCollection | undefined;
}

interface PendingSample {
  readonly kind: EntityKind;
  readonly entity: string;
  readonly metric: string;
  readonly tsMs: number;
  readonly value: number | undefined;
}

function containerSamples(snapshot: UsageSnapshot): PendingSample[] {
  const out: PendingSample[] = [];
  for (const c of snapshot.containers) {
    const entity = `${c.namespace}/${c.pod}/${c.container}`;
    const base = { kind: 'container' as const, entity, tsMs: c.tsMs };
    out.push({ ...base, metric: METRIC.cpuMillicores, value: c.cpuCores * 1000 });
    out.push({ ...base, metric: METRIC.memoryWorkingSetBytes, value: c.memoryWorkingSetBytes });
    out.push({ ...base, metric: METRIC.memoryRssBytes, value: c.memoryRssBytes });
    out.push({ ...base, metric: METRIC.throttleRatio, value: c.throttledRatio });
  }
  return out;
}

function nodeAndVolumeSamples(snapshot: UsageSnapshot): PendingSample[] {
  const out: PendingSample[] = [];
  for (const n of snapshot.nodes) {
    const base = { kind: 'node' as const, entity: n.node, tsMs: n.tsMs };
    out.push({ ...base, metric: METRIC.cpuMillicores, value: n.cpuCores * 1000 });
    out.push({ ...base, metric: METRIC.memoryWorkingSetBytes, value: n.memoryWorkingSetBytes });
    out.push({ ...base, metric: METRIC.usedBytes, value: n.fsUsedBytes });
    out.push({ ...base, metric: METRIC.capacityBytes, value: n.fsCapacityBytes });
  }
  for (const v of snapshot.volumes) {
    const base = { kind: 'pvc' as const, entity: `${v.namespace}/${v.pvc}`, tsMs: v.tsMs };
    out.push({ ...base, metric: METRIC.usedBytes, value: v.usedBytes });
    out.push({ ...base, metric: METRIC.capacityBytes, value: v.capacityBytes });
  }
  return out;
}

/** Usage of one pod in a cycle, summed over its containers (what `/api/v1/pods` reads, and the totals' input). */
interface PodSums {
  readonly namespace: string;
  readonly name: string;
  cpuMillicores: number;
  memoryBytes: number;
  /** Latest sample time of its containers. */
  tsMs: number;
}

/** Running sums of one workload, namespace or the cluster over one cycle. */
interface Totals {
  readonly kind: EntityKind;
  readonly entity: string;
  cpu: number;
  memory: number;
  pods: number;
  tsMs: number;
}

/** One pass over the containers; non-finite values add nothing (absent, REQUIREMENTS §1.6). */
function podUsage(snapshot: UsageSnapshot): Map<string, PodSums> {
  const out = new Map<string, PodSums>();
  for (const c of snapshot.containers) {
    const key = `${c.namespace}/${c.pod}`;
    let p = out.get(key);
    if (p === undefined) {
      p = { namespace: c.namespace, name: c.pod, cpuMillicores: 0, memoryBytes: 0, tsMs: c.tsMs };
      out.set(key, p);
    }
    if (Number.isFinite(c.cpuCores)) p.cpuMillicores += c.cpuCores * 1000;
    if (Number.isFinite(c.memoryWorkingSetBytes)) p.memoryBytes += c.memoryWorkingSetBytes;
    if (c.tsMs > p.tsMs) p.tsMs = c.tsMs;
  }
  return out;
}

function addPod(map: Map<string, Totals>, key: { kind: EntityKind; entity: string }, p: PodSums): void {
  let t = map.get(key.entity);
  if (t === undefined) {
    t = { kind: key.kind, entity: key.entity, cpu: 0, memory: 0, pods: 0, tsMs: p.tsMs };
    map.set(key.entity, t);
  }
  t.cpu += p.cpuMillicores;
  t.memory += p.memoryBytes;
  t.pods += 1;
  if (p.tsMs > t.tsMs) t.tsMs = p.tsMs;
}

/**
 * Workload entity (`namespace/Kind/name`) of a pod, or undefined when the pod is not in the cache (created or deleted
 * between the watch and the usage source; its usage still counts in its namespace and the cluster). Resolved keys are
 * memoized per pod object: cached objects are replaced, never mutated, on every change.
 */
function workloadResolver(view: ClusterView | undefined): (p: PodSums) => string | undefined {
  if (view === undefined) return () => undefined;
  const memo = new WeakMap<Pod, string>();
  return (p) => {
    const pod = view.get('pods', p.namespace, p.name);
    if (pod === undefined) return undefined;
    const known = memo.get(pod);
    if (known !== undefined) return known;
    const w = view.workloadOf(pod);
    const entity = `${w.namespace}/${w.kind}/${w.name}`;
    // Names inferred while the owner chain is not cached yet are not memoized, so the next cycle tries again.
    if (w.resolved) memo.set(pod, entity);
    return entity;
  };
}

function totalsSamples(totals: Iterable<Totals>, out: PendingSample[]): void {
  for (const t of totals) {
    const base = { kind: t.kind, entity: t.entity, tsMs: t.tsMs };
    out.push({ ...base, metric: METRIC.cpuMillicores, value: t.cpu });
    out.push({ ...base, metric: METRIC.memoryWorkingSetBytes, value: t.memory });
    out.push({ ...base, metric: METRIC.pods, value: t.pods });
  }
}

/** Per-workload, per-namespace and cluster totals of the cycle's pods, in one pass over the pods. */
function aggregateSamples(pods: Map<string, PodSums>, ctx: { cluster: string; workloadOf: (p: PodSums) => string | undefined }): PendingSample[] {
  const workloads = new Map<string, Totals>();
  const namespaces = new Map<string, Totals>();
  const cluster = new Map<string, Totals>();
  const clusterKey = { kind: 'cluster' as const, entity: ctx.cluster };
  for (const p of pods.values()) {
    addPod(cluster, clusterKey, p);
    addPod(namespaces, { kind: 'namespace', entity: p.namespace }, p);
    const workload = ctx.workloadOf(p);
    if (workload !== undefined) addPod(workloads, { kind: 'workload', entity: workload }, p);
  }
  const out: PendingSample[] = [];
  totalsSamples(workloads.values(), out);
  totalsSamples(namespaces.values(), out);
  totalsSamples(cluster.values(), out);
  return out;
}

/** Absent values (unknown to the source) are not stored at all. */
function samplesOf(snapshot: UsageSnapshot, aggregates: readonly PendingSample[]): PendingSample[] {
  return [...containerSamples(snapshot), ...nodeAndVolumeSamples(snapshot), ...aggregates].filter((s) => s.value !== undefined && Number.isFinite(s.value));
}

function nodeUsage(snapshot: UsageSnapshot): Map<string, UsageNow> {
  return new Map(snapshot.nodes.map((n) => [n.node, { cpuMillicores: n.cpuCores * 1000, memoryBytes: n.memoryWorkingSetBytes }]));
}

type IdsByEntity = Map<EntityKind, Map<string, Map<string, number>>>;

/** Cycles per generation of the series-id cache: entities unseen for one to two generations are forgotten. */
const CACHE_GENERATION_CYCLES = 60;

/**
 * Resolves series ids through a cache, asking the store only for keys not seen before. The cache is nested by kind,
 * entity and metric so that a cycle's hundreds of thousands of lookups hash strings that already exist (one entity
 * string per container) instead of building a key string per sample. It keeps two generations: an entity read from
 * the older one moves to the current one, and the older one is dropped every {@link CACHE_GENERATION_CYCLES} cycles,
 * so the pods that churn replaces (20 a second at the scale envelope) do not stay in memory for the process' life.
 */
function createSeriesCache(store: SampleStore, cluster: string): (samples: readonly PendingSample[]) => Promise<number[]> {
  let current: IdsByEntity = new Map();
  let previous: IdsByEntity = new Map();
  let cycles = 0;
  const entityOf = (s: PendingSample): Map<string, number> | undefined => {
    const own = current.get(s.kind)?.get(s.entity);
    if (own !== undefined) return own;
    const old = previous.get(s.kind)?.get(s.entity);
    if (old !== undefined) byKind(s.kind).set(s.entity, old);
    return old;
  };
  const byKind = (kind: EntityKind): Map<string, Map<string, number>> => {
    let m = current.get(kind);
    if (m === undefined) current.set(kind, (m = new Map()));
    return m;
  };
  const lookup = (s: PendingSample): number | undefined => entityOf(s)?.get(s.metric);
  const remember = (s: PendingSample, id: number): void => {
    let byMetric = entityOf(s);
    if (byMetric === undefined) byKind(s.kind).set(s.entity, (byMetric = new Map()));
    byMetric.set(s.metric, id);
  };
  return async (samples) => {
    if (++cycles % CACHE_GENERATION_CYCLES === 0) {
      previous = current;
      current = new Map();
    }
    const out = new Array<number>(samples.length);
    const missing = new Map<string, PendingSample>();
    for (let i = 0; i < samples.length; i++) {
      const s = samples[i] as PendingSample;
      const id = lookup(s);
      if (id === undefined) missing.set(`${s.kind}\u0000${s.entity}\u0000${s.metric}`, s);
      else out[i] = id;
    }
    if (missing.size === 0) return out;
    const news = [...missing.values()];
    const resolved = await store.resolveSeries(news.map((s) => ({ cluster, kind: s.kind, entity: s.entity, metric: s.metric })));
    news.forEach((s, i) => remember(s, resolved[i] as number));
    for (let i = 0; i < samples.length; i++) out[i] ??= lookup(samples[i] as PendingSample) as number;
    return out;
  };
}

/** Creates the collector; nothing runs until `collectOnce`. */
export function createCollector(opts: CollectorOptions): Collector {
  const resolve = createSeriesCache(opts.store, opts.cluster);
  const aggregation = { cluster: opts.cluster, workloadOf: workloadResolver(opts.clusterView) };
  let pods = new Map<string, UsageNow>();
  let nodes = new Map<string, UsageNow>();
  let last: LastCollection | undefined;

  async function store(snapshot: UsageSnapshot, podSums: Map<string, PodSums>): Promise<number> {
    const samples = samplesOf(snapshot, aggregateSamples(podSums, aggregation));
    const seriesIds = await resolve(samples);
    await opts.store.append({ seriesIds, timestampsMs: samples.map((s) => s.tsMs), values: samples.map((s) => s.value as number) });
    // append() made the samples durable (the store's sample log); flush() checkpoints this cycle's slice of heads and
    // trims the log. A store that cannot write says so in its status (and the health check); the cycle is not failed.
    await opts.store.flush().catch(() => undefined);
    return samples.length;
  }

  async function collectOnce(signal: AbortSignal): Promise<void> {
    const startedAtMs = opts.clock.now();
    const endTimer = opts.metrics.collectionDuration.startTimer();
    const { snapshot, state } = await opts.selector.collect({ nowMs: startedAtMs, signal });
    const source = snapshot?.source ?? state.active ?? 'none';
    endTimer({ source });
    if (snapshot === undefined) {
      for (const s of state.sources) if (s.status === 'unhealthy') opts.metrics.collectionErrors.inc({ source: s.name });
      last = { source: 'none', startedAtMs, finishedAtMs: opts.clock.now(), pods: 0, containers: 0, errors: 1 };
      throw new Error(`no usage source could collect: ${state.reason}`);
    }
    if (snapshot.errors.length > 0) opts.metrics.collectionErrors.inc({ source: snapshot.source }, snapshot.errors.length);
    const podSums = podUsage(snapshot);
    const stored = await store(snapshot, podSums);
    pods = podSums;
    nodes = nodeUsage(snapshot);
    opts.metrics.podsCollected.inc(pods.size);
    const finishedAtMs = opts.clock.now();
    last = { source: snapshot.source, startedAtMs, finishedAtMs, pods: pods.size, containers: snapshot.containers.length, errors: snapshot.errors.length };
    logEvent(opts.log, { event: 'collection.done', source: snapshot.source, durationMs: finishedAtMs - startedAtMs, pods: pods.size, samples: stored, errors: snapshot.errors.length });
  }

  return {
    collectOnce,
    lastCollection: () => last,
    pod: (namespace, name) => pods.get(`${namespace}/${name}`),
    node: (name) => nodes.get(name),
    collectedAtMs: () => last?.finishedAtMs,
  };
}
