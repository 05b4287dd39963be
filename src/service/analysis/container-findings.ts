// SPDX-License-Identifier: Apache-2.0
// Verdicts of the per-container analyses as findings: one sentence with the numbers, the action, the evidence.
// Container findings name the pod (a leak or a throttled limit is a property of a running instance) and carry the
// workload in the evidence.
import type { RestartLeakVerdict } from '../../analysis/leaks/across-restarts.ts';
import type { LeakVerdict } from '../../analysis/leaks/detect-leak.ts';
import type { OomRisk } from '../../analysis/oom/oom-risk.ts';
import type { ThrottlingResult } from '../../analysis/throttling/throttling.ts';
import type { Finding, FindingEntity } from '../../analysis/findings.ts';

const MiB = 1024 * 1024;

export interface ContainerRef {
  readonly namespace: string;
  readonly pod: string;
  readonly container: string;
  /** `Kind/name` of the owning workload. */
  readonly workload: string;
  readonly startedAtMs?: number;
}

interface Ctx {
  readonly clusterName: string;
  readonly nowMs: number;
}

function entityOf(ref: ContainerRef): FindingEntity {
  return { kind: 'container', namespace: ref.namespace, name: ref.pod, container: ref.container };
}

const mib = (b: number): string => `${(b / MiB).toFixed(0)} MiB`;

function base(ctx: Ctx, ref: ContainerRef): Pick<Finding, 'cluster' | 'entity' | 'detectedAtMs'> {
  return { cluster: ctx.clusterName, entity: entityOf(ref), detectedAtMs: ctx.nowMs };
}

/** A detected leak within the current (or previous) container instance. */
export function leakFinding(ctx: Ctx, ref: ContainerRef, v: LeakVerdict): Finding | undefined {
  if (v.status !== 'leak') return undefined;
  const t = v.trend;
  const ttl = v.timeToLimitHours === undefined ? 'no memory limit is set' : `it reaches the memory limit in about ${v.timeToLimitHours.toFixed(1)} h`;
  return {
    ...base(ctx, ref),
    analysis: 'leak',
    rule: 'memory-leak',
    severity: v.severity,
    title: 'Memory leak',
    explanation: `Working set of ${ref.container} in ${ref.pod} grew ${(t.growth * 100).toFixed(0)} % over ${t.spanHours.toFixed(1)} h at ${mib(t.slopeBytesPerHour)}/h (p=${t.pValue.toPrecision(2)}); ${ttl}.`,
    action: 'Find the leak (heap profile); until it is fixed, schedule restarts before the limit is reached.',
    confidence: v.confidence,
    evidence: {
      workload: ref.workload,
      slopeBytesPerHour: Math.round(t.slopeBytesPerHour),
      growth: t.growth,
      pValue: t.pValue,
      points: t.points,
      spanHours: t.spanHours,
      currentBytes: Math.round(t.currentBytes),
      timeToOomHours: v.timeToLimitHours ?? null,
    },
  };
}

/** A leak that restarts hide: rising peaks before each restart, or OOM kills at a steady interval. */
export function restartLeakFinding(ctx: Ctx, ref: ContainerRef, v: RestartLeakVerdict): Finding | undefined {
  if (v.status === 'none') return undefined;
  const explanation =
    v.status === 'rising-peaks'
      ? `The working-set peak of ${ref.container} rose before each of its last ${v.restarts} restarts (${v.peaksBytes.map(mib).join(' → ')}).`
      : `${ref.container} was OOM-killed ${v.kills} times at a steady interval of ${v.meanIntervalHours.toFixed(1)} h.`;
  return {
    ...base(ctx, ref),
    analysis: 'leak',
    rule: 'leak-across-restarts',
    severity: 'high',
    title: 'Memory leak across restarts',
    explanation,
    action: 'Find the leak (heap profile); the restarts only hide it.',
    confidence: 'medium',
    evidence: { workload: ref.workload, pattern: v.status, ...(v.status === 'rising-peaks' ? { restarts: v.restarts } : { kills: v.kills, meanIntervalHours: v.meanIntervalHours }) },
  };
}

/** OOM risk: the recent peak near the limit, recent OOM kills, or a leak about to reach the limit. */
export function oomFinding(ctx: Ctx, ref: ContainerRef, r: { risk: OomRisk; limitBytes: number | undefined }): Finding | undefined {
  const { risk } = r;
  if (risk.severity === undefined) return undefined;
  const limit = r.limitBytes === undefined ? 'no memory limit' : `a ${mib(r.limitBytes)} limit`;
  return {
    ...base(ctx, ref),
    analysis: 'oom-risk',
    rule: risk.oomKills24h > 0 ? 'oom-killed' : 'oom-risk',
    severity: risk.severity,
    title: risk.oomKills24h > 0 ? 'OOM kills' : 'OOM risk',
    explanation: `${ref.container} in ${ref.pod} with ${limit}: ${risk.reasons.join('; ')}.`,
    action: oomAction(risk.recommendedLimitBytes),
    confidence: risk.oomKills24h > 0 ? 'high' : 'medium',
    evidence: { workload: ref.workload, ...oomEvidence(risk), limitBytes: r.limitBytes ?? null },
  };
}

function oomAction(recommendedLimitBytes: number | undefined): string {
  return recommendedLimitBytes === undefined
    ? 'Raise the memory limit above the peak working set.'
    : `Raise the memory limit to at least ${mib(recommendedLimitBytes)} (peak × 1.2 or peak + 100 MiB).`;
}

function oomEvidence(risk: OomRisk): Finding['evidence'] {
  return {
    oomKills24h: risk.oomKills24h,
    memoryUsageRatio: risk.memoryUsageRatio ?? null,
    peak15mBytes: risk.peak15mBytes ?? null,
    timeToOomHours: risk.timeToOomHours ?? null,
    recommendedLimitBytes: risk.recommendedLimitBytes === undefined ? null : Math.round(risk.recommendedLimitBytes),
  };
}

/** Sustained CPU throttling of a container with a CPU limit. */
export function throttlingFinding(ctx: Ctx, ref: ContainerRef, t: ThrottlingResult): Finding | undefined {
  if (t.severity === undefined || t.sustainedRatio === undefined) return undefined;
  return {
    ...base(ctx, ref),
    analysis: 'throttling',
    rule: 'throttling-high',
    severity: t.severity,
    title: 'CPU throttling',
    explanation: `${ref.container} in ${ref.pod}: ${t.explanation}.`,
    action:
      t.recommendedLimitMillicores === undefined
        ? 'Raise or remove the CPU limit.'
        : `Raise the CPU limit to ${t.recommendedLimitMillicores}m, or remove it.`,
    confidence: t.classification === undefined ? 'low' : 'medium',
    evidence: {
      workload: ref.workload,
      sustainedRatio: t.sustainedRatio,
      classification: t.classification ?? null,
      p95Millicores: t.p95Millicores ?? null,
      p99Millicores: t.p99Millicores ?? null,
      recommendedLimitMillicores: t.recommendedLimitMillicores ?? null,
    },
  };
}
