// SPDX-License-Identifier: Apache-2.0
// Capacity outlook per level (issue 5 item 7): cluster, node pool (nodes grouped by a label), namespace and quota;
// CPU and memory, requests against capacity and usage. The capacity of the cluster and of a pool is the nodes'
// allocatable, and requests are exhausted at 90 % of it (the scheduler needs slack to place pods); a quota's is its
// tightest hard, exhausted at 100 %; a namespace without a quota has no capacity of its own, so it gets forecasts
// only. Nodes needed: how many nodes of the pool's typical size the upper 95 % bound of the requests forecast at the
// horizon calls for beyond the current count, and how many the loss of the largest node does (N − 1).
import type { Node, Pod, ResourceQuota } from '../../domain/resources.ts';
import type { Sample } from '../../domain/series.ts';
import { nMinusOne, nodesFor, podAmounts, isActive, typicalNode, type Amounts, type NMinusOne } from '../nodes/index.ts';
import { tightestHard } from '../quota/quota-usage.ts';
import { daysUntil, type Exhaustion } from './exhaustion.ts';
import { forecastSeries, type Forecast, type ForecastInput, type RegularSeries } from './forecast.ts';
import { groupBy } from '../../domain/maps.ts';

export type CapacityLevel = 'cluster' | 'nodepool' | 'namespace' | 'quota';
export type CapacityResource = 'cpu' | 'memory';

/** Share of allocatable at which requests count as exhausted. */
export const REQUESTS_FULL = 0.9;

/** One entity of one level, for one resource. */
export interface CapacityScope {
  readonly level: CapacityLevel;
  readonly entity: string;
  readonly resource: CapacityResource;
  /** Allocatable (cluster, pool) or hard (quota), millicores or bytes; undefined for a namespace without quota. */
  readonly capacity?: number;
  /** Σ requests now (quota: used). */
  readonly currentRequests: number;
  /** Nodes of the pool (cluster and node pool levels). */
  readonly nodes?: readonly Node[];
}

export interface CapacityOutlook extends CapacityScope {
  readonly usage: Forecast;
  readonly requests?: Forecast;
  /** Requests reaching 90 % of allocatable (cluster, pool) or the hard (quota). */
  readonly requestsExhaustion?: Exhaustion;
  /** Usage reaching the capacity. */
  readonly usageExhaustion?: Exhaustion;
  /** Nodes to add for the forecast growth (upper 95 % of requests at the horizon, at 90 % fill). */
  readonly nodesForGrowth?: number;
  readonly nMinusOne?: NMinusOne;
}

const sumAlloc = (nodes: readonly Node[], r: CapacityResource): number =>
  nodes.reduce((a, n) => a + ((r === 'cpu' ? n.allocatable.cpuMillicores : n.allocatable.memoryBytes) ?? 0), 0);

function requestsOf(pods: readonly Pod[], keep: (p: Pod) => boolean): Amounts {
  const out = { cpuMillicores: 0, memoryBytes: 0 };
  for (const p of pods) {
    if (!isActive(p) || !keep(p)) continue;
    const a = podAmounts(p).requests;
    out.cpuMillicores += a.cpuMillicores;
    out.memoryBytes += a.memoryBytes;
  }
  return out;
}

const pick = (a: Amounts, r: CapacityResource): number => (r === 'cpu' ? a.cpuMillicores : a.memoryBytes);

/** Every scope of the cluster view: the cluster, each node pool (by `poolLabel`), each namespace and each quota. */
export interface ClusterSnapshot {
  readonly nodes: readonly Node[];
  readonly pods: readonly Pod[];
  readonly quotas: readonly ResourceQuota[];
  readonly cluster: string;
  /** Node label naming the pool (default `node.kubernetes.io/instance-type`). */
  readonly poolLabel?: string;
}

const RESOURCES: readonly CapacityResource[] = ['cpu', 'memory'];

export function capacityScopes(view: ClusterSnapshot): CapacityScope[] {
  const all = requestsOf(view.pods, () => true);
  const cluster = RESOURCES.map((r): CapacityScope => ({ level: 'cluster', entity: view.cluster, resource: r, capacity: sumAlloc(view.nodes, r), currentRequests: pick(all, r), nodes: view.nodes }));
  return [...cluster, ...poolScopes(view), ...namespaceScopes(view)];
}

function poolScopes(view: ClusterSnapshot): CapacityScope[] {
  const out: CapacityScope[] = [];
  const resources = RESOURCES;
  const pools = new Map<string, Node[]>();
  for (const n of view.nodes) {
    const pool = n.labels[view.poolLabel ?? 'node.kubernetes.io/instance-type'];
    if (pool === undefined) continue;
    // Pushed, not copied: a pool of 5,000 nodes built by copying was 100 MB of garbage.
    const members = pools.get(pool);
    if (members === undefined) pools.set(pool, [n]);
    else members.push(n);
  }
  for (const [pool, nodes] of pools) {
    const names = new Set(nodes.map((n) => n.name));
    const req = requestsOf(view.pods, (p) => p.nodeName !== undefined && names.has(p.nodeName));
    for (const r of resources) out.push({ level: 'nodepool', entity: pool, resource: r, capacity: sumAlloc(nodes, r), currentRequests: pick(req, r), nodes });
  }
  return out;
}


function namespaceScopes(view: ClusterSnapshot): CapacityScope[] {
  const out: CapacityScope[] = [];
  const resources = RESOURCES;
  // Pods and quotas are grouped once: filtering the whole cluster per namespace is quadratic (10,000 namespaces ×
  // 150,000 pods at scale-150k took minutes).
  const podsByNs = groupBy(view.pods, (p) => p.namespace);
  const quotasByNs = groupBy(view.quotas, (q) => q.namespace);
  for (const ns of [...podsByNs.keys()].sort()) {
    const req = requestsOf(podsByNs.get(ns) ?? [], () => true);
    for (const r of resources) out.push({ level: 'namespace', entity: ns, resource: r, currentRequests: pick(req, r) });
    const hard = tightestHard(quotasByNs.get(ns) ?? []);
    for (const r of resources) {
      const t = hard.get(`requests.${r}`) ?? hard.get(r);
      if (t !== undefined) out.push({ level: 'quota', entity: `${ns}/${t.quota}`, resource: r, capacity: t.hard, currentRequests: t.used });
    }
  }
  return out;
}

/** The history of one scope; `forecast` lets scopes that share a series (a quota and its namespace) share its forecast. */
export interface ScopeSeries {
  /** Usage: samples, or a series on a regular step. */
  readonly usage: readonly Sample[] | RegularSeries;
  /** Σ requests (quota: used), if stored: samples, or a series on a regular step. */
  readonly requests?: readonly Sample[] | RegularSeries;
  readonly nowMs: number;
  readonly horizonMs: number;
  readonly forecast?: (which: 'usage' | 'requests', input: ForecastInput) => Forecast;
}

const forecastAlone = (_: 'usage' | 'requests', input: ForecastInput): Forecast => forecastSeries(input);

function forecastsOf(series: ScopeSeries): { usage: Forecast; requests: Forecast | undefined } {
  const at = { nowMs: series.nowMs, horizonMs: series.horizonMs };
  const forecast = series.forecast ?? forecastAlone;
  const usage = forecast('usage', { samples: series.usage, ...at });
  return { usage, requests: series.requests === undefined ? undefined : forecast('requests', { samples: series.requests, ...at }) };
}

/** Forecasts and exhaustion dates of one scope. */
export function capacityOutlook(scope: CapacityScope, series: ScopeSeries): CapacityOutlook {
  const { usage, requests } = forecastsOf(series);
  if (scope.capacity === undefined) return { ...scope, usage, requests };
  const limit = scope.level === 'quota' ? scope.capacity : REQUESTS_FULL * scope.capacity;
  const requestsExhaustion = requests === undefined ? undefined : daysUntil(requests, { limit, nowMs: series.nowMs, current: scope.currentRequests });
  const usageExhaustion = daysUntil(usage, { limit: scope.capacity, nowMs: series.nowMs });
  if (scope.nodes === undefined) return { ...scope, usage, requests, requestsExhaustion, usageExhaustion };
  const totals = requestsTotals(scope);
  const growthDemand = requests?.points.at(-1)?.upper95 ?? scope.currentRequests;
  const size = typicalNode(scope.nodes);
  const demand = scope.resource === 'cpu' ? { cpuMillicores: growthDemand, memoryBytes: 0 } : { cpuMillicores: 0, memoryBytes: growthDemand };
  const nodesForGrowth = Math.max(0, nodesFor(demand, size, REQUESTS_FULL) - scope.nodes.filter((n) => !n.unschedulable).length);
  return { ...scope, usage, requests, requestsExhaustion, usageExhaustion, nodesForGrowth, nMinusOne: nMinusOne(scope.nodes, totals) };
}

function requestsTotals(scope: CapacityScope): Amounts {
  return scope.resource === 'cpu' ? { cpuMillicores: scope.currentRequests, memoryBytes: 0 } : { cpuMillicores: 0, memoryBytes: scope.currentRequests };
}
