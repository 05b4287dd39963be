// SPDX-License-Identifier: Apache-2.0
// The collection cycle: the source selector's snapshot becomes one sample batch in the store (series resolved once
// and cached), the self-metrics are updated, and the cycle's per-pod and per-node usage is kept in memory for the
// API (`/api/v1/pods`, `/api/v1/nodes`, `/api/v1/cluster`). Scheduling (cadence, overrun skips, per-run timeout) is
// the runtime scheduler's job; this file only does one cycle.
import type { LatestUsage, UsageNow } from '../api/routes/pods.ts';
import type { LastCollection } from '../api/contract.ts';
import type { SampleStore } from '../domain/ports.ts';
import { METRIC, type EntityKind, type SeriesKey } from '../domain/series.ts';
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
  /** The `cluster` of every series key. */
  readonly cluster: string;
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

/** Absent values (unknown to the source) are not stored at all. */
function samplesOf(snapshot: UsageSnapshot): PendingSample[] {
  return [...containerSamples(snapshot), ...nodeAndVolumeSamples(snapshot)].filter((s) => s.value !== undefined && Number.isFinite(s.value));
}

function podUsage(snapshot: UsageSnapshot): Map<string, UsageNow> {
  const out = new Map<string, UsageNow>();
  for (const c of snapshot.containers) {
    const key = `${c.namespace}/${c.pod}`;
    const prev = out.get(key) ?? { cpuMillicores: 0, memoryBytes: 0 };
    out.set(key, { cpuMillicores: prev.cpuMillicores + c.cpuCores * 1000, memoryBytes: prev.memoryBytes + c.memoryWorkingSetBytes });
  }
  return out;
}

function nodeUsage(snapshot: UsageSnapshot): Map<string, UsageNow> {
  return new Map(snapshot.nodes.map((n) => [n.node, { cpuMillicores: n.cpuCores * 1000, memoryBytes: n.memoryWorkingSetBytes }]));
}

/** Resolves series ids through a cache, asking the store only for keys not seen before. */
function createSeriesCache(store: SampleStore, cluster: string): (samples: readonly PendingSample[]) => Promise<number[]> {
  const ids = new Map<string, number>();
  const keyOf = (s: PendingSample): string => `${s.kind}\u0000${s.entity}\u0000${s.metric}`;
  return async (samples) => {
    const missing = new Map<string, SeriesKey>();
    for (const s of samples) {
      const k = keyOf(s);
      if (!ids.has(k)) missing.set(k, { cluster, kind: s.kind, entity: s.entity, metric: s.metric });
    }
    if (missing.size > 0) {
      const resolved = await store.resolveSeries([...missing.values()]);
      [...missing.keys()].forEach((k, i) => ids.set(k, resolved[i] as number));
    }
    return samples.map((s) => ids.get(keyOf(s)) as number);
  };
}

/** Creates the collector; nothing runs until `collectOnce`. */
export function createCollector(opts: CollectorOptions): Collector {
  const resolve = createSeriesCache(opts.store, opts.cluster);
  let pods = new Map<string, UsageNow>();
  let nodes = new Map<string, UsageNow>();
  let last: LastCollection | undefined;

  async function store(snapshot: UsageSnapshot): Promise<number> {
    const samples = samplesOf(snapshot);
    const seriesIds = await resolve(samples);
    await opts.store.append({ seriesIds, timestampsMs: samples.map((s) => s.tsMs), values: samples.map((s) => s.value as number) });
    // Durable at once, so a hard kill loses at most one interval. A store that cannot write says so in its status
    // (and the health check); its heads stay in memory for the next flush, so the cycle itself is not failed.
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
    const stored = await store(snapshot);
    pods = podUsage(snapshot);
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
