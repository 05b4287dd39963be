// SPDX-License-Identifier: Apache-2.0
// Per-container analyses of one namespace: memory leaks (per container instance, and across restarts), OOM risk and
// CPU throttling. The pure analyses judge; this file gathers their inputs from the namespace's history and maps the
// verdicts to findings.
import { detectLeakAcrossRestarts, type EndedInstance } from '../../analysis/leaks/across-restarts.ts';
import { detectLeak, ruleOutLongCycle, type ContainerInstance, type InstancePeaks, type LeakVerdict } from '../../analysis/leaks/detect-leak.ts';
import { assessOomRisk } from '../../analysis/oom/oom-risk.ts';
import { assessThrottling } from '../../analysis/throttling/throttling.ts';
import type { Finding } from '../../analysis/findings.ts';
import type { Pod } from '../../domain/resources.ts';
import { METRIC } from '../../domain/series.ts';
import { lowerBound } from '../../domain/sorted.ts';
import { maxOf } from '../../analysis/rightsizing/stats.ts';
import type { ContainerEnd, EndsByContainer } from './lifecycle.ts';
import { leakFinding, oomFinding, restartLeakFinding, throttlingFinding, type ContainerRef } from './container-findings.ts';
import { columnOf, samplesOf, type Column, type NamespaceHistory } from './read.ts';
import type { AnalysisGroup } from './types.ts';
import { HOUR_MS } from '../../domain/time.ts';

export interface ContainerContext {
  readonly clusterName: string;
  readonly nowMs: number;
  readonly leakWindowMs: number;
  readonly data: NamespaceHistory;
  readonly ends: EndsByContainer;
  readonly groups: ReadonlySet<AnalysisGroup>;
}

/** Outcome counters, so that a run can tell "nothing found" from "nothing to judge". */
export interface ContainerTally {
  judged: Record<'leak' | 'oom-risk' | 'throttling', number>;
}

/** The samples from `cursor.i` up to (excluding) `cutMs`, as views of the column; advances the cursor. */
function takeBefore(samples: Column, cursor: { i: number }, cutMs: number): Column {
  const from = cursor.i;
  while (cursor.i < samples.values.length && (samples.timestampsMs[cursor.i] as number) < cutMs) cursor.i++;
  return { timestampsMs: samples.timestampsMs.subarray(from, cursor.i), values: samples.values.subarray(from, cursor.i) };
}

/** Splits a container's samples at its restarts into instances, oldest first. */
export function instancesOf(samples: Column, ends: readonly ContainerEnd[], startedAtMs: number | undefined): ContainerInstance[] {
  const starts = [startedAtMs ?? samples.timestampsMs[0] ?? 0, ...ends.map((e) => e.atMs)];
  const out: ContainerInstance[] = [];
  const cursor = { i: 0 };
  for (let k = 0; k < starts.length; k++) {
    const from = starts[k] as number;
    const part = takeBefore(samples, cursor, starts[k + 1] ?? Number.POSITIVE_INFINITY);
    // An instance without samples tells nothing, except the current one (the detector then looks at the previous).
    if (part.values.length > 0 || k === starts.length - 1) out.push({ startedAtMs: Math.min(from, part.timestampsMs[0] ?? from), samples: part });
  }
  return out;
}

/** The peak working set before each restart, from the 5-minute maxima. */
export function endedInstances(peaks: Column, ends: readonly ContainerEnd[]): EndedInstance[] {
  const out: EndedInstance[] = [];
  const { timestampsMs, values } = peaks;
  let i = 0;
  for (const end of ends) {
    let peak = 0;
    while (i < values.length && (timestampsMs[i] as number) < end.atMs) peak = Math.max(peak, values[i++] as number);
    out.push({ endedAtMs: end.atMs, peakBytes: peak, oomKilled: end.oomKilled });
  }
  return out;
}

/** Highest value of a column in [fromMs, toMs); undefined when it has none there. */
function maxIn(c: Column, fromMs: number, toMs: number): number | undefined {
  const values = c.values.subarray(lowerBound(c.timestampsMs, fromMs), lowerBound(c.timestampsMs, toMs));
  return values.length === 0 ? undefined : maxOf(values);
}

/**
 * The current instance's latest peak (5-minute maxima of the last hour) and its peak before the leak window (hourly
 * maxima of the long window), for {@link ruleOutLongCycle}. The instance began at the container's start or its last
 * restart; one that began within the window has no earlier peak.
 */
function instancePeaks(ctx: ContainerContext, entity: string, inst: { startedAtMs: number | undefined; ends: readonly ContainerEnd[] }): InstancePeaks {
  const windowStartMs = ctx.nowMs - ctx.leakWindowMs;
  const began = Math.max(inst.startedAtMs ?? Number.POSITIVE_INFINITY, ...inst.ends.map((e) => e.atMs));
  const latestBytes = maxIn(columnOf(ctx.data.leakPeaks, entity, METRIC.memoryWorkingSetBytes), ctx.nowMs - HOUR_MS, ctx.nowMs + 1) ?? 0;
  // Hourly maxima are stamped with their hour's start: an hour counts once it began after the instance did.
  const earlierBytes = began < windowStartMs ? maxIn(columnOf(ctx.data.long, entity, METRIC.memoryWorkingSetBytes), began, windowStartMs - HOUR_MS + 1) : undefined;
  return { latestBytes, earlierBytes };
}

function judgeLeak(ctx: ContainerContext, ref: ContainerRef, limitBytes: number | undefined): { verdict: LeakVerdict; findings: Finding[] } {
  const entity = `${ref.namespace}/${ref.pod}/${ref.container}`;
  const ends = ctx.ends.get(`${ref.pod}/${ref.container}`) ?? [];
  const samples = columnOf(ctx.data.leak, entity, METRIC.memoryWorkingSetBytes);
  const found = detectLeak({ instances: instancesOf(samples, ends, ref.startedAtMs), nowMs: ctx.nowMs, ...(limitBytes === undefined ? {} : { limitBytes }) }, { windowMs: ctx.leakWindowMs });
  const verdict = ruleOutLongCycle(found, instancePeaks(ctx, entity, { startedAtMs: ref.startedAtMs, ends }));
  const findings: Finding[] = [];
  const f = leakFinding(ctx, ref, verdict);
  if (f !== undefined) findings.push(f);
  const across = detectLeakAcrossRestarts(endedInstances(columnOf(ctx.data.leakPeaks, entity, METRIC.memoryWorkingSetBytes), ends));
  const r = restartLeakFinding(ctx, ref, across);
  if (r !== undefined) findings.push(r);
  return { verdict, findings };
}

/** The container being judged: its limits and requests, and the `Kind/name` of its workload. */
export interface ContainerSpecRef {
  readonly name: string;
  readonly workload: string;
  readonly memLimit?: number;
  readonly cpuLimit?: number;
  readonly cpuRequest?: number;
}

interface Judged {
  readonly ctx: ContainerContext;
  readonly ref: ContainerRef;
  readonly spec: ContainerSpecRef;
  readonly entity: string;
  readonly tally: ContainerTally;
  readonly findings: Finding[];
}

function judgeOom(j: Judged, leak: LeakVerdict | undefined): void {
  const { ctx, spec } = j;
  const recentMem = samplesOf(ctx.data.recent, j.entity, METRIC.memoryWorkingSetBytes);
  const kills = (ctx.ends.get(`${j.ref.pod}/${spec.name}`) ?? []).filter((e) => e.oomKilled).map((e) => e.atMs);
  const leakHit = leak?.status === 'leak' ? leak : undefined;
  const risk = assessOomRisk({
    nowMs: ctx.nowMs,
    workingSet: recentMem,
    oomKillsMs: kills,
    leakDetected: leakHit !== undefined,
    ...(spec.memLimit === undefined ? {} : { limitBytes: spec.memLimit }),
    ...(leakHit?.timeToLimitHours === undefined ? {} : { leakTimeToLimitHours: leakHit.timeToLimitHours }),
  });
  if (recentMem.length > 0 || kills.length > 0) j.tally.judged['oom-risk']++;
  const f = oomFinding(ctx, j.ref, { risk, limitBytes: spec.memLimit });
  if (f !== undefined) j.findings.push(f);
}

function judgeThrottling(j: Judged, cpuLimit: number): void {
  const { ctx, spec } = j;
  const ratio = samplesOf(ctx.data.recent, j.entity, METRIC.throttleRatio);
  const cpu = columnOf(ctx.data.long, j.entity, METRIC.cpuMillicores).values;
  const t = assessThrottling({ nowMs: ctx.nowMs, throttleRatio: ratio, cpuMillicores: cpu, cpuLimitMillicores: cpuLimit, ...(spec.cpuRequest === undefined ? {} : { cpuRequestMillicores: spec.cpuRequest }) });
  if (t.sustainedRatio !== undefined) j.tally.judged.throttling++;
  const f = throttlingFinding(ctx, j.ref, t);
  if (f !== undefined) j.findings.push(f);
}

/** Findings of one live container; `tally` counts the analyses that had data to judge. */
export function analyseContainer(ctx: ContainerContext, target: { pod: Pod; spec: ContainerSpecRef }, tally: ContainerTally): Finding[] {
  const { pod, spec } = target;
  const ref: ContainerRef = { namespace: pod.namespace, pod: pod.name, container: spec.name, workload: spec.workload, ...(pod.startedAtMs === undefined ? {} : { startedAtMs: pod.startedAtMs }) };
  const j: Judged = { ctx, ref, spec, entity: `${pod.namespace}/${pod.name}/${spec.name}`, tally, findings: [] };
  let leak: LeakVerdict | undefined;
  if (ctx.groups.has('leak')) {
    const judged = judgeLeak(ctx, ref, spec.memLimit);
    leak = judged.verdict;
    if (leak.status !== 'insufficient-data') tally.judged.leak++;
    j.findings.push(...judged.findings);
  }
  if (ctx.groups.has('oom-risk')) judgeOom(j, leak);
  if (ctx.groups.has('throttling') && spec.cpuLimit !== undefined) judgeThrottling(j, spec.cpuLimit);
  return j.findings;
}
