// SPDX-License-Identifier: Apache-2.0
// Rightsizing per workload container: the usage of every pod of the workload in the window (pods that no longer
// exist included, from the persisted pod history) is pooled, so that a rollout does not reset the history. The
// recommendation is mapped to a finding on KRR's severity scale.
import type { Finding } from '../../analysis/findings.ts';
import { recommend, type HpaTargets, type LimitRange as RsLimitRange, type PodUsage, type Recommendation, type Resources } from '../../analysis/rightsizing/index.ts';
import type { HistoryStore } from '../../domain/ports.ts';
import type { ClusterView } from '../../domain/kube-ports.ts';
import type { ContainerSpec, Pod } from '../../domain/resources.ts';
import type { HorizontalPodAutoscaler } from '../../domain/workload-resources.ts';
import { METRIC } from '../../domain/series.ts';
import { columnOf, type EntitySeries } from './read.ts';
import type { AnalysisSettings, RightsizingRecommendation } from './types.ts';
import { groupBy } from '../../domain/maps.ts';

const PAGE = 1000;
const MAX_PAGES = 20;

interface WorkloadContainer {
  readonly kind: string;
  readonly name: string;
  readonly container: string;
  readonly spec: ContainerSpec;
  readonly containersInPod: number;
  readonly pods: Set<string>;
}

/** Pod name → `Kind/name` of its workload, for the pods of the window that no longer exist. */
async function storedPodOwners(opts: { lifecycle?: HistoryStore; clusterName: string; namespace: string; fromMs: number }): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (opts.lifecycle === undefined) return out;
  let after;
  for (let page = 0; page < MAX_PAGES; page++) {
    const res = await opts.lifecycle.queryPods({ cluster: opts.clusterName, namespace: opts.namespace, fromMs: opts.fromMs, deleted: true, limit: PAGE, ...(after === undefined ? {} : { after }) });
    for (const p of res.items) out.set(p.name, `${p.workloadKind}/${p.workloadName}`);
    if (res.next === undefined) break;
    after = res.next;
  }
  return out;
}

/** The workload containers of the live pods: the newest pod's spec gives the current requests and limits. */
function liveContainers(cluster: ClusterView, pods: readonly Pod[]): { byKey: Map<string, WorkloadContainer>; owners: Map<string, string> } {
  const byKey = new Map<string, WorkloadContainer>();
  const owners = new Map<string, string>();
  const newestFirst = [...pods].sort((a, b) => (b.startedAtMs ?? 0) - (a.startedAtMs ?? 0));
  for (const pod of newestFirst) {
    const w = cluster.workloadOf(pod);
    const owner = `${w.kind}/${w.name}`;
    owners.set(pod.name, owner);
    for (const spec of pod.containers) {
      const key = `${owner}/${spec.name}`;
      const known = byKey.get(key);
      if (known === undefined) byKey.set(key, { kind: w.kind, name: w.name, container: spec.name, spec, containersInPod: pod.containers.length, pods: new Set([pod.name]) });
      else known.pods.add(pod.name);
    }
  }
  return { byKey, owners };
}

function currentOf(spec: ContainerSpec): Resources {
  const r: { cpuRequest?: number; cpuLimit?: number; memRequest?: number; memLimit?: number } = {};
  if (spec.requests.cpuMillicores !== undefined) r.cpuRequest = spec.requests.cpuMillicores;
  if (spec.limits.cpuMillicores !== undefined) r.cpuLimit = spec.limits.cpuMillicores;
  if (spec.requests.memoryBytes !== undefined) r.memRequest = spec.requests.memoryBytes;
  if (spec.limits.memoryBytes !== undefined) r.memLimit = spec.limits.memoryBytes;
  return r;
}

function hpaOf(hpas: readonly HorizontalPodAutoscaler[], w: { kind: string; name: string }): HpaTargets | undefined {
  const hpa = hpas.find((h) => h.scaleTargetRef.kind === w.kind && h.scaleTargetRef.name === w.name);
  if (hpa === undefined) return undefined;
  const target = (resource: string): number | undefined => hpa.metrics.find((m) => m.resource === resource)?.averageUtilization ?? (hpa.metrics.some((m) => m.resource === resource) ? 100 : undefined);
  const cpu = target('cpu');
  const memory = target('memory');
  return { ...(cpu === undefined ? {} : { cpuUtilization: cpu }), ...(memory === undefined ? {} : { memoryUtilization: memory }) };
}

function limitRangeOf(cluster: ClusterView, namespace: string): RsLimitRange | undefined {
  const item = cluster.list('limitranges', namespace).flatMap((l) => l.limits).find((i) => i.type === 'Container');
  if (item === undefined) return undefined;
  const res = (v: Readonly<Record<string, number>>, kind: 'Request' | 'Limit'): Resources => ({
    ...(v['cpu'] === undefined ? {} : { [`cpu${kind}`]: v['cpu'] }),
    ...(v['memory'] === undefined ? {} : { [`mem${kind}`]: v['memory'] }),
  });
  return { min: res(item.min, 'Request'), max: res(item.max, 'Limit'), maxLimitRequestRatio: { ...(item.maxLimitRequestRatio['cpu'] === undefined ? {} : { cpu: item.maxLimitRequestRatio['cpu'] }), ...(item.maxLimitRequestRatio['memory'] === undefined ? {} : { memory: item.maxLimitRequestRatio['memory'] }) } };
}

export interface RightsizingContext {
  readonly cluster: ClusterView;
  readonly lifecycle?: HistoryStore;
  readonly clusterName: string;
  readonly namespace: string;
  readonly nowMs: number;
  readonly settings: AnalysisSettings;
  readonly long: EntitySeries;
  /** OOM kill times per `pod/container`. */
  readonly oomKills: ReadonlyMap<string, readonly { atMs: number; memoryLimitBytes?: number }[]>;
}

/** Pools the usage of a workload container's pods, live and gone. */
function usageOf(ctx: RightsizingContext, wc: WorkloadContainer): { pods: PodUsage[]; ooms: { tsMs: number; memLimit?: number }[] } {
  const pods: PodUsage[] = [];
  const ooms: { tsMs: number; memLimit?: number }[] = [];
  for (const pod of wc.pods) {
    const entity = `${ctx.namespace}/${pod}/${wc.container}`;
    pods.push({ pod, cpu: columnOf(ctx.long, entity, METRIC.cpuMillicores), memory: columnOf(ctx.long, entity, METRIC.memoryWorkingSetBytes) });
    for (const k of ctx.oomKills.get(`${pod}/${wc.container}`) ?? []) ooms.push({ tsMs: k.atMs, ...(k.memoryLimitBytes === undefined ? {} : { memLimit: k.memoryLimitBytes }) });
  }
  return { pods, ooms };
}

/** Adds the pods of the window that no longer exist to their workload's containers. */
function addGonePods(containers: Iterable<WorkloadContainer>, pods: { live: ReadonlyMap<string, string>; gone: ReadonlyMap<string, string> }): void {
  const byOwner = groupBy(containers, (wc) => `${wc.kind}/${wc.name}`);
  for (const [pod, owner] of pods.gone) {
    if (pods.live.has(pod)) continue;
    for (const wc of byOwner.get(owner) ?? []) wc.pods.add(pod);
  }
}

/** Recommendations for every workload container of a namespace's live pods. */
export async function rightsizeNamespace(ctx: RightsizingContext, pods: readonly Pod[]): Promise<RightsizingRecommendation[]> {
  const { byKey, owners } = liveContainers(ctx.cluster, pods);
  addGonePods(byKey.values(), { live: owners, gone: await storedPodOwners({ ...ctx, fromMs: ctx.nowMs - ctx.settings.rightsizingWindowMs }) });
  const limitRange = limitRangeOf(ctx.cluster, ctx.namespace);
  const hpas = ctx.cluster.list('horizontalpodautoscalers', ctx.namespace);
  const out: RightsizingRecommendation[] = [];
  for (const wc of byKey.values()) {
    const usage = usageOf(ctx, wc);
    const hpa = hpas.length === 0 ? undefined : hpaOf(hpas, wc);
    const rec = recommend({
      nowMs: ctx.nowMs,
      strategy: ctx.settings.strategy,
      container: wc.container,
      pods: usage.pods,
      current: currentOf(wc.spec),
      windowMs: ctx.settings.rightsizingWindowMs,
      ooms: usage.ooms,
      containersInPod: wc.containersInPod,
      ...(hpa === undefined ? {} : { hpa }),
      ...(limitRange === undefined ? {} : { limitRange }),
      ...(ctx.settings.prices === undefined ? {} : { prices: ctx.settings.prices }),
    });
    out.push(toRecommendation(ctx, wc, rec));
  }
  return out;
}

function toRecommendation(ctx: RightsizingContext, wc: WorkloadContainer, rec: Recommendation): RightsizingRecommendation {
  return {
    cluster: ctx.clusterName,
    namespace: ctx.namespace,
    workload: { kind: wc.kind, name: wc.name },
    container: wc.container,
    strategy: rec.strategy,
    status: rec.status,
    current: rec.current,
    ...(rec.recommended === undefined ? {} : { recommended: rec.recommended }),
    ...(rec.monthlySavings === undefined ? {} : { monthlySavings: rec.monthlySavings }),
    severity: rec.severity,
    confidence: rec.confidence,
    explanation: rec.explanation,
    ...(rec.patch === undefined ? {} : { patch: rec.patch }),
    notes: rec.notes,
    detectedAtMs: ctx.nowMs,
  };
}

type Direction = 'over-provisioned' | 'under-provisioned' | 'mis-sized';

const TITLES: Record<Direction, string> = { 'over-provisioned': 'Over-provisioned', 'under-provisioned': 'Under-provisioned', 'mis-sized': 'Requests out of proportion' };

/** Over-provisioned when no request would go up, under-provisioned when none would go down; else mis-sized. */
export function directionOf(r: Pick<RightsizingRecommendation, 'current' | 'recommended'>): Direction {
  const n = r.recommended ?? {};
  // An unset request counts as 0: setting one is raising it.
  const moves = [Math.sign((n.cpuRequest ?? 0) - (r.current.cpuRequest ?? 0)), Math.sign((n.memRequest ?? 0) - (r.current.memRequest ?? 0))];
  if (!moves.includes(1)) return 'over-provisioned';
  return moves.includes(-1) ? 'mis-sized' : 'under-provisioned';
}

function savingsText(monthlySavings: number | undefined): string {
  if (monthlySavings === undefined) return '';
  return monthlySavings >= 0 ? `, saving ${monthlySavings.toFixed(2)} per month` : `, costing ${(-monthlySavings).toFixed(2)} more per month`;
}

function rightsizingEvidence(r: RightsizingRecommendation): Finding['evidence'] {
  const n = r.recommended ?? {};
  return {
    strategy: r.strategy,
    cpuRequest: r.current.cpuRequest ?? null,
    recommendedCpuRequest: n.cpuRequest ?? null,
    memRequest: r.current.memRequest ?? null,
    recommendedMemRequest: n.memRequest ?? null,
    monthlySavings: r.monthlySavings ?? null,
  };
}

/** A finding for a recommendation that matters on KRR's scale (low and above); `info` changes are not worth one. */
export function rightsizingFinding(r: RightsizingRecommendation): Finding | undefined {
  if (r.status !== 'ok' || r.recommended === undefined || r.severity === 'info') return undefined;
  const direction = directionOf(r);
  return {
    cluster: r.cluster,
    analysis: 'rightsizing',
    rule: direction,
    entity: { kind: 'workload', namespace: r.namespace, name: `${r.workload.kind}/${r.workload.name}`, container: r.container },
    severity: r.severity,
    title: TITLES[direction],
    explanation: `${r.explanation.replace(/\.$/, '')}${savingsText(r.monthlySavings)}.`,
    action: 'Apply the recommended requests and limits (see the patch of the recommendation).',
    confidence: r.confidence,
    evidence: rightsizingEvidence(r),
    detectedAtMs: r.detectedAtMs,
  };
}
