// SPDX-License-Identifier: Apache-2.0
// Series registered when the watch reports a container, not at its first sample. A series is a row of the series
// table and of its unique index on the key: a new database at the scale envelope has 865,000 of them to create, which
// made its first collection cycle take two to three times a later one (series rows, their index pages, the key index
// and the collector they leave behind), and a rollout of 10,000 pods put 40,000 creations into the next cycle. The
// warm-up registers, for every running pod (a container running, not terminating), its containers' series (the
// metrics the usage source writes for every container; native sidecars included) and those of the totals it counts in
// (namespace, cluster, and its workload once the owner chain is known), once before the first cycle and then for new
// pods every few seconds, so that a cycle mostly finds its series and only appends. The store also makes room for
// their open chunks then (head-set.ts, `reserve`). Series are never deleted, so only pods about to be sampled are
// warmed: not pending, finished or terminating ones, whose series might never get a sample.
import type { ClusterView } from '../domain/kube-ports.ts';
import { isSidecar } from '../domain/pod-resources.ts';
import type { Pod } from '../domain/resources.ts';
import { entityKey, METRIC, type EntityKind } from '../domain/series.ts';
import type { UsageSourceName } from '../sources/usage/index.ts';
import type { EntityMetric, SeriesIdCache } from './sample-columns.ts';
import { yieldToEventLoop } from '../runtime/yield.ts';

/**
 * The metrics a source writes for every container from its first cycle. Throttling is left to the cycles: it takes
 * two readings of the CFS counters and only some sources and nodes report it.
 */
const CONTAINER_METRICS: Readonly<Record<UsageSourceName, readonly string[]>> = {
  prometheus: [METRIC.cpuMillicores, METRIC.memoryWorkingSetBytes, METRIC.memoryRssBytes],
  'metrics-server': [METRIC.cpuMillicores, METRIC.memoryWorkingSetBytes],
  kubelet: [METRIC.cpuMillicores, METRIC.memoryWorkingSetBytes, METRIC.memoryRssBytes],
};

/** Before any source has answered (`auto` mode): what every source writes. */
const COMMON_METRICS: readonly string[] = [METRIC.cpuMillicores, METRIC.memoryWorkingSetBytes];

/** The container metrics to register for a source; undefined (not known yet) gives those every source writes. */
function containerMetricsOf(source: UsageSourceName | undefined): readonly string[] {
  return source === undefined ? COMMON_METRICS : CONTAINER_METRICS[source];
}

/**
 * Pods per registration: about 20,000 series, a tenth or two of a second of blocked event loop each, so the API and
 * the watch get a turn in between. Neighbouring pods' keys are index neighbours, so the steps cost what one
 * transaction would (each transaction writes again the index pages it touched, and these touch few in common).
 */
const PODS_PER_STEP = 5_000;

export interface SeriesWarmupOptions {
  readonly view: ClusterView;
  readonly ids: SeriesIdCache;
  /** The `cluster` of every key, and the entity of the cluster totals. */
  readonly cluster: string;
  /** The workload entity of a pod (as the collector writes it); undefined while its owner chain is not known. */
  readonly workloadOf: (pod: Pod) => string | undefined;
  /** The source the next cycles will most likely use: the active one, or the one the mode fixes. */
  readonly source: () => UsageSourceName | undefined;
  /** The metrics the collector writes for every workload, namespace and cluster total. */
  readonly totalMetrics: readonly string[];
  /** Makes room in the store for the open chunks of series just registered (SampleStore.reserveHeads). */
  readonly reserveHeads?: (count: number) => void;
}

export interface WarmupReport {
  /** Pods new to the warm-up in this run. */
  readonly pods: number;
  /** Series keys looked up for them. */
  readonly keys: number;
  /** Keys that were not known (registered now, or read from the table). */
  readonly registered: number;
}


/** A pod whose containers the next cycle samples: running on a node, a container running, not terminating. */
function sampled(pod: Pod): boolean {
  if (pod.nodeName === undefined || pod.phase !== 'Running' || pod.deletingAtMs !== undefined) return false;
  return pod.containerStatuses.some((c) => c.state.kind === 'running');
}

/** The containers a source reports for a pod: its containers and its native sidecars (restartable init containers). */
function containerNames(pod: Pod): string[] {
  const names = pod.containers.map((c) => c.name);
  for (const c of pod.initContainers) if (isSidecar(c)) names.push(c.name);
  return names;
}

export class SeriesWarmup {
  /**
   * The uid of the pod last warmed, by pod key: a pod's containers never change, a pod re-created under the same name
   * has a new uid. Strings the cache holds anyway, not the pod objects (which would keep old versions alive).
   */
  private warmed = new Map<string, string>();
  private metricsKey = '';

  constructor(private readonly o: SeriesWarmupOptions) {}

  /** Registers the series of the pods not warmed yet, in steps that yield to I/O between them. */
  async warm(signal?: AbortSignal): Promise<WarmupReport> {
    const metrics = containerMetricsOf(this.o.source());
    // Another source writes other metrics: every pod is looked at again for them.
    if (metrics.join() !== this.metricsKey) {
      this.metricsKey = metrics.join();
      this.warmed = new Map();
    }
    const pods = this.o.view.list('pods');
    // Pods gone from the view are forgotten once they would be a tenth of the map.
    if (this.warmed.size > pods.length * 1.1 + 1000) this.forgetGone(pods);
    const fresh = pods.filter((p) => this.warmed.get(p.key) !== p.uid && sampled(p));
    let keys = 0;
    let registered = 0;
    for (let from = 0; from < fresh.length; from += PODS_PER_STEP) {
      signal?.throwIfAborted();
      if (from > 0) await yieldToEventLoop();
      const step = fresh.slice(from, from + PODS_PER_STEP);
      const wanted = this.keysOf(step, metrics);
      keys += wanted.length;
      registered += await this.o.ids.ensure(wanted);
      for (const p of step) this.warmed.set(p.key, p.uid);
      // Room for every head registered so far in this run (a reservation counts from the heads open now, which the
      // steps do not change), so that a run stopped halfway has reserved what it registered.
      if (registered > 0) this.o.reserveHeads?.(registered);
    }
    return { pods: fresh.length, keys, registered };
  }

  private forgetGone(pods: readonly Pod[]): void {
    const kept = new Map<string, string>();
    for (const p of pods) {
      const seen = this.warmed.get(p.key);
      if (seen !== undefined) kept.set(p.key, seen);
    }
    this.warmed = kept;
  }

  /** Container and total keys of some pods; each total once. */
  private keysOf(pods: readonly Pod[], metrics: readonly string[]): EntityMetric[] {
    const out: EntityMetric[] = [];
    const totals = new Set<string>();
    const add = (kind: EntityKind, entity: string, list: readonly string[]): void => {
      for (const metric of list) out.push({ kind, entity, metric });
    };
    const addTotal = (kind: EntityKind, entity: string): void => {
      const key = `${kind}|${entity}`;
      if (totals.has(key)) return;
      totals.add(key);
      add(kind, entity, this.o.totalMetrics);
    };
    addTotal('cluster', this.o.cluster);
    for (const pod of pods) {
      for (const c of containerNames(pod)) add('container', entityKey(pod.namespace, pod.name, c), metrics);
      addTotal('namespace', pod.namespace);
      const workload = this.o.workloadOf(pod);
      if (workload !== undefined) addTotal('workload', workload);
    }
    return out;
  }
}
