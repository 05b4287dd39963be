// SPDX-License-Identifier: Apache-2.0
// The read port over the watched cluster state. The kube adapter (src/sources/kube/cluster-cache.ts) implements it
// from its informer stores; analyses, the API and the store layer read through it and never see the wire format.
import type { EndpointSlice, KubeEvent, LimitRange, Namespace, Node, PersistentVolume, PersistentVolumeClaim, Pod, ResourceQuota, Service, StorageClass } from './resources.ts';
import type { CronJob, DaemonSet, Deployment, HorizontalPodAutoscaler, Job, NetworkPolicy, PodDisruptionBudget, ReplicaSet, StatefulSet } from './workload-resources.ts';

/** Projection type per watched kind, keyed by the plural resource name. */
export interface KindMap {
  namespaces: Namespace;
  nodes: Node;
  pods: Pod;
  events: KubeEvent;
  resourcequotas: ResourceQuota;
  limitranges: LimitRange;
  persistentvolumeclaims: PersistentVolumeClaim;
  persistentvolumes: PersistentVolume;
  storageclasses: StorageClass;
  services: Service;
  endpointslices: EndpointSlice;
  deployments: Deployment;
  replicasets: ReplicaSet;
  statefulsets: StatefulSet;
  daemonsets: DaemonSet;
  jobs: Job;
  cronjobs: CronJob;
  horizontalpodautoscalers: HorizontalPodAutoscaler;
  poddisruptionbudgets: PodDisruptionBudget;
  networkpolicies: NetworkPolicy;
}

/** Plural resource name of a watched kind. */
export type KindName = keyof KindMap;

/** Every watched kind, in the order the issue lists them. */
export const KIND_NAMES: readonly KindName[] = Object.freeze([
  'namespaces',
  'nodes',
  'pods',
  'events',
  'resourcequotas',
  'limitranges',
  'persistentvolumeclaims',
  'persistentvolumes',
  'storageclasses',
  'services',
  'endpointslices',
  'deployments',
  'replicasets',
  'statefulsets',
  'daemonsets',
  'jobs',
  'cronjobs',
  'horizontalpodautoscalers',
  'poddisruptionbudgets',
  'networkpolicies',
]);

/**
 * A workload: the top of a pod's controller chain (REQUIREMENTS §1.4). `kind` is `Deployment`, `StatefulSet`,
 * `DaemonSet`, `CronJob`, `Job`, `ReplicaSet` (no Deployment above it), `Pod` (a bare pod), or the kind of a
 * third-party controller (e.g. an Argo `Rollout`). The key within one cluster is (namespace, kind, name).
 */
export interface WorkloadRef {
  readonly namespace: string;
  readonly kind: string;
  readonly name: string;
  /**
   * False when a link of the chain is not in the cache (not synced yet, or already deleted) and the workload was
   * inferred from names: a ReplicaSet `web-7d9f` with the pod label `pod-template-hash=7d9f` belongs to the
   * Deployment `web`.
   */
  readonly resolved: boolean;
}

/** What happened to a pod, as seen in its status. */
export type PodLifecycleEventType =
  /** A container's restartCount grew. `reason`/`exitCode` are those of the termination that caused it. */
  | 'restart'
  /** A container terminated (`reason` e.g. `OOMKilled`, `Error`, `Completed`; with `exitCode`). */
  | 'termination'
  /** The kubelet evicted the pod (`status.reason` = `Evicted`). */
  | 'eviction'
  /** The scheduler could not place the pod (PodScheduled=False, reason `Unschedulable`). */
  | 'scheduling-failure';

/** One entry of the pod lifecycle history. Times are epoch ms. */
export interface PodLifecycleEvent {
  /** Position in the history, strictly increasing from 1; persisting "everything after seq N" is lossless. */
  readonly seq: number;
  readonly type: PodLifecycleEventType;
  readonly namespace: string;
  readonly pod: string;
  readonly podUid: string;
  readonly nodeName?: string;
  readonly workload: WorkloadRef;
  readonly container?: string;
  readonly reason?: string;
  readonly message?: string;
  readonly exitCode?: number;
  readonly restartCount?: number;
  /** When it happened per the status (finishedAt, lastTransitionTime); else when we observed it. */
  readonly atMs: number;
  /**
   * Identity of the occurrence across restarts of the monitor (pod uid, type, container and the status's own
   * timestamp or restart count): a store that persists the ring skips keys it already has.
   */
  readonly dedupeKey: string;
}

/** A filter on the lifecycle history. */
export interface PodHistoryQuery {
  /** Only entries with `seq` greater than this. */
  readonly afterSeq?: number;
  readonly podUid?: string;
  readonly namespace?: string;
  readonly types?: readonly PodLifecycleEventType[];
}

/** Sync state of one kind. */
export interface KindSyncStatus {
  readonly kind: KindName;
  readonly synced: boolean;
  readonly objects: number;
  /** Counted for readiness (optional kinds such as NetworkPolicy are not). */
  readonly gatesReadiness: boolean;
  /** The connection of the kind's list/watch loop; absent from views that do not watch (tests, snapshots). */
  readonly connection?: KindConnection;
}

/** What a kind's list/watch loop is doing. */
export type KindLoopPhase = 'idle' | 'listing' | 'watching' | 'backoff' | 'stopped';

/** How the API server has been answering one kind's list/watch loop. Times are epoch ms. */
export interface KindConnection {
  readonly phase: KindLoopPhase;
  /** Failed attempts since the API server last answered the kind (a 200 or a watch event). */
  readonly consecutiveFailures: number;
  /** First failure of the current streak; undefined while there is none. */
  readonly failingSinceMs?: number;
  /** Latest 200 answer or watch event. */
  readonly lastContactAtMs?: number;
  /** The watch went silent past its watchdog and no event or bookmark has arrived since. */
  readonly stalled: boolean;
  /** The latest failure (kept after recovery). */
  readonly lastError?: { readonly code: string; readonly message: string; readonly atMs: number };
}

/** The name of an object (namespace undefined for cluster-scoped kinds). */
export interface ObjectName {
  readonly namespace?: string;
  readonly name: string;
}

/**
 * The objects of a kind changed since a revision, and the current revision; `changed` is undefined when the changes
 * are not held (see {@link ClusterView.changesSince}).
 */
export interface ObjectChanges {
  readonly revision: number;
  readonly changed?: readonly ObjectName[];
}

/** Read access to the watched cluster. Every method is synchronous and reads memory only. */
export interface ClusterView {
  /** All objects of a kind, optionally of one namespace (unordered). */
  list<K extends KindName>(kind: K, namespace?: string): readonly KindMap[K][];
  /**
   * The objects of a kind added, modified or deleted since `revision` (read each one's state with `get`), and the
   * current revision: for readers that keep state derived from the whole list up to date without copying it.
   * `changed` is undefined without a revision, or when the changes are no longer held (after a relist, or more changes
   * than a bounded journal keeps): such a reader then starts again from `list`. A name may appear more than once.
   */
  changesSince(kind: KindName, revision?: number): ObjectChanges;
  /** One object; `namespace` is ignored for cluster-scoped kinds. */
  get<K extends KindName>(kind: K, namespace: string | undefined, name: string): KindMap[K] | undefined;
  /** The workload owning a pod (Pod → ReplicaSet → Deployment, Pod → Job → CronJob, StatefulSet, DaemonSet). */
  workloadOf(pod: Pod): WorkloadRef;
  /** Lifecycle history still held in memory (a bounded ring; the oldest entries go first). */
  podHistory(query?: PodHistoryQuery): readonly PodLifecycleEvent[];
  /** Objects held per kind. */
  counts(): Readonly<Record<KindName, number>>;
  /** Per-kind sync state. */
  syncStatus(): readonly KindSyncStatus[];
  /** True once every readiness-gating kind has applied its first list (REQUIREMENTS §1.3, §6.2). */
  isReady(): boolean;
}
