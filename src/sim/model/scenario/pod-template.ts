// SPDX-License-Identifier: Apache-2.0
// One workload template resolved for a namespace: the pod spec every replica shares, the container numbers, the
// QoS class and the scheduling traits. Replicas of a template (and the same template in thousands of generated
// namespaces) share these objects; the store copies on write, so sharing is safe and keeps 150,000 pods small.
import type { NodeSelectorRequirement, StringMap, Toleration } from '../kube-types.ts';
import type { LimitRangeSpec } from './schema.ts';
import type { FailureSpec, WorkloadKind, WorkloadTemplate } from './schema-workload.ts';
import { resolveContainer, limitRangerAnnotation, type ResolvedContainer } from './containers.ts';
import { qosClassOf } from './qos.ts';
import { fnv32a, safeEncodeHash, Rng } from './rng.ts';

export interface ResolvedTemplate {
  readonly template: WorkloadTemplate;
  readonly kind: WorkloadKind;
  /** pod-template-hash / controller-revision-hash of this template. */
  readonly hash: string;
  readonly containers: readonly ResolvedContainer[];
  readonly initContainers: readonly ResolvedContainer[];
  /** Every pod spec field except nodeName (and per-pod fields of StatefulSet and DaemonSet pods). */
  readonly podSpec: Readonly<Record<string, unknown>>;
  readonly qosClass: 'Guaranteed' | 'Burstable' | 'BestEffort';
  /** Effective pod requests: max(sum of app containers, largest init container), as the scheduler counts them. */
  readonly cpuMilli: number;
  readonly memoryBytes: number;
  readonly tolerations: readonly Toleration[];
  readonly nodeSelector?: StringMap;
  readonly required?: readonly NodeSelectorRequirement[];
  readonly traitsKey: string;
  readonly podAnnotations?: StringMap;
  readonly failure?: FailureSpec;
  /** Index of the container the failure applies to. */
  readonly failingContainer: number;
}

/** DefaultTolerationSeconds admission: every pod tolerates a not-ready or unreachable node for 300 s. */
const DEFAULT_TOLERATIONS: readonly Toleration[] = Object.freeze([
  { effect: 'NoExecute', key: 'node.kubernetes.io/not-ready', operator: 'Exists', tolerationSeconds: 300 },
  { effect: 'NoExecute', key: 'node.kubernetes.io/unreachable', operator: 'Exists', tolerationSeconds: 300 },
]);

/** The DaemonSet controller adds these so its pods keep running on troubled nodes (daemon/util). */
const DAEMONSET_TOLERATIONS: readonly Toleration[] = Object.freeze([
  { effect: 'NoExecute', key: 'node.kubernetes.io/not-ready', operator: 'Exists' },
  { effect: 'NoExecute', key: 'node.kubernetes.io/unreachable', operator: 'Exists' },
  { effect: 'NoSchedule', key: 'node.kubernetes.io/disk-pressure', operator: 'Exists' },
  { effect: 'NoSchedule', key: 'node.kubernetes.io/memory-pressure', operator: 'Exists' },
  { effect: 'NoSchedule', key: 'node.kubernetes.io/pid-pressure', operator: 'Exists' },
  { effect: 'NoSchedule', key: 'node.kubernetes.io/unschedulable', operator: 'Exists' },
]);

const PRIORITIES: Record<string, number> = { 'system-cluster-critical': 2000000000, 'system-node-critical': 2000001000 };

function tolerationsFor(t: WorkloadTemplate): Toleration[] {
  const own: Toleration[] = (t.tolerations ?? []).map((x) => ({ ...x }));
  const extra = t.kind === 'DaemonSet' ? DAEMONSET_TOLERATIONS : DEFAULT_TOLERATIONS;
  const covered = (e: Toleration): boolean => own.some((o) => o.operator === 'Exists' && (o.key === undefined || o.key === e.key) && (o.effect === undefined || o.effect === e.effect));
  return [...own, ...extra.filter((e) => !covered(e))];
}

function restartPolicy(kind: WorkloadKind): string {
  return kind === 'Job' || kind === 'CronJob' ? 'Never' : 'Always';
}

function volumesFor(apiAccess: string, claims: readonly { name: string; claimName: string }[]): Record<string, unknown>[] {
  return [
    ...claims.map((c) => ({ name: c.name, persistentVolumeClaim: { claimName: c.claimName } })),
    {
      name: apiAccess,
      projected: {
        defaultMode: 420,
        sources: [
          { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
          { configMap: { items: [{ key: 'ca.crt', path: 'ca.crt' }], name: 'kube-root-ca.crt' } },
          { downwardAPI: { items: [{ fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' }, path: 'namespace' }] } },
        ],
      },
    },
  ];
}

function affinityOf(required: readonly NodeSelectorRequirement[] | undefined): Record<string, unknown> | undefined {
  if (!required?.length) return undefined;
  return { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: required }] } } };
}

function podSpecOf(t: WorkloadTemplate, parts: { containers: readonly ResolvedContainer[]; init: readonly ResolvedContainer[]; tolerations: Toleration[]; volumes: Record<string, unknown>[] }): Record<string, unknown> {
  const spec: Record<string, unknown> = {};
  const affinity = affinityOf(t.requiredNodeAffinity);
  if (affinity) spec.affinity = affinity;
  spec.containers = parts.containers.map((c) => c.spec);
  spec.dnsPolicy = 'ClusterFirst';
  spec.enableServiceLinks = true;
  if (parts.init.length) spec.initContainers = parts.init.map((c) => c.spec);
  if (t.nodeSelector) spec.nodeSelector = t.nodeSelector;
  spec.preemptionPolicy = 'PreemptLowerPriority';
  spec.priority = PRIORITIES[t.priorityClassName ?? ''] ?? 0;
  if (t.priorityClassName) spec.priorityClassName = t.priorityClassName;
  spec.restartPolicy = restartPolicy(t.kind);
  spec.schedulerName = 'default-scheduler';
  spec.securityContext = {};
  spec.serviceAccount = 'default';
  spec.serviceAccountName = 'default';
  spec.terminationGracePeriodSeconds = 30;
  spec.tolerations = parts.tolerations;
  spec.volumes = parts.volumes;
  return spec;
}

export interface TemplateContext {
  /** Workload instance name (template name, or name-N for count > 1). */
  instanceName: string;
  limitRange?: LimitRangeSpec;
  /** Pod volumes for claims shared by all replicas (Deployments); StatefulSets add theirs per pod. */
  sharedClaims: readonly { name: string; claimName: string }[];
}

function failingIndex(t: WorkloadTemplate): number {
  const f = t.failure;
  const name = f && 'container' in f ? f.container : undefined;
  const i = name ? t.containers.findIndex((c) => c.name === name) : 0;
  return Math.max(0, i);
}

function effectiveRequests(containers: readonly ResolvedContainer[], init: readonly ResolvedContainer[]): { cpuMilli: number; memoryBytes: number } {
  const sum = (f: (c: ResolvedContainer) => number): number => containers.reduce((a, c) => a + f(c), 0);
  const max = (f: (c: ResolvedContainer) => number): number => init.reduce((a, c) => Math.max(a, f(c)), 0);
  const cpu = (c: ResolvedContainer): number => Math.round(c.requests.cpuCores * 1000);
  const mem = (c: ResolvedContainer): number => c.requests.memoryBytes;
  return { cpuMilli: Math.max(sum(cpu), max(cpu)), memoryBytes: Math.max(sum(mem), max(mem)) };
}

function claimMountsOf(t: WorkloadTemplate, ctx: TemplateContext): { name: string; mountPath: string }[] {
  const own = t.kind === 'StatefulSet' ? (t.volumeClaims ?? []).map((c) => c.name) : [];
  const mountPaths = new Map((t.volumeClaims ?? []).map((c) => [c.name, c.mountPath]));
  return [...ctx.sharedClaims.map((c) => c.name), ...own].map((name) => ({ name, mountPath: mountPaths.get(name) ?? '/data' }));
}

/** The failure-specific part of the failing container's context. */
function failureContext(f: FailureSpec | undefined): { failureMode?: string; missingConfigMap?: string } {
  if (!f) return {};
  return { failureMode: f.mode, ...(f.mode === 'config-error' ? { missingConfigMap: f.configMap } : {}) };
}

function placementTraits(t: WorkloadTemplate, tolerations: Toleration[]): Pick<ResolvedTemplate, 'nodeSelector' | 'required' | 'traitsKey'> {
  return {
    ...(t.nodeSelector ? { nodeSelector: t.nodeSelector } : {}),
    ...(t.requiredNodeAffinity ? { required: t.requiredNodeAffinity } : {}),
    traitsKey: JSON.stringify([tolerations, t.nodeSelector ?? null, t.requiredNodeAffinity ?? null]),
  };
}

/** Resolves a template for one workload instance and namespace context. Prefer {@link TemplateCache}. */
export function resolveTemplate(t: WorkloadTemplate, ctx: TemplateContext): ResolvedTemplate {
  const hash = safeEncodeHash(fnv32a(`${ctx.instanceName}\u0000${JSON.stringify(t)}\u0000${JSON.stringify(ctx.limitRange ?? null)}`));
  const apiAccessVolume = `kube-api-access-${new Rng(fnv32a(hash)).suffix()}`;
  const failingContainer = failingIndex(t);
  const base = { kind: t.kind, limitRange: ctx.limitRange, apiAccessVolume, claimMounts: claimMountsOf(t, ctx) };
  const containers = t.containers.map((c, i) => resolveContainer(c, { ...base, ...(i === failingContainer ? failureContext(t.failure) : {}) }));
  const init = (t.initContainers ?? []).map((c) => resolveContainer(c, { ...base, claimMounts: [] }));
  const tolerations = tolerationsFor(t);
  const { cpuMilli, memoryBytes } = effectiveRequests(containers, init);
  const annotation = limitRangerAnnotation([...init, ...containers]);
  return {
    template: t,
    kind: t.kind,
    hash,
    containers,
    initContainers: init,
    podSpec: podSpecOf(t, { containers, init, tolerations, volumes: volumesFor(apiAccessVolume, ctx.sharedClaims) }),
    qosClass: qosClassOf([...init, ...containers].map((c) => c.spec)),
    cpuMilli,
    memoryBytes,
    tolerations,
    ...placementTraits(t, tolerations),
    ...(annotation ? { podAnnotations: { 'kubernetes.io/limit-ranger': annotation } } : {}),
    ...(t.failure ? { failure: t.failure } : {}),
    failingContainer,
  };
}

/** Memoizes resolved templates: the same template, instance name and LimitRange resolve once for all namespaces. */
export class TemplateCache {
  private readonly byTemplate = new WeakMap<WorkloadTemplate, Map<string, ResolvedTemplate>>();
  private readonly lrIds = new WeakMap<LimitRangeSpec, number>();
  private nextLr = 1;

  get(t: WorkloadTemplate, ctx: TemplateContext): ResolvedTemplate {
    let perTemplate = this.byTemplate.get(t);
    if (!perTemplate) this.byTemplate.set(t, (perTemplate = new Map()));
    const key = `${ctx.instanceName}\u0000${this.lrId(ctx.limitRange)}\u0000${ctx.sharedClaims.map((c) => c.claimName).join(',')}`;
    let r = perTemplate.get(key);
    if (!r) perTemplate.set(key, (r = resolveTemplate(t, ctx)));
    return r;
  }

  private lrId(lr: LimitRangeSpec | undefined): number {
    if (!lr) return 0;
    let id = this.lrIds.get(lr);
    if (id === undefined) this.lrIds.set(lr, (id = this.nextLr++));
    return id;
  }
}
