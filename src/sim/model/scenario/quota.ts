// SPDX-License-Identifier: Apache-2.0
// ResourceQuota status.used as the quota controller computes it: compute resources summed over the namespace's
// non-terminal pods (a pod's request is max(sum of app containers, largest init container), as for scheduling),
// object counts for the counted kinds, and storage requested by claims. Only the resources named in spec.hard are
// reported.
import type { StringMap } from '../kube-types.ts';
import type { NamespacePlan, PodGroup } from './plan.ts';
import { isActivePlan } from './controller-common.ts';
import { formatBytes, formatCpu, parseQuantity } from './quantity.ts';

export interface NamespaceTotals {
  pods: number;
  cpuRequestMilli: number;
  memoryRequestBytes: number;
  cpuLimitMilli: number;
  memoryLimitBytes: number;
  claims: number;
  storageBytes: number;
  services: number;
  loadBalancers: number;
  nodePorts: number;
  configMaps: number;
  counts: Record<string, number>;
}

export function emptyTotals(): NamespaceTotals {
  return { pods: 0, cpuRequestMilli: 0, memoryRequestBytes: 0, cpuLimitMilli: 0, memoryLimitBytes: 0, claims: 0, storageBytes: 0, services: 0, loadBalancers: 0, nodePorts: 0, configMaps: 0, counts: {} };
}

/** Adds the namespace's non-terminal planned pods to the totals. */
function addGroupTotals(t: NamespaceTotals, g: PodGroup): void {
  const active = g.pods.filter(isActivePlan).length;
  if (active === 0) return;
  const limCpu = g.rt.containers.reduce((a, c) => a + Math.round((c.limits.cpuCores ?? 0) * 1000), 0);
  const limMem = g.rt.containers.reduce((a, c) => a + (c.limits.memoryBytes ?? 0), 0);
  t.pods += active;
  t.cpuRequestMilli += active * g.rt.cpuMilli;
  t.memoryRequestBytes += active * g.rt.memoryBytes;
  t.cpuLimitMilli += active * limCpu;
  t.memoryLimitBytes += active * limMem;
}

export function addPodTotals(t: NamespaceTotals, ns: NamespacePlan): void {
  for (const w of ns.workloads) for (const g of w.groups) addGroupTotals(t, g);
}

function formatLike(hard: string, value: number, kind: 'cpu' | 'bytes' | 'count'): string {
  if (kind === 'cpu') return formatCpu(value / 1000);
  if (kind === 'count') return String(value);
  // The quota controller keeps the format of the hard value: decimal ("2G") stays decimal, binary stays binary.
  return /[0-9](k|M|G|T|P|E)$/.test(hard) ? `${Math.round(value / 1e6)}M` : formatBytes(value);
}

function usedOf(key: string, t: NamespaceTotals): { value: number; kind: 'cpu' | 'bytes' | 'count' } {
  const table: Record<string, { value: number; kind: 'cpu' | 'bytes' | 'count' }> = {
    pods: { value: t.pods, kind: 'count' },
    cpu: { value: t.cpuRequestMilli, kind: 'cpu' },
    'requests.cpu': { value: t.cpuRequestMilli, kind: 'cpu' },
    memory: { value: t.memoryRequestBytes, kind: 'bytes' },
    'requests.memory': { value: t.memoryRequestBytes, kind: 'bytes' },
    'limits.cpu': { value: t.cpuLimitMilli, kind: 'cpu' },
    'limits.memory': { value: t.memoryLimitBytes, kind: 'bytes' },
    persistentvolumeclaims: { value: t.claims, kind: 'count' },
    'requests.storage': { value: t.storageBytes, kind: 'bytes' },
    services: { value: t.services, kind: 'count' },
    'services.loadbalancers': { value: t.loadBalancers, kind: 'count' },
    'services.nodeports': { value: t.nodePorts, kind: 'count' },
    configmaps: { value: t.configMaps, kind: 'count' },
  };
  return table[key] ?? { value: t.counts[key.replace(/^count\//, '')] ?? 0, kind: 'count' };
}

/** status.used for the given hard limits. */
export function quotaUsed(hard: StringMap, t: NamespaceTotals): StringMap {
  const used: StringMap = {};
  for (const [key, h] of Object.entries(hard)) {
    const u = usedOf(key, t);
    used[key] = formatLike(h, u.value, u.kind);
  }
  return used;
}

/** Highest used/hard ratio of a quota (for "near the limit" checks). */
export function quotaPressure(hard: StringMap, used: StringMap): number {
  let max = 0;
  for (const [k, h] of Object.entries(hard)) {
    const hv = parseQuantity(h);
    if (hv > 0) max = Math.max(max, parseQuantity(used[k] ?? '0') / hv);
  }
  return max;
}
