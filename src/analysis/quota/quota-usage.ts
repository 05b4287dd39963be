// SPDX-License-Identifier: Apache-2.0
// ResourceQuota views and findings (REQUIREMENTS §3.10, issue 5 item 9). The allocated view is status.used ÷
// status.hard for every hard key; the consumed view is what actually runs ÷ hard (CPU usage ÷ requests.cpu,
// working set ÷ requests.memory, non-terminated pods ÷ pods). Both are reported because they answer different
// questions: "will the next deployment be refused?" and "is the quota sized to real use?". Several quotas in one
// namespace may constrain the same key; the tightest (smallest) hard decides, since the API server enforces every
// quota. Findings here are judged on the current snapshot; the sustain periods of §3.10 are applied by the
// scheduler over consecutive runs (a finding resolves only after two runs without it, §3.0).
import type { ResourceQuota } from '../../domain/resources.ts';
import type { Severity } from '../severity.ts';

export interface QuotaKeyView {
  readonly namespace: string;
  /** Quota key, e.g. `requests.cpu`, `pods`. */
  readonly resource: string;
  /** Name of the quota whose hard is the tightest. */
  readonly quota: string;
  readonly hard: number;
  readonly used: number;
  /** used ÷ hard; Infinity for a zero hard with use. */
  readonly allocated: number;
  /** Actual use ÷ hard, for the keys that have one. */
  readonly consumed?: number;
}

export interface QuotaFinding {
  readonly namespace: string;
  readonly resource: string;
  readonly rule: 'quota-exceeded' | 'quota-full' | 'quota-near-90' | 'quota-near-80' | 'quota-consumed-high' | 'quota-pods-high';
  readonly severity: Severity;
  readonly text: string;
}

/** What actually runs in the namespace, for the consumed view. */
export interface NamespaceUse {
  readonly cpuMillicores?: number;
  readonly memoryWorkingSetBytes?: number;
  readonly nonTerminatedPods?: number;
}

/** The tightest hard per key over a namespace's quotas, with the used value of that same quota. */
export function tightestHard(quotas: readonly ResourceQuota[]): Map<string, { quota: string; hard: number; used: number }> {
  const out = new Map<string, { quota: string; hard: number; used: number }>();
  for (const q of quotas) {
    for (const [resource, hard] of Object.entries(q.hard)) {
      const prev = out.get(resource);
      if (prev === undefined || hard < prev.hard) out.set(resource, { quota: q.name, hard, used: q.used[resource] ?? 0 });
    }
  }
  return out;
}

function consumedOf(resource: string, hard: number, use: NamespaceUse): number | undefined {
  const actual =
    resource === 'requests.cpu' || resource === 'cpu'
      ? use.cpuMillicores
      : resource === 'requests.memory' || resource === 'memory'
        ? use.memoryWorkingSetBytes
        : resource === 'pods'
          ? use.nonTerminatedPods
          : undefined;
  return actual === undefined || hard <= 0 ? undefined : actual / hard;
}

function ratio(used: number, hard: number): number {
  if (hard > 0) return used / hard;
  return used > 0 ? Infinity : 0;
}

/** Both views for every hard key of one namespace's quotas. */
export function quotaViews(namespace: string, quotas: readonly ResourceQuota[], use: NamespaceUse = {}): QuotaKeyView[] {
  return [...tightestHard(quotas)].map(([resource, t]) => ({
    namespace,
    resource,
    quota: t.quota,
    hard: t.hard,
    used: t.used,
    allocated: ratio(t.used, t.hard),
    consumed: consumedOf(resource, t.hard, use),
  }));
}

const pct = (v: number): string => (Number.isFinite(v) ? `${(v * 100).toFixed(0)} %` : 'over a zero hard');

function allocatedFinding(v: QuotaKeyView): QuotaFinding | undefined {
  const base = { namespace: v.namespace, resource: v.resource };
  const what = `quota ${v.quota}: ${v.resource} is ${pct(v.allocated)} allocated`;
  if (v.allocated > 1) return { ...base, rule: 'quota-exceeded', severity: 'high', text: `${what}; the quota is exceeded (it was lowered below use).` };
  if (v.allocated === 1) return { ...base, rule: 'quota-full', severity: 'medium', text: `${what}; new objects will be refused. Raise the quota or free resources.` };
  if (v.allocated >= 0.9) return { ...base, rule: 'quota-near-90', severity: 'medium', text: `${what}; raise the quota before deployments are refused.` };
  if (v.allocated >= 0.8) return { ...base, rule: 'quota-near-80', severity: 'low', text: `${what}.` };
  return undefined;
}

function consumedFinding(v: QuotaKeyView): QuotaFinding | undefined {
  if (v.consumed === undefined) return undefined;
  const base = { namespace: v.namespace, resource: v.resource };
  if (v.resource === 'pods') {
    if (v.consumed <= 0.9) return undefined;
    return { ...base, rule: 'quota-pods-high', severity: 'medium', text: `Non-terminated pods are ${pct(v.consumed)} of the pod quota.` };
  }
  if (v.consumed <= 0.8) return undefined;
  return { ...base, rule: 'quota-consumed-high', severity: 'medium', text: `Actual use is ${pct(v.consumed)} of ${v.resource} in quota ${v.quota}.` };
}

/** Findings of the views: the allocated thresholds (80 %, 90 %, full, exceeded) and the consumed ones. */
export function quotaFindings(views: readonly QuotaKeyView[]): QuotaFinding[] {
  const out: QuotaFinding[] = [];
  for (const v of views) {
    const a = allocatedFinding(v);
    if (a !== undefined) out.push(a);
    const c = consumedFinding(v);
    if (c !== undefined) out.push(c);
  }
  return out;
}

export interface QuotaSizing {
  /** Peak (or p95) of 30 days of use × 1.25. */
  readonly recommendedHard: number;
  readonly tooSmall: boolean;
  readonly oversized: boolean;
}

/**
 * Sizing advice for one key: recommended hard = peak use × 1.25 (the 20–30 % buffer); too small when allocated
 * exceeded 0.8 on more than half of the days; oversized when the consumed p95 stays below 0.3 of hard.
 */
export function quotaSizing(input: { readonly hard: number; readonly dailyPeakUse: readonly number[]; readonly dailyAllocated: readonly number[]; readonly consumedP95: number }): QuotaSizing | undefined {
  if (input.dailyPeakUse.length === 0) return undefined;
  const peak = Math.max(...input.dailyPeakUse);
  const over = input.dailyAllocated.filter((a) => a > 0.8).length;
  return {
    recommendedHard: peak * 1.25,
    tooSmall: over > input.dailyAllocated.length / 2,
    oversized: input.hard > 0 && input.consumedP95 / input.hard < 0.3,
  };
}
