// SPDX-License-Identifier: Apache-2.0
// The pod history of a seeded cluster, as the monitor's history recorder would have written it had it watched the
// cluster over the whole seeded window: every seeded pod with its containers' requests and limits, its creation and
// start, first seen when the window opens (or at the first recorder pass after its creation). The capacity
// forecasts' Σ requests history (analysis/requests-history.ts) stands on these records.
import type { PodRecord, RecordedContainer } from '../domain/history.ts';
import type { HistoryStore } from '../domain/ports.ts';
import type { KubeObject } from '../sim/model/kube-types.ts';
import type { RunningContainer } from '../sim/model/scenario/built-types.ts';
import type { Simulation } from '../sim/simulation.ts';
import { groupBy } from '../domain/maps.ts';

/** Pods per recorder batch: one transaction each. */
const BATCH = 1000;

export interface PodHistorySeed {
  readonly simulation: Simulation;
  readonly history: HistoryStore;
  readonly cluster: string;
  readonly include: (c: RunningContainer) => boolean;
  /** Start of the seeded window: pods created before it were first seen then. */
  readonly fromMs: number;
  /** Interval of the recorder passes that first see pods created later (their first sight is rounded up to it). */
  readonly passMs: number;
}

function recorded(c: RunningContainer): RecordedContainer {
  return {
    name: c.container,
    init: false,
    sidecar: false,
    cpuRequestMillicores: c.requests.cpuCores * 1000,
    memoryRequestBytes: c.requests.memoryBytes,
    ...(c.limits.cpuCores === undefined ? {} : { cpuLimitMillicores: c.limits.cpuCores * 1000 }),
    ...(c.limits.memoryBytes === undefined ? {} : { memoryLimitBytes: c.limits.memoryBytes }),
  };
}

/** Uid, owner and creation of the simulator's pod object; the pod itself and its start when it has none. */
function identity(simulation: Simulation, pod: { namespace: string; name: string; startedAtMs: number }): { uid: string; kind: string; name: string; createdAtMs: number } {
  const meta = simulation.store.get<KubeObject>('pods', pod.namespace, pod.name)?.metadata ?? { name: pod.name };
  const owner = meta.ownerReferences?.[0] ?? { kind: 'Pod', name: pod.name };
  const created = Date.parse(meta.creationTimestamp ?? '');
  return {
    uid: meta.uid ?? `${pod.namespace}/${pod.name}`,
    kind: owner.kind,
    name: owner.name,
    createdAtMs: Number.isFinite(created) ? Math.min(created, pod.startedAtMs) : pod.startedAtMs,
  };
}

/** The record of a pod from its running containers. */
function podRecord(simulation: Simulation, containers: readonly RunningContainer[]): PodRecord {
  const first = containers[0] as RunningContainer;
  const startedAtMs = Math.min(...containers.map((c) => c.startedAtMs));
  const id = identity(simulation, { namespace: first.namespace, name: first.pod, startedAtMs });
  return {
    uid: id.uid,
    namespace: first.namespace,
    name: first.pod,
    workloadKind: id.kind,
    workloadName: id.name,
    nodeName: first.node,
    phase: 'Running',
    containers: containers.map(recorded),
    createdAtMs: id.createdAtMs,
    startedAtMs,
  };
}

/** The selected containers grouped by pod. */
function podsOf(o: PodHistorySeed): RunningContainer[][] {
  return [...groupBy(o.simulation.built.containers.filter((c) => o.include(c)), (c) => `${c.namespace}/${c.pod}`).values()];
}

/** Records every selected pod, in recorder passes by first sight (oldest first); returns the pods written. */
export async function seedPodHistory(o: PodHistorySeed): Promise<number> {
  const pods = podsOf(o).map((containers) => podRecord(o.simulation, containers));
  const bySight = groupBy(pods, (pod) => Math.max(o.fromMs, Math.ceil((pod.createdAtMs as number) / o.passMs) * o.passMs));
  let written = 0;
  for (const [observedAtMs, pods] of [...bySight].sort(([a], [b]) => a - b)) {
    for (let i = 0; i < pods.length; i += BATCH) {
      const batch = pods.slice(i, i + BATCH);
      await o.history.record({ cluster: o.cluster, events: [], lifecycle: [], pods: batch, nodes: [], deletions: [], observedAtMs });
      written += batch.length;
    }
  }
  return written;
}
