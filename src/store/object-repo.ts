// SPDX-License-Identifier: Apache-2.0
// SQL for the pod and node history (migrations/0002_history.sql): one row per object uid, rewritten when the object
// changes, kept after its deletion until retention. `first_seen_ms` stays from the first write; `deleted_ms` is set
// once. Per-container requests and limits are JSON; their sums are columns so that cost queries need no JSON.
import type { NodeRecord, PodCursor, PodHistoryFilter, PodRecord, RecordedContainer, StoredNode, StoredPod } from '../domain/history.ts';
import type { Db } from './db.ts';
import { StatementCache } from './statement-cache.ts';

type Kind = 'pod' | 'node';

interface PodRow {
  uid: string;
  namespace: string;
  name: string;
  workload_kind: string;
  workload_name: string;
  node: string | null;
  phase: string;
  qos_class: string | null;
  priority_class: string | null;
  containers: string;
  created_ms: number | null;
  started_ms: number | null;
  finished_ms: number | null;
  first_seen_ms: number;
  deleted_ms: number | null;
}

interface NodeRow {
  uid: string;
  name: string;
  instance_type: string | null;
  zone: string | null;
  roles: string;
  labels: string;
  cpu_capacity_m: number | null;
  mem_capacity_b: number | null;
  pods_capacity: number | null;
  cpu_alloc_m: number | null;
  mem_alloc_b: number | null;
  pods_alloc: number | null;
  created_ms: number | null;
  first_seen_ms: number;
  deleted_ms: number | null;
}

const opt = <T>(v: T | null): T | undefined => (v === null ? undefined : v);

function sum(containers: readonly RecordedContainer[], pick: (c: RecordedContainer) => number | undefined): number {
  let total = 0;
  // Init containers run before the app containers; only native sidecars hold resources alongside them.
  for (const c of containers) if (!c.init || c.sidecar) total += pick(c) ?? 0;
  return total;
}

function podParams(cluster: string, p: PodRecord, nowMs: number) {
  return {
    cluster,
    uid: p.uid,
    namespace: p.namespace,
    name: p.name,
    workloadKind: p.workloadKind,
    workloadName: p.workloadName,
    node: p.nodeName ?? null,
    phase: p.phase,
    qos: p.qosClass ?? null,
    priority: p.priorityClassName ?? null,
    containers: JSON.stringify(p.containers),
    cpuRequest: sum(p.containers, (c) => c.cpuRequestMillicores),
    cpuLimit: sum(p.containers, (c) => c.cpuLimitMillicores),
    memRequest: sum(p.containers, (c) => c.memoryRequestBytes),
    memLimit: sum(p.containers, (c) => c.memoryLimitBytes),
    created: p.createdAtMs ?? null,
    started: p.startedAtMs ?? null,
    finished: p.finishedAtMs ?? null,
    now: nowMs,
  };
}

function nodeParams(cluster: string, n: NodeRecord, nowMs: number) {
  return {
    cluster,
    uid: n.uid,
    name: n.name,
    instanceType: n.instanceType ?? null,
    zone: n.zone ?? null,
    roles: JSON.stringify(n.roles),
    labels: JSON.stringify(n.labels),
    cpuCapacity: n.capacity.cpuMillicores ?? null,
    memCapacity: n.capacity.memoryBytes ?? null,
    podsCapacity: n.capacity.pods ?? null,
    cpuAlloc: n.allocatable.cpuMillicores ?? null,
    memAlloc: n.allocatable.memoryBytes ?? null,
    podsAlloc: n.allocatable.pods ?? null,
    created: n.createdAtMs ?? null,
    now: nowMs,
  };
}

function toPod(r: PodRow): StoredPod {
  return {
    uid: r.uid,
    namespace: r.namespace,
    name: r.name,
    workloadKind: r.workload_kind,
    workloadName: r.workload_name,
    nodeName: opt(r.node),
    phase: r.phase,
    qosClass: opt(r.qos_class),
    priorityClassName: opt(r.priority_class),
    containers: JSON.parse(r.containers) as RecordedContainer[],
    createdAtMs: opt(r.created_ms),
    startedAtMs: opt(r.started_ms),
    finishedAtMs: opt(r.finished_ms),
    firstSeenMs: r.first_seen_ms,
    deletedAtMs: opt(r.deleted_ms),
  };
}

function toNode(r: NodeRow): StoredNode {
  return {
    uid: r.uid,
    name: r.name,
    instanceType: opt(r.instance_type),
    zone: opt(r.zone),
    roles: JSON.parse(r.roles) as string[],
    labels: JSON.parse(r.labels) as Record<string, string>,
    capacity: { cpuMillicores: opt(r.cpu_capacity_m), memoryBytes: opt(r.mem_capacity_b), pods: opt(r.pods_capacity) },
    allocatable: { cpuMillicores: opt(r.cpu_alloc_m), memoryBytes: opt(r.mem_alloc_b), pods: opt(r.pods_alloc) },
    createdAtMs: opt(r.created_ms),
    firstSeenMs: r.first_seen_ms,
    deletedAtMs: opt(r.deleted_ms),
  };
}

function prepare(db: Db) {
  return {
    pod: db.prepare(
      'INSERT INTO pod_history (cluster, uid, namespace, name, workload_kind, workload_name, node, phase, qos_class, ' +
        'priority_class, containers, cpu_request_m, cpu_limit_m, mem_request_b, mem_limit_b, created_ms, started_ms, ' +
        'finished_ms, first_seen_ms, updated_ms) VALUES (@cluster, @uid, @namespace, @name, @workloadKind, @workloadName, ' +
        '@node, @phase, @qos, @priority, @containers, @cpuRequest, @cpuLimit, @memRequest, @memLimit, @created, @started, ' +
        '@finished, @now, @now) ON CONFLICT (cluster, uid) DO UPDATE SET workload_kind = excluded.workload_kind, ' +
        'workload_name = excluded.workload_name, node = excluded.node, phase = excluded.phase, qos_class = ' +
        'excluded.qos_class, priority_class = excluded.priority_class, containers = excluded.containers, cpu_request_m = ' +
        'excluded.cpu_request_m, cpu_limit_m = excluded.cpu_limit_m, mem_request_b = excluded.mem_request_b, mem_limit_b ' +
        '= excluded.mem_limit_b, started_ms = excluded.started_ms, finished_ms = COALESCE(pod_history.finished_ms, ' +
        'excluded.finished_ms), updated_ms = ' +
        'excluded.updated_ms, deleted_ms = NULL',
    ),
    node: db.prepare(
      'INSERT INTO node_history (cluster, uid, name, instance_type, zone, roles, labels, cpu_capacity_m, mem_capacity_b, ' +
        'pods_capacity, cpu_alloc_m, mem_alloc_b, pods_alloc, created_ms, first_seen_ms, updated_ms) VALUES (@cluster, ' +
        '@uid, @name, @instanceType, @zone, @roles, @labels, @cpuCapacity, @memCapacity, @podsCapacity, @cpuAlloc, ' +
        '@memAlloc, @podsAlloc, @created, @now, @now) ON CONFLICT (cluster, uid) DO UPDATE SET instance_type = ' +
        'excluded.instance_type, zone = excluded.zone, roles = excluded.roles, labels = excluded.labels, cpu_capacity_m = ' +
        'excluded.cpu_capacity_m, mem_capacity_b = excluded.mem_capacity_b, pods_capacity = excluded.pods_capacity, ' +
        'cpu_alloc_m = excluded.cpu_alloc_m, mem_alloc_b = excluded.mem_alloc_b, pods_alloc = excluded.pods_alloc, ' +
        'updated_ms = excluded.updated_ms, deleted_ms = NULL',
    ),
    // Never gone before it was first seen (a clock that stepped back, reconcile's time capped at now).
    deletePod: db.prepare('UPDATE pod_history SET deleted_ms = MAX(?, first_seen_ms) WHERE cluster = ? AND uid = ? AND deleted_ms IS NULL'),
    deleteNode: db.prepare('UPDATE node_history SET deleted_ms = MAX(?, first_seen_ms) WHERE cluster = ? AND uid = ? AND deleted_ms IS NULL'),
    livePods: db.prepare('SELECT uid FROM pod_history WHERE cluster = ? AND deleted_ms IS NULL').pluck(),
    liveNodes: db.prepare('SELECT uid FROM node_history WHERE cluster = ? AND deleted_ms IS NULL').pluck(),
    nodes: db.prepare('SELECT * FROM node_history WHERE cluster = ? ORDER BY name, first_seen_ms'),
    expirePods: db.prepare('DELETE FROM pod_history WHERE (cluster, uid) IN (SELECT cluster, uid FROM pod_history WHERE deleted_ms < ? LIMIT ?)'),
    expireNodes: db.prepare('DELETE FROM node_history WHERE (cluster, uid) IN (SELECT cluster, uid FROM node_history WHERE deleted_ms < ? LIMIT ?)'),
  };
}

/** Prepared statements of the pod and node history. Writes run inside the caller's transaction. */
export class ObjectRepo {
  private readonly s: ReturnType<typeof prepare>;
  /** The pod queries' statements by shape (an analysis pass asks one per namespace). */
  private readonly podQueries: StatementCache;

  constructor(db: Db) {
    this.s = prepare(db);
    this.podQueries = new StatementCache(db, 32);
  }

  putPod(cluster: string, p: PodRecord, nowMs: number): void {
    this.s.pod.run(podParams(cluster, p, nowMs));
  }

  putNode(cluster: string, n: NodeRecord, nowMs: number): void {
    this.s.node.run(nodeParams(cluster, n, nowMs));
  }

  /** Sets the deletion time of a live row; returns false when there is none (unknown or already deleted). */
  markDeleted(opts: { cluster: string; kind: Kind; uid: string; atMs: number }): boolean {
    const stmt = opts.kind === 'pod' ? this.s.deletePod : this.s.deleteNode;
    return stmt.run(opts.atMs, opts.cluster, opts.uid).changes > 0;
  }

  /** Uids of rows not deleted. */
  liveUids(cluster: string, kind: Kind): string[] {
    return (kind === 'pod' ? this.s.livePods : this.s.liveNodes).all(cluster) as string[];
  }

  /** Pods matching the filter, newest first (first seen, then uid). */
  pods(f: PodHistoryFilter): StoredPod[] {
    const q = podQuery(f);
    return (this.podQueries.get(q.sql).all(q.params) as PodRow[]).map(toPod);
  }

  nodes(cluster: string): StoredNode[] {
    return (this.s.nodes.all(cluster) as NodeRow[]).map(toNode);
  }

  /** Deletes up to `batch` rows of a kind deleted before `cutoffMs`. */
  expire(kind: Kind, cutoffMs: number, batch: number): number {
    return (kind === 'pod' ? this.s.expirePods : this.s.expireNodes).run(cutoffMs, batch).changes;
  }
}

/** The SELECT of {@link ObjectRepo.pods}: a page of pods newest first, by `(first_seen_ms, uid)`. */
export function podQuery(f: PodHistoryFilter): { sql: string; params: Record<string, unknown> } {
  const where = ['cluster = @cluster'];
  const params: Record<string, unknown> = { cluster: f.cluster, limit: f.limit };
  const add = (sql: string, name: string, value: unknown): void => {
    if (value === undefined) return;
    where.push(sql);
    params[name] = value;
  };
  add('namespace = @namespace', 'namespace', f.namespace);
  add('workload_kind = @workloadKind', 'workloadKind', f.workloadKind);
  add('workload_name = @workloadName', 'workloadName', f.workloadName);
  add('(deleted_ms IS NULL OR deleted_ms >= @fromMs)', 'fromMs', f.fromMs);
  add('COALESCE(created_ms, first_seen_ms) < @toMs', 'toMs', f.toMs);
  if (f.deleted !== undefined) where.push(f.deleted ? 'deleted_ms IS NOT NULL' : 'deleted_ms IS NULL');
  add('(first_seen_ms < @afterSeen OR (first_seen_ms = @afterSeen AND uid < @afterUid))', 'afterSeen', f.after?.firstSeenMs);
  if (f.after) params.afterUid = f.after.uid;
  return { sql: `SELECT * FROM pod_history WHERE ${where.join(' AND ')} ORDER BY first_seen_ms DESC, uid DESC LIMIT @limit`, params };
}

/** The cursor after the last pod of a full page. */
export function podCursor(items: readonly StoredPod[], limit: number): PodCursor | undefined {
  const last = items[items.length - 1];
  return items.length === limit && last ? { firstSeenMs: last.firstSeenMs, uid: last.uid } : undefined;
}
