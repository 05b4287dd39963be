// SPDX-License-Identifier: Apache-2.0
// Types of the object and event history (REQUIREMENTS §1.7, issue 4): Kubernetes Events folded into deduplicated
// rows, pod lifecycle entries (restarts, terminations with exit codes, evictions, scheduling failures) and the
// history of pods and nodes, kept past their deletion for cost and rightsizing across rollouts. Times are epoch ms.
import type { PodLifecycleEvent, PodLifecycleEventType } from './kube-ports.ts';
import type { KubeEvent } from './resources.ts';

/** Requests and limits of one container as recorded. */
export interface RecordedContainer {
  readonly name: string;
  /** True for init containers (a native sidecar has `restartPolicy: Always` and keeps running). */
  readonly init: boolean;
  readonly sidecar: boolean;
  readonly cpuRequestMillicores?: number;
  readonly cpuLimitMillicores?: number;
  readonly memoryRequestBytes?: number;
  readonly memoryLimitBytes?: number;
}

/** One pod as recorded: enough for the cost of pods that no longer exist and rightsizing across rollouts. */
export interface PodRecord {
  readonly uid: string;
  readonly namespace: string;
  readonly name: string;
  readonly workloadKind: string;
  readonly workloadName: string;
  readonly nodeName?: string;
  readonly phase: string;
  readonly qosClass?: string;
  readonly priorityClassName?: string;
  readonly containers: readonly RecordedContainer[];
  readonly createdAtMs?: number;
  readonly startedAtMs?: number;
  /** When the pod reached Succeeded/Failed (the latest container finish, else when it was observed). */
  readonly finishedAtMs?: number;
}

/** One node as recorded. */
export interface NodeRecord {
  readonly uid: string;
  readonly name: string;
  readonly instanceType?: string;
  readonly zone?: string;
  readonly roles: readonly string[];
  readonly capacity: { readonly cpuMillicores?: number; readonly memoryBytes?: number; readonly pods?: number };
  readonly allocatable: { readonly cpuMillicores?: number; readonly memoryBytes?: number; readonly pods?: number };
  readonly labels: Readonly<Record<string, string>>;
  readonly createdAtMs?: number;
}

/** A pod lifecycle entry to persist, with the memory limit of its container when the entry was recorded. */
export interface LifecycleRecord extends Omit<PodLifecycleEvent, 'seq'> {
  readonly memoryLimitBytes?: number;
}

/** An object that disappeared from the cluster. */
export interface ObjectDeletion {
  readonly kind: 'pod' | 'node';
  readonly uid: string;
  readonly atMs: number;
}

/** What one recorder pass writes, in one transaction. Every list may be empty. */
export interface HistoryRecordBatch {
  readonly cluster: string;
  /** New or changed Event objects (a higher count or a later lastSeen). */
  readonly events: readonly KubeEvent[];
  /** Lifecycle entries; an entry whose dedupeKey is stored already is skipped. */
  readonly lifecycle: readonly LifecycleRecord[];
  /** Pods created or changed since the last pass. */
  readonly pods: readonly PodRecord[];
  readonly nodes: readonly NodeRecord[];
  readonly deletions: readonly ObjectDeletion[];
  /** When the cluster was observed; remembered so that deletions missed while stopped get a lower bound. */
  readonly observedAtMs: number;
}

/** Rows touched by one {@link HistoryRecordBatch}. */
export interface HistoryWriteReport {
  readonly eventsInserted: number;
  readonly eventsUpdated: number;
  readonly lifecycleInserted: number;
  readonly objectsWritten: number;
  readonly objectsDeleted: number;
}

/** The lifecycle entry types; every other type of the event history is an Event type (`Normal`, `Warning`). */
export const LIFECYCLE_TYPES: readonly PodLifecycleEventType[] = Object.freeze(['restart', 'termination', 'eviction', 'scheduling-failure']);

/** Where a history entry comes from. */
export type HistorySource = 'event' | 'lifecycle';

/** Position in the newest-first order of {@link HistoryEventQuery} results: (time, source, id) descending. */
export interface HistoryCursor {
  readonly atMs: number;
  readonly source: HistorySource;
  readonly id: number;
}

/** Filters of the event history; every filter is optional. Types mix Event types and lifecycle types. */
export interface HistoryEventQuery {
  readonly cluster: string;
  readonly namespace?: string;
  /** Kind of the involved object; for lifecycle entries `Pod` matches the pod, any other kind the workload. */
  readonly kind?: string;
  /** Name of the involved object (or of the workload, see `kind`). */
  readonly name?: string;
  /** Events about this pod and its lifecycle entries. */
  readonly pod?: string;
  /** `Normal`, `Warning` and/or lifecycle types (`restart`, `termination`, `eviction`, `scheduling-failure`). */
  readonly types?: readonly string[];
  readonly reason?: string;
  /** Entries whose (last) time is at or after / before this. */
  readonly sinceMs?: number;
  readonly untilMs?: number;
  readonly limit: number;
  /** Continue after this entry. */
  readonly after?: HistoryCursor;
}

/** A persisted, deduplicated Kubernetes Event. */
export interface StoredKubeEvent {
  readonly source: 'event';
  readonly id: number;
  readonly namespace: string;
  readonly involvedKind: string;
  readonly involvedName: string;
  readonly involvedUid?: string;
  readonly fieldPath?: string;
  readonly type: string;
  readonly reason: string;
  readonly message: string;
  readonly reportingComponent?: string;
  /** Occurrences folded into this row, over every Event object of the series. */
  readonly count: number;
  readonly firstAtMs: number;
  readonly lastAtMs: number;
}

/** A persisted pod lifecycle entry. */
export interface StoredLifecycleEvent {
  readonly source: 'lifecycle';
  readonly id: number;
  readonly type: PodLifecycleEventType;
  readonly namespace: string;
  readonly pod: string;
  readonly podUid: string;
  readonly nodeName?: string;
  readonly workloadKind: string;
  readonly workloadName: string;
  readonly container?: string;
  readonly reason?: string;
  readonly message?: string;
  readonly exitCode?: number;
  readonly restartCount?: number;
  readonly memoryLimitBytes?: number;
  readonly atMs: number;
}

export type HistoryEntry = StoredKubeEvent | StoredLifecycleEvent;

/** One page, newest first; `next` is set when more entries may follow. */
export interface HistoryPage<T, C = HistoryCursor> {
  readonly items: readonly T[];
  readonly next?: C;
}

/** Position in the pod history order: first seen, then uid, descending. */
export interface PodCursor {
  readonly firstSeenMs: number;
  readonly uid: string;
}

/** Filters of the pod history. A pod matches the time range when it existed during part of it. */
export interface PodHistoryFilter {
  readonly cluster: string;
  readonly namespace?: string;
  readonly workloadKind?: string;
  readonly workloadName?: string;
  readonly fromMs?: number;
  readonly toMs?: number;
  /** Only pods deleted (true) or still present (false). */
  readonly deleted?: boolean;
  readonly limit: number;
  /** Continue after this pod (ordered by first seen, then uid, newest first). */
  readonly after?: PodCursor;
}

/** A pod as stored, with when it was seen and deleted. */
export interface StoredPod extends PodRecord {
  readonly firstSeenMs: number;
  readonly deletedAtMs?: number;
}

/** A node as stored. */
export interface StoredNode extends NodeRecord {
  readonly firstSeenMs: number;
  readonly deletedAtMs?: number;
}

/** Rows deleted by history retention. */
export interface HistoryExpireReport {
  readonly events: number;
  readonly lifecycle: number;
  readonly pods: number;
  readonly nodes: number;
}
