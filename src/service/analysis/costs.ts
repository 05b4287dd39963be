// SPDX-License-Identifier: Apache-2.0
// Showback over a window (REQUIREMENTS §3.11, issue 5 item 9), computed when `/api/v1/costs` asks: the namespace
// usage totals the collector stores are integrated by `src/analysis/quota/showback.ts` at max(request, usage); the
// requests are their mean over the window from the pod history (the live requests when there is none); storage is
// the requested size of the Bound PVCs; the idle part of the nodes' allocatable is shared by allocated cost.
import { integrate, namespaceCosts, type CostRecord, type NamespaceUsage, type Prices } from '../../analysis/quota/showback.ts';
import type { CostItem, CostQuery, CostReportView } from '../../api/routes/costs.ts';
import type { ClusterView } from '../../domain/kube-ports.ts';
import { isActivePod, podTotals } from '../../domain/pod-resources.ts';
import type { HistoryStore, SeriesReader } from '../../domain/ports.ts';
import type { Sample } from '../../domain/series.ts';
import type { Clock } from '../../runtime/clock.ts';
import { readRequestsGrid, requestsSamples, type RequestsGrid } from './requests-history.ts';
import { readUsageMeans, type UsageByEntity } from './usage-means.ts';
import { HOUR_MS } from '../../domain/time.ts';

const FIVE_MIN_MS = 300_000;
const GIB = 2 ** 30;

export interface CostsProviderDeps {
  readonly cluster: ClusterView;
  readonly history: SeriesReader;
  readonly lifecycle?: HistoryStore;
  readonly clusterName: string;
  /** The time costs are computed at: the wall clock, or the demo's scenario clock. */
  readonly clock: Clock;
  readonly prices: Prices;
  readonly tenantLabel: string;
}

const mean = (xs: readonly Sample[]): number => (xs.length === 0 ? 0 : xs.reduce((a, s) => a + s.value, 0) / xs.length);

/** Requests per namespace: the window's mean from the pod history, else the live requests. */
function requestsOf(d: CostsProviderDeps, grid: RequestsGrid | undefined, namespace: string): { cpu: number; memory: number } {
  if (grid?.startMs !== undefined) {
    const keys = [`ns:${namespace}`];
    return { cpu: mean(requestsSamples(grid, { keys, resource: 'cpu' })), memory: mean(requestsSamples(grid, { keys, resource: 'memory' })) };
  }
  let cpu = 0;
  let memory = 0;
  for (const p of d.cluster.list('pods', namespace)) {
    if (!isActivePod(p)) continue;
    const t = podTotals(p);
    cpu += t.cpuRequest;
    memory += t.memoryRequest;
  }
  return { cpu, memory };
}

function storageOf(d: CostsProviderDeps, namespace: string): number {
  return d.cluster.list('persistentvolumeclaims', namespace).reduce((a, c) => a + (c.phase === 'Bound' ? (c.requestedBytes ?? 0) : 0), 0);
}

interface Usages {
  readonly records: CostRecord[];
  /** Requested and used integrals per namespace, unit-hours (millicore-hours, byte-hours). */
  readonly integrals: Map<string, { cpuRequested: number; cpuUsed: number; memRequested: number; memUsed: number }>;
}

function computeRecords(d: CostsProviderDeps, x: { usage: UsageByEntity; grid: RequestsGrid | undefined; fromMs: number; toMs: number; maxGapMs: number }): Usages {
  const namespaces = d.cluster.list('namespaces');
  const names = [...new Set([...namespaces.map((n) => n.name), ...x.usage.keys()])].sort();
  const inputs: NamespaceUsage[] = [];
  const integrals: Usages['integrals'] = new Map();
  const window = { fromMs: x.fromMs, toMs: x.toMs, maxGapMs: x.maxGapMs };
  for (const namespace of names) {
    const u = x.usage.get(namespace) ?? { cpu: [], memory: [] };
    const req = requestsOf(d, x.grid, namespace);
    inputs.push({ namespace, cpu: u.cpu, memory: u.memory, cpuRequestMillicores: req.cpu, memoryRequestBytes: req.memory, storageBytes: storageOf(d, namespace) });
    const cpu = integrate(u.cpu, req.cpu, window);
    const mem = integrate(u.memory, req.memory, window);
    integrals.set(namespace, { cpuRequested: cpu.requested, cpuUsed: cpu.used, memRequested: mem.requested, memUsed: mem.used });
  }
  const capacity = d.cluster.list('nodes').reduce((a, n) => ({ cpuMillicores: a.cpuMillicores + (n.allocatable.cpuMillicores ?? 0), memoryBytes: a.memoryBytes + (n.allocatable.memoryBytes ?? 0) }), { cpuMillicores: 0, memoryBytes: 0 });
  const records = namespaceCosts({ fromMs: x.fromMs, toMs: x.toMs, namespaces, usage: inputs, prices: d.prices, tenantLabel: d.tenantLabel, capacity, maxSampleGapMs: x.maxGapMs });
  return { records, integrals };
}

const waste = (requested: number, used: number): number | undefined => (requested > 0 ? (requested - used) / requested : undefined);

/** Sums namespace records (and their integrals) into one item named `name`. */
function itemOf(name: string, rows: readonly CostRecord[], integrals: Usages['integrals']): CostItem {
  const sum = (f: (r: CostRecord) => number): number => rows.reduce((a, r) => a + f(r), 0);
  const int = (f: (i: { cpuRequested: number; cpuUsed: number; memRequested: number; memUsed: number }) => number): number => rows.reduce((a, r) => a + f(integrals.get(r.namespace) ?? { cpuRequested: 0, cpuUsed: 0, memRequested: 0, memUsed: 0 }), 0);
  const cpuRequested = int((i) => i.cpuRequested) / 1000;
  const cpuUsed = int((i) => i.cpuUsed) / 1000;
  const memRequested = int((i) => i.memRequested) / GIB;
  const memUsed = int((i) => i.memUsed) / GIB;
  const cpuWaste = waste(cpuRequested, cpuUsed);
  const memoryWaste = waste(memRequested, memUsed);
  return {
    name,
    tenant: rows[0]?.tenant ?? name,
    namespaces: rows.map((r) => r.namespace),
    cpuCoreHours: sum((r) => r.cpuCoreHours),
    memoryGiBHours: sum((r) => r.memoryGiBHours),
    storageGiBHours: sum((r) => r.storageGiBHours),
    cpuCost: sum((r) => r.cpuCost),
    memoryCost: sum((r) => r.memoryCost),
    storageCost: sum((r) => r.storageCost),
    idleCost: sum((r) => r.idleCost),
    totalCost: sum((r) => r.totalCost),
    cpuRequestedCoreHours: cpuRequested,
    cpuUsedCoreHours: cpuUsed,
    memoryRequestedGiBHours: memRequested,
    memoryUsedGiBHours: memUsed,
    ...(cpuWaste === undefined ? {} : { cpuWaste }),
    ...(memoryWaste === undefined ? {} : { memoryWaste }),
  };
}

function group(records: readonly CostRecord[], groupBy: CostQuery['groupBy']): Map<string, CostRecord[]> {
  const by = new Map<string, CostRecord[]>();
  for (const r of records) {
    const key = groupBy === 'tenant' ? r.tenant : r.namespace;
    by.set(key, [...(by.get(key) ?? []), r]);
  }
  return by;
}

/** The provider `/api/v1/costs` calls. */
export function createCostsProvider(d: CostsProviderDeps): (q: CostQuery) => Promise<CostReportView> {
  return async (q) => {
    const toMs = d.clock.now();
    const fromMs = toMs - q.windowMs;
    // A day is read in 5-minute means; longer windows in hourly ones, so a 30-day answer stays a bounded read.
    const stepMs = q.windowMs <= 86_400_000 ? FIVE_MIN_MS : HOUR_MS;
    const usage = await readUsageMeans(d.history, { cluster: d.clusterName, kind: 'namespace', fromMs, toMs, stepMs });
    const grid = d.lifecycle === undefined ? undefined : await readRequestsGrid({ lifecycle: d.lifecycle, cluster: d.clusterName, fromMs, toMs, stepMs });
    const { records, integrals } = computeRecords(d, { usage, grid, fromMs, toMs, maxGapMs: 2 * stepMs });
    const items = [...group(records, q.groupBy)].map(([name, rows]) => itemOf(name, rows, integrals)).sort((a, b) => b.totalCost - a.totalCost || a.name.localeCompare(b.name));
    return { fromMs, toMs, prices: d.prices, requestsBasis: grid?.startMs === undefined ? 'current' : 'history', items };
  };
}

