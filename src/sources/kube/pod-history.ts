// SPDX-License-Identifier: Apache-2.0
// Pod lifecycle history: restarts, terminations (reason and exit code, OOMKilled included), evictions and
// scheduling failures, derived by comparing each pod's previous and new status. Kept in a bounded append-only
// ring; the store layer persists it by reading entries after the last sequence number it saved.
import type { PodHistoryQuery, PodLifecycleEvent, WorkloadRef } from '../../domain/kube-ports.ts';
import type { ContainerStatus, Pod } from '../../domain/resources.ts';

/** A lifecycle observation before it gets its place in the ring. */
export type PodObservation = Omit<PodLifecycleEvent, 'seq' | 'workload' | 'namespace' | 'pod' | 'podUid' | 'nodeName'>;

function termination(uid: string, container: string, t: { reason?: string; message?: string; exitCode?: number; finishedAtMs?: number }): PodObservation {
  return {
    type: 'termination',
    container,
    reason: t.reason,
    message: t.message,
    exitCode: t.exitCode,
    atMs: t.finishedAtMs ?? 0,
    dedupeKey: `${uid}|termination|${container}|${t.finishedAtMs}`,
  };
}

/** finishedAt of the terminations `prev` already showed: current state and last state. */
function knownTerminations(prev: ContainerStatus | undefined): Set<number | undefined> {
  const current = prev?.state.kind === 'terminated' ? prev.state.finishedAtMs : undefined;
  return new Set([prev?.lastTermination?.finishedAtMs, current]);
}

function terminationsOf(prev: ContainerStatus | undefined, next: ContainerStatus, uid: string): PodObservation[] {
  const out: PodObservation[] = [];
  // The same termination shows first as `state.terminated`, then (after the restart) as `lastState.terminated`:
  // its finishedAt identifies it in both places.
  const seen = knownTerminations(prev);
  const last = next.lastTermination;
  if (last && (!prev || !seen.has(last.finishedAtMs))) {
    out.push(termination(uid, next.name, last));
    seen.add(last.finishedAtMs);
  }
  const s = next.state;
  if (s.kind === 'terminated' && !seen.has(s.finishedAtMs)) out.push(termination(uid, next.name, s));
  return out;
}

function restartOf(prev: ContainerStatus | undefined, next: ContainerStatus, uid: string): PodObservation[] {
  if (!prev || next.restartCount <= prev.restartCount) return [];
  const last = next.lastTermination;
  return [
    {
      type: 'restart',
      container: next.name,
      reason: last?.reason,
      exitCode: last?.exitCode,
      restartCount: next.restartCount,
      atMs: last?.finishedAtMs ?? 0,
      dedupeKey: `${uid}|restart|${next.name}|${next.restartCount}`,
    },
  ];
}

function containerObservations(prev: Pod | undefined, next: Pod): PodObservation[] {
  const out: PodObservation[] = [];
  const previous = new Map<string, ContainerStatus>();
  for (const c of [...(prev?.initContainerStatuses ?? []), ...(prev?.containerStatuses ?? [])]) previous.set(c.name, c);
  for (const c of [...next.initContainerStatuses, ...next.containerStatuses]) {
    const p = previous.get(c.name);
    out.push(...restartOf(p, c, next.uid), ...terminationsOf(p, c, next.uid));
  }
  return out;
}

function unschedulable(pod: Pod | undefined): { message?: string; atMs?: number } | undefined {
  const c = pod?.conditions.find((x) => x.type === 'PodScheduled');
  return c?.status === 'False' && c.reason === 'Unschedulable' ? { message: c.message, atMs: c.lastTransitionAtMs } : undefined;
}

function podObservations(prev: Pod | undefined, next: Pod): PodObservation[] {
  const out: PodObservation[] = [];
  if (next.reason === 'Evicted' && prev?.reason !== 'Evicted') {
    const disruption = next.conditions.find((c) => c.type === 'DisruptionTarget');
    out.push({ type: 'eviction', reason: 'Evicted', message: next.message, atMs: disruption?.lastTransitionAtMs ?? 0, dedupeKey: `${next.uid}|eviction` });
  }
  const failed = unschedulable(next);
  const before = unschedulable(prev);
  // The scheduler rewrites the message on every retry but keeps lastTransitionTime: one entry per episode.
  if (failed && (!before || before.atMs !== failed.atMs)) {
    out.push({ type: 'scheduling-failure', reason: 'Unschedulable', message: failed.message, atMs: failed.atMs ?? 0, dedupeKey: `${next.uid}|scheduling-failure|${failed.atMs}` });
  }
  return out;
}

/**
 * What happened between two states of a pod. For a pod seen for the first time (`prev` undefined), the last
 * termination of each container and a current eviction or scheduling failure are reported (they happened before
 * the monitor started, and the dedupe keys keep them from being stored twice); past restarts are not.
 * `atMs` is 0 when the status carries no time; the history fills in the observation time.
 */
export function observePod(prev: Pod | undefined, next: Pod): PodObservation[] {
  return [...containerObservations(prev, next), ...podObservations(prev, next)];
}

/** A bounded, append-only ring of lifecycle events with strictly increasing sequence numbers. */
export class PodHistory {
  private readonly ring: (PodLifecycleEvent | undefined)[];
  private nextSeq = 1;
  private start = 0;
  private length = 0;

  /** @param capacity entries kept in memory; older ones are overwritten (default 10,000). */
  constructor(private readonly capacity = 10_000) {
    this.ring = new Array<PodLifecycleEvent | undefined>(capacity);
  }

  /** Sequence number of the newest entry (0 when empty). */
  get lastSeq(): number {
    return this.nextSeq - 1;
  }

  /** Appends the observations of one pod change; `nowMs` stands in for times the status does not carry. */
  append(pod: Pod, observations: readonly PodObservation[], ctx: { workload: WorkloadRef; nowMs: number }): void {
    for (const o of observations) {
      this.push({
        ...o,
        seq: this.nextSeq++,
        namespace: pod.namespace,
        pod: pod.name,
        podUid: pod.uid,
        nodeName: pod.nodeName,
        workload: ctx.workload,
        atMs: o.atMs || ctx.nowMs,
      });
    }
  }

  /** Entries in sequence order, filtered. */
  query(q: PodHistoryQuery = {}): PodLifecycleEvent[] {
    const out: PodLifecycleEvent[] = [];
    for (let i = 0; i < this.length; i++) {
      const e = this.ring[(this.start + i) % this.capacity] as PodLifecycleEvent;
      if (matches(e, q)) out.push(e);
    }
    return out;
  }

  private push(e: PodLifecycleEvent): void {
    if (this.length < this.capacity) {
      this.ring[(this.start + this.length) % this.capacity] = e;
      this.length++;
      return;
    }
    this.ring[this.start] = e;
    this.start = (this.start + 1) % this.capacity;
  }
}

function matches(e: PodLifecycleEvent, q: PodHistoryQuery): boolean {
  if (q.afterSeq !== undefined && e.seq <= q.afterSeq) return false;
  if (q.podUid !== undefined && e.podUid !== q.podUid) return false;
  if (q.namespace !== undefined && e.namespace !== q.namespace) return false;
  return q.types === undefined || q.types.includes(e.type);
}
