// SPDX-License-Identifier: Apache-2.0
// Projections of controllers (apps/v1, batch/v1), autoscalers and disruption budgets (REQUIREMENTS §1.2).
import { parseCpuMillicores, parseQuantity } from '../../domain/quantity.ts';
import type { ClaimTemplate, CronJob, DaemonSet, Deployment, HorizontalPodAutoscaler, HpaMetric, Job, PodDisruptionBudget, ReplicaCounts, ReplicaSet, StatefulSet } from '../../domain/workload-resources.ts';
import { baseFields, conditions, count, flag, labelSelector, projectBase } from './project-common.ts';
import { arr, intOrString, num, obj, objOrUndefined, str, strMap, timeMs, type RawObject } from './raw-access.ts';

function replicaCounts(spec: RawObject, status: RawObject): ReplicaCounts {
  return {
    // spec.replicas defaults to 1 in the API; a projection of an object read before defaulting must agree.
    replicas: num(spec.replicas) ?? 1,
    readyReplicas: count(status.readyReplicas),
    availableReplicas: count(status.availableReplicas),
    updatedReplicas: count(status.updatedReplicas),
    currentReplicas: count(status.currentReplicas ?? status.replicas),
  };
}

export function projectDeployment(raw: unknown): Deployment | undefined {
  const b = projectBase(raw);
  if (!b?.namespace) return undefined;
  const { spec, status } = b;
  const strategy = obj(spec.strategy);
  const rolling = obj(strategy.rollingUpdate);
  return {
    selector: labelSelector(spec.selector),
    strategy: str(strategy.type) ?? 'RollingUpdate',
    maxSurge: intOrString(rolling.maxSurge),
    maxUnavailable: intOrString(rolling.maxUnavailable),
    progressDeadlineSeconds: num(spec.progressDeadlineSeconds),
    unavailableReplicas: count(status.unavailableReplicas),
    conditions: conditions(status.conditions),
    generation: num(obj(obj(raw).metadata).generation),
    observedGeneration: num(status.observedGeneration),
    ...baseFields(b),
    ...replicaCounts(spec, status),
    namespace: b.namespace,
  };
}

export function projectReplicaSet(raw: unknown): ReplicaSet | undefined {
  const b = projectBase(raw);
  if (!b?.namespace) return undefined;
  const revision = Number(b.annotations['deployment.kubernetes.io/revision']);
  const counts = replicaCounts(b.spec, b.status);
  // Fields written out rather than spread (60,000 ReplicaSets at 150,000 pods): spread fields land in a separate
  // property array. Same order as the spreads gave.
  return {
    selector: labelSelector(b.spec.selector),
    revision: Number.isFinite(revision) && revision > 0 ? revision : undefined,
    key: b.key,
    uid: b.uid,
    name: b.name,
    namespace: b.namespace,
    labels: b.labels,
    annotations: b.annotations,
    owners: b.owners,
    createdAtMs: b.createdAtMs,
    deletingAtMs: b.deletingAtMs,
    replicas: counts.replicas,
    readyReplicas: counts.readyReplicas,
    availableReplicas: counts.availableReplicas,
    updatedReplicas: counts.updatedReplicas,
    currentReplicas: counts.currentReplicas,
  };
}

function claimTemplate(raw: unknown): ClaimTemplate {
  const t = obj(raw);
  const spec = obj(t.spec);
  return {
    name: str(obj(t.metadata).name) ?? '',
    requestedBytes: parseQuantity(strMap(obj(spec.resources).requests).storage),
    storageClassName: str(spec.storageClassName),
  };
}

export function projectStatefulSet(raw: unknown): StatefulSet | undefined {
  const b = projectBase(raw);
  if (!b?.namespace) return undefined;
  const { spec } = b;
  const update = obj(spec.updateStrategy);
  return {
    selector: labelSelector(spec.selector),
    serviceName: str(spec.serviceName),
    podManagementPolicy: str(spec.podManagementPolicy),
    updateStrategy: str(update.type),
    partition: num(obj(update.rollingUpdate).partition),
    volumeClaimTemplates: arr(spec.volumeClaimTemplates).map(claimTemplate),
    ...baseFields(b),
    ...replicaCounts(spec, b.status),
    namespace: b.namespace,
  };
}

export function projectDaemonSet(raw: unknown): DaemonSet | undefined {
  const b = projectBase(raw);
  if (!b?.namespace) return undefined;
  const { spec, status } = b;
  const update = obj(spec.updateStrategy);
  return {
    selector: labelSelector(spec.selector),
    updateStrategy: str(update.type),
    maxUnavailable: intOrString(obj(update.rollingUpdate).maxUnavailable),
    desiredNumberScheduled: count(status.desiredNumberScheduled),
    currentNumberScheduled: count(status.currentNumberScheduled),
    numberReady: count(status.numberReady),
    numberAvailable: count(status.numberAvailable),
    numberUnavailable: count(status.numberUnavailable),
    numberMisscheduled: count(status.numberMisscheduled),
    updatedNumberScheduled: count(status.updatedNumberScheduled),
    ...baseFields(b),
    namespace: b.namespace,
  };
}

export function projectJob(raw: unknown): Job | undefined {
  const b = projectBase(raw);
  if (!b?.namespace) return undefined;
  const { spec, status } = b;
  return {
    completions: num(spec.completions),
    parallelism: num(spec.parallelism),
    backoffLimit: num(spec.backoffLimit),
    activeDeadlineSeconds: num(spec.activeDeadlineSeconds),
    active: count(status.active),
    succeeded: count(status.succeeded),
    failed: count(status.failed),
    startedAtMs: timeMs(status.startTime),
    completedAtMs: timeMs(status.completionTime),
    conditions: conditions(status.conditions),
    ...baseFields(b),
    namespace: b.namespace,
  };
}

export function projectCronJob(raw: unknown): CronJob | undefined {
  const b = projectBase(raw);
  if (!b?.namespace) return undefined;
  const { spec, status } = b;
  return {
    schedule: str(spec.schedule) ?? '',
    timeZone: str(spec.timeZone),
    suspend: flag(spec.suspend),
    concurrencyPolicy: str(spec.concurrencyPolicy),
    lastScheduleAtMs: timeMs(status.lastScheduleTime),
    lastSuccessfulAtMs: timeMs(status.lastSuccessfulTime),
    active: arr(status.active).length,
    ...baseFields(b),
    namespace: b.namespace,
  };
}

/** A metric target value: CPU as millicores, everything else plain. */
function targetValue(resource: string | undefined, quantity: unknown): number | undefined {
  const text = str(quantity);
  return resource === 'cpu' ? parseCpuMillicores(text) : parseQuantity(text);
}

function hpaMetric(raw: unknown): HpaMetric {
  const m = obj(raw);
  const type = str(m.type) ?? '';
  // `resource` and `containerResource` share one shape: {name, target: {type, averageUtilization, averageValue}}.
  const source = objOrUndefined(m.resource) ?? objOrUndefined(m.containerResource);
  if (!source) return { type };
  const resource = str(source.name);
  const target = obj(source.target);
  return {
    type,
    resource,
    container: str(source.container),
    targetType: str(target.type),
    averageUtilization: num(target.averageUtilization),
    averageValue: targetValue(resource, target.averageValue),
  };
}

export function projectHorizontalPodAutoscaler(raw: unknown): HorizontalPodAutoscaler | undefined {
  const b = projectBase(raw);
  if (!b?.namespace) return undefined;
  const { spec, status } = b;
  const target = obj(spec.scaleTargetRef);
  return {
    scaleTargetRef: { kind: str(target.kind) ?? '', name: str(target.name) ?? '' },
    // minReplicas defaults to 1 (autoscaling/v2).
    minReplicas: num(spec.minReplicas) ?? 1,
    maxReplicas: count(spec.maxReplicas),
    metrics: arr(spec.metrics).map(hpaMetric),
    hasBehavior: objOrUndefined(spec.behavior) !== undefined,
    currentReplicas: count(status.currentReplicas),
    desiredReplicas: count(status.desiredReplicas),
    conditions: conditions(status.conditions),
    ...baseFields(b),
    namespace: b.namespace,
  };
}

export function projectPodDisruptionBudget(raw: unknown): PodDisruptionBudget | undefined {
  const b = projectBase(raw);
  if (!b?.namespace) return undefined;
  const { spec, status } = b;
  return {
    selector: labelSelector(spec.selector),
    minAvailable: intOrString(spec.minAvailable),
    maxUnavailable: intOrString(spec.maxUnavailable),
    disruptionsAllowed: count(status.disruptionsAllowed),
    currentHealthy: count(status.currentHealthy),
    desiredHealthy: count(status.desiredHealthy),
    expectedPods: count(status.expectedPods),
    ...baseFields(b),
    namespace: b.namespace,
  };
}
