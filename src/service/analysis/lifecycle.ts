// SPDX-License-Identifier: Apache-2.0
// Restarts and OOM kills of one namespace's containers, from the persisted lifecycle history (which survives the
// monitor's restarts and keeps deleted pods) merged with the in-memory ring of the cluster view.
import type { ClusterView } from '../../domain/kube-ports.ts';
import type { HistoryStore } from '../../domain/ports.ts';

/** One restart or termination of a container. */
export interface ContainerEnd {
  readonly atMs: number;
  readonly oomKilled: boolean;
  readonly memoryLimitBytes?: number;
}

/** Ends per `pod/container`, ascending time. */
export type EndsByContainer = Map<string, ContainerEnd[]>;

const PAGE = 1000;
/** Bounds the pages read per namespace, so a crash-looping namespace cannot make a run unbounded. */
const MAX_PAGES = 20;

function add(out: EndsByContainer, seen: Set<string>, e: { pod: string; container?: string; atMs: number; reason?: string; memoryLimitBytes?: number }): void {
  if (e.container === undefined) return;
  const key = `${e.pod}/${e.container}`;
  // A restart and the termination that caused it share a time; one end is counted, OOM when either says so.
  const id = `${key}@${Math.round(e.atMs / 1000)}`;
  const oom = e.reason === 'OOMKilled';
  let list = out.get(key);
  if (list === undefined) {
    list = [];
    out.set(key, list);
  }
  if (seen.has(id)) {
    if (oom) {
      const i = list.findIndex((x) => Math.round(x.atMs / 1000) === Math.round(e.atMs / 1000));
      if (i >= 0) list[i] = { ...(list[i] as ContainerEnd), oomKilled: true };
    }
    return;
  }
  seen.add(id);
  list.push({ atMs: e.atMs, oomKilled: oom, ...(e.memoryLimitBytes === undefined ? {} : { memoryLimitBytes: e.memoryLimitBytes }) });
}

/** Restarts and terminations since `sinceMs` for every container of a namespace. */
export async function containerEnds(opts: { cluster: ClusterView; lifecycle?: HistoryStore; clusterName: string; namespace: string; sinceMs: number }): Promise<EndsByContainer> {
  const out: EndsByContainer = new Map();
  const seen = new Set<string>();
  const lifecycle = opts.lifecycle;
  let after;
  for (let page = 0; lifecycle !== undefined && page < MAX_PAGES; page++) {
    const res = await lifecycle.queryEvents({ cluster: opts.clusterName, namespace: opts.namespace, types: ['restart', 'termination'], sinceMs: opts.sinceMs, limit: PAGE, ...(after === undefined ? {} : { after }) });
    for (const e of res.items) if (e.source === 'lifecycle') add(out, seen, e);
    if (res.next === undefined) break;
    after = res.next;
  }
  for (const e of opts.cluster.podHistory({ namespace: opts.namespace, types: ['restart', 'termination'] })) {
    if (e.atMs >= opts.sinceMs) add(out, seen, e);
  }
  for (const list of out.values()) list.sort((a, b) => a.atMs - b.atMs);
  return out;
}
