// SPDX-License-Identifier: Apache-2.0
// Tenant and namespace showback (REQUIREMENTS §3.11, issue 5 item 9). Cost integrates the stored series over the
// window, never a snapshot times hours: each sample counts for the time to the next one, capped so that a gap is
// not billed as if the last value had held. The billing basis is max(request, usage), as OpenCost's: a tenant pays
// for what it reserved even when idle, and for what it used above its reservation. The idle part of the nodes' cost
// (priced capacity minus everything allocated) is shared in proportion to each namespace's allocated cost.
// Waste = (requested − used) ÷ requested, over the same window. Namespaces are grouped into tenants by a
// configurable label; an unlabelled namespace is its own tenant.
import type { Namespace } from '../../domain/resources.ts';
import type { Sample } from '../../domain/series.ts';
import { HOUR_MS } from '../../domain/time.ts';

const GIB = 2 ** 30;

export interface Prices {
  readonly cpuCoreHour: number;
  readonly memoryGiBHour: number;
  readonly storageGiBHour: number;
}

/** Product defaults (REQUIREMENTS §3.11). */
export const DEFAULT_PRICES: Prices = { cpuCoreHour: 0.05, memoryGiBHour: 0.01, storageGiBHour: 0.001 };

export interface NamespaceUsage {
  readonly namespace: string;
  /** CPU usage in millicores and working set in bytes, ascending. */
  readonly cpu: readonly Sample[];
  readonly memory: readonly Sample[];
  /** Sum of the requests in force over the window. */
  readonly cpuRequestMillicores: number;
  readonly memoryRequestBytes: number;
  /** Requested size of the Bound PVCs. */
  readonly storageBytes: number;
}

export interface ShowbackInput {
  readonly fromMs: number;
  readonly toMs: number;
  readonly namespaces: readonly Namespace[];
  readonly usage: readonly NamespaceUsage[];
  readonly prices?: Prices;
  /** Namespace label naming the tenant (default `tenant`). */
  readonly tenantLabel?: string;
  /** Allocatable of all nodes, for the idle cost; without it no idle cost is shared. */
  readonly capacity?: { readonly cpuMillicores: number; readonly memoryBytes: number };
  /** Longest time one sample is billed for (default 10 min). */
  readonly maxSampleGapMs?: number;
}

export interface CostRecord {
  readonly tenant: string;
  readonly namespace: string;
  readonly cpuCoreHours: number;
  readonly memoryGiBHours: number;
  readonly storageGiBHours: number;
  readonly cpuCost: number;
  readonly memoryCost: number;
  readonly storageCost: number;
  readonly idleCost: number;
  readonly totalCost: number;
  /** (requested − used) ÷ requested over the window; undefined without a request. */
  readonly cpuWaste?: number;
  readonly memoryWaste?: number;
}

interface Integral {
  /** ∫ max(request, usage) dt, in unit-hours. */
  readonly billed: number;
  readonly used: number;
  readonly requested: number;
}

/** Integrates one series over `[fromMs, toMs)` with max(request, value), each sample held to the next (capped). */
export function integrate(samples: readonly Sample[], request: number, window: { fromMs: number; toMs: number; maxGapMs: number }): Integral {
  let billed = 0;
  let used = 0;
  let requested = 0;
  const inside = samples.filter((s) => Number.isFinite(s.value) && s.tsMs >= window.fromMs && s.tsMs < window.toMs);
  for (let i = 0; i < inside.length; i++) {
    const s = inside[i] as Sample;
    const next = inside[i + 1]?.tsMs ?? window.toMs;
    const hours = Math.min(next - s.tsMs, window.maxGapMs) / HOUR_MS;
    billed += Math.max(request, s.value) * hours;
    used += s.value * hours;
    requested += request * hours;
  }
  return { billed, used, requested };
}

export function tenantOf(ns: Namespace | undefined, name: string, label: string): string {
  return ns?.labels[label] ?? name;
}

const waste = (i: Integral): number | undefined => (i.requested > 0 ? (i.requested - i.used) / i.requested : undefined);

function recordOf(u: NamespaceUsage, input: ShowbackInput, prices: Prices): Omit<CostRecord, 'idleCost' | 'totalCost'> {
  const window = { fromMs: input.fromMs, toMs: input.toMs, maxGapMs: input.maxSampleGapMs ?? 10 * 60_000 };
  const cpu = integrate(u.cpu, u.cpuRequestMillicores, window);
  const mem = integrate(u.memory, u.memoryRequestBytes, window);
  const cpuCoreHours = cpu.billed / 1000;
  const memoryGiBHours = mem.billed / GIB;
  const storageGiBHours = (u.storageBytes / GIB) * ((input.toMs - input.fromMs) / HOUR_MS);
  const ns = input.namespaces.find((n) => n.name === u.namespace);
  return {
    tenant: tenantOf(ns, u.namespace, input.tenantLabel ?? 'tenant'),
    namespace: u.namespace,
    cpuCoreHours,
    memoryGiBHours,
    storageGiBHours,
    cpuCost: cpuCoreHours * prices.cpuCoreHour,
    memoryCost: memoryGiBHours * prices.memoryGiBHour,
    storageCost: storageGiBHours * prices.storageGiBHour,
    cpuWaste: waste(cpu),
    memoryWaste: waste(mem),
  };
}

/** Cost per namespace over the window, with the idle cost shared by allocated cost. */
export function namespaceCosts(input: ShowbackInput): CostRecord[] {
  const prices = input.prices ?? DEFAULT_PRICES;
  const base = input.usage.map((u) => recordOf(u, input, prices));
  const allocated = base.map((r) => r.cpuCost + r.memoryCost);
  const allocatedSum = allocated.reduce((a, b) => a + b, 0);
  const hours = (input.toMs - input.fromMs) / HOUR_MS;
  const capacityCost =
    input.capacity === undefined ? 0 : ((input.capacity.cpuMillicores / 1000) * prices.cpuCoreHour + (input.capacity.memoryBytes / GIB) * prices.memoryGiBHour) * hours;
  const idle = Math.max(0, capacityCost - allocatedSum);
  return base.map((r, i) => {
    const idleCost = allocatedSum > 0 ? (idle * (allocated[i] as number)) / allocatedSum : 0;
    return { ...r, idleCost, totalCost: r.cpuCost + r.memoryCost + r.storageCost + idleCost };
  });
}

export interface TenantCost {
  readonly tenant: string;
  readonly namespaces: readonly string[];
  readonly totalCost: number;
  readonly cpuCost: number;
  readonly memoryCost: number;
  readonly storageCost: number;
  readonly idleCost: number;
}

/** Sums namespace records per tenant, most expensive first. */
export function tenantCosts(records: readonly CostRecord[]): TenantCost[] {
  const by = new Map<string, { namespaces: string[]; totalCost: number; cpuCost: number; memoryCost: number; storageCost: number; idleCost: number }>();
  for (const r of records) {
    const t = by.get(r.tenant) ?? { namespaces: [], totalCost: 0, cpuCost: 0, memoryCost: 0, storageCost: 0, idleCost: 0 };
    t.namespaces.push(r.namespace);
    t.totalCost += r.totalCost;
    t.cpuCost += r.cpuCost;
    t.memoryCost += r.memoryCost;
    t.storageCost += r.storageCost;
    t.idleCost += r.idleCost;
    by.set(r.tenant, t);
  }
  return [...by].map(([tenant, t]) => ({ tenant, ...t })).sort((a, b) => b.totalCost - a.totalCost);
}
