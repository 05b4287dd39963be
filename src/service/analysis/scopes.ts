// SPDX-License-Identifier: Apache-2.0
// Namespace-scoped analyses over the cluster view: PVC fill (§3.9) with its short-range exhaustion (§3.8: a linear
// projection over 6 h, 4 days ahead) and ResourceQuota usage (§3.10).
import type { Finding } from '../../analysis/findings.ts';
import { predictLinear } from '../../analysis/forecast/index.ts';
import { assessPvcFill, type PvcFill } from '../../analysis/pvc/index.ts';
import { quotaFindings, quotaViews, type NamespaceUse, type QuotaFinding, type QuotaKeyView } from '../../analysis/quota/index.ts';
import type { ClusterView } from '../../domain/kube-ports.ts';
import type { PersistentVolumeClaim } from '../../domain/resources.ts';
import { isActivePod } from '../../domain/pod-resources.ts';
import { METRIC, type Sample } from '../../domain/series.ts';
import { columnOf, samplesOf, type NamespaceHistory } from './read.ts';
import { HOUR_MS, DAY_MS } from '../../domain/time.ts';

const GIB = 2 ** 30;
const EXHAUSTION_AHEAD_MS = 4 * DAY_MS;

interface ScopeCtx {
  readonly cluster: ClusterView;
  readonly clusterName: string;
  readonly namespace: string;
  readonly nowMs: number;
  readonly data: NamespaceHistory;
}

export interface ScopeResult {
  readonly findings: Finding[];
  /** Objects with enough data to be judged, and objects seen. */
  readonly judged: number;
  readonly seen: number;
}

function pvcBase(ctx: ScopeCtx, claim: PersistentVolumeClaim): Pick<Finding, 'cluster' | 'entity' | 'detectedAtMs'> {
  return { cluster: ctx.clusterName, entity: { kind: 'pvc', namespace: claim.namespace, name: claim.name }, detectedAtMs: ctx.nowMs };
}

function fillEvidence(fill: PvcFill, capacity: number): Finding['evidence'] {
  return {
    ratio: fill.ratio ?? null,
    usedBytes: fill.usedBytes ?? null,
    capacityBytes: capacity,
    growthGiBPerDay: fill.growthGiBPerDay ?? null,
    daysToFull: fill.daysToFull ?? null,
  };
}

/** §3.8's short-range check: the 6-hour line reaches the capacity within 4 days. */
function exhaustionFinding(ctx: ScopeCtx, claim: PersistentVolumeClaim, x: { used: readonly Sample[]; capacity: number; fill: PvcFill }): Finding | undefined {
  const projected = predictLinear(x.used, { nowMs: ctx.nowMs, windowMs: 6 * HOUR_MS, aheadMs: EXHAUSTION_AHEAD_MS });
  const days = x.fill.daysToFull;
  if (projected === undefined || projected < x.capacity || days === undefined) return undefined;
  return {
    ...pvcBase(ctx, claim),
    analysis: 'capacity',
    rule: 'pvc-exhaustion',
    severity: 'medium',
    title: 'Volume filling up',
    explanation: `Volume ${claim.name} is ${((x.fill.ratio ?? 0) * 100).toFixed(0)} % full and grows ${(x.fill.growthGiBPerDay ?? 0).toFixed(1)} GiB/day, full in ${days.toFixed(1)} days at the 6-hour trend.`,
    action: `Expand the claim (now ${(x.capacity / GIB).toFixed(0)} GiB) or clean up data before it is full.`,
    confidence: 'medium',
    evidence: fillEvidence(x.fill, x.capacity),
  };
}

function judgeClaim(ctx: ScopeCtx, claim: PersistentVolumeClaim): Finding[] | undefined {
  const entity = `${claim.namespace}/${claim.name}`;
  const used = samplesOf(ctx.data.pvc, entity, METRIC.usedBytes);
  const capacity = claim.capacityBytes ?? columnOf(ctx.data.pvc, entity, METRIC.capacityBytes).values.at(-1);
  if (capacity === undefined || used.length === 0) return undefined;
  const fill = assessPvcFill({ nowMs: ctx.nowMs, usedBytes: used, capacityBytes: capacity });
  if (fill.status !== 'ok') return undefined;
  const out: Finding[] = fill.findings.map((f) => ({
    ...pvcBase(ctx, claim),
    analysis: 'pvc' as const,
    rule: f.rule,
    severity: f.severity,
    title: f.rule === 'filling-up' ? 'Volume filling up' : f.rule === 'nearly-full' ? 'Volume nearly full' : f.rule === 'low-usage' ? 'Volume barely used' : 'Volume usage high',
    explanation: `Volume ${claim.name} is ${((fill.ratio ?? 0) * 100).toFixed(0)} % full: ${f.text.charAt(0).toLowerCase()}${f.text.slice(1)}`,
    action: f.rule === 'low-usage' ? 'Shrink the volume (migrate to a smaller claim) to save cost.' : 'Expand the claim or clean up data.',
    confidence: used.length >= 12 ? 'medium' : 'low',
    evidence: fillEvidence(fill, capacity),
  }));
  // The §3.9 rules speak from 85 % on; the 4-day projection warns earlier, unless a §3.9 rule already said it.
  const x = out.some((f) => f.rule === 'filling-up' || f.rule === 'nearly-full') ? undefined : exhaustionFinding(ctx, claim, { used, capacity, fill });
  if (x !== undefined) out.push(x);
  return out;
}

/** PVC findings of one namespace. */
export function analysePvcs(ctx: ScopeCtx): ScopeResult {
  const claims = ctx.cluster.list('persistentvolumeclaims', ctx.namespace);
  const findings: Finding[] = [];
  let judged = 0;
  for (const claim of claims) {
    const f = judgeClaim(ctx, claim);
    if (f === undefined) continue;
    judged++;
    findings.push(...f);
  }
  return { findings, judged, seen: claims.length };
}

function namespaceUse(ctx: ScopeCtx): NamespaceUse {
  let cpu = 0;
  let memory = 0;
  let any = false;
  for (const byMetric of ctx.data.recent.values()) {
    const c = byMetric.get(METRIC.cpuMillicores)?.values.at(-1);
    const m = byMetric.get(METRIC.memoryWorkingSetBytes)?.values.at(-1);
    if (c !== undefined) cpu += c;
    if (m !== undefined) memory += m;
    any ||= c !== undefined || m !== undefined;
  }
  const pods = ctx.cluster.list('pods', ctx.namespace).filter(isActivePod).length;
  return { nonTerminatedPods: pods, ...(any ? { cpuMillicores: cpu, memoryWorkingSetBytes: memory } : {}) };
}

function quotaFinding(ctx: ScopeCtx, q: QuotaFinding, v: QuotaKeyView | undefined): Finding {
  const consumed = q.rule === 'quota-consumed-high' || q.rule === 'quota-pods-high';
  return {
    cluster: ctx.clusterName,
    analysis: 'quota',
    rule: q.rule,
    // One finding per quota key: several keys of one quota can cross the same threshold.
    entity: { kind: 'quota', namespace: ctx.namespace, name: `${v?.quota ?? ''}/${q.resource}` },
    severity: q.severity,
    title: consumed ? 'Quota consumed' : 'Quota nearly full',
    explanation: q.text.charAt(0).toUpperCase() + q.text.slice(1),
    action: 'Raise the quota or free resources before new pods are refused.',
    confidence: 'high',
    evidence: v === undefined ? { resource: q.resource } : { resource: q.resource, hard: v.hard, used: v.used, allocated: Number.isFinite(v.allocated) ? v.allocated : null, consumed: v.consumed ?? null },
    detectedAtMs: ctx.nowMs,
  };
}

/** ResourceQuota findings of one namespace: allocated and consumed views. */
export function analyseQuotas(ctx: ScopeCtx): ScopeResult {
  const quotas = ctx.cluster.list('resourcequotas', ctx.namespace);
  if (quotas.length === 0) return { findings: [], judged: 0, seen: 0 };
  const views = quotaViews(ctx.namespace, quotas, namespaceUse(ctx));
  const findings = quotaFindings(views).map((q) => quotaFinding(ctx, q, views.find((x) => x.resource === q.resource)));
  return { findings, judged: quotas.length, seen: quotas.length };
}
