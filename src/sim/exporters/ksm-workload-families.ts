// SPDX-License-Identifier: Apache-2.0
// kube-state-metrics v2 workload families: Deployments, ReplicaSets, StatefulSets, DaemonSets, Jobs, CronJobs and
// HorizontalPodAutoscalers, with the v2.19 capture's names, HELP texts and label order. Unset replica counts
// take the API defaults (spec 1, status 0), as KSM reads them from defaulted objects.
import type { KubeObject } from '../model/kube-types.ts';
import type { ClusterView } from './cluster-view.ts';
import { conditionSamples, kindFamily, ownerSamples, single, type KindFamilyDef, type ObjectFn } from './ksm-common.ts';
import { conditionsAt, numberAt, stringAt } from './object-fields.ts';
import type { FamilyCollector, Labels, Sample } from './series.ts';

const DEPLOYMENTS = 'deployments.apps';
const REPLICASETS = 'replicasets.apps';
const STATEFULSETS = 'statefulsets.apps';
const DAEMONSETS = 'daemonsets.apps';
const JOBS = 'jobs.batch';
const CRONJOBS = 'cronjobs.batch';
const HPAS = 'horizontalpodautoscalers.autoscaling';

/** Job failure reasons KSM knows; any other reason is reported as `reason=""` with the failed count. */
const JOB_FAILURE_REASONS = ['BackoffLimitExceeded', 'DeadlineExceeded', 'Evicted'] as const;

function labelsBy(kindLabel: string): (o: KubeObject) => Labels {
  return (o) => [['namespace', o.metadata.namespace ?? ''], [kindLabel, o.metadata.name]];
}

const deployment = labelsBy('deployment');
const replicaset = labelsBy('replicaset');
const statefulset = labelsBy('statefulset');
const daemonset = labelsBy('daemonset');
const job = labelsBy('job_name');
const cronjob = labelsBy('cronjob');
const hpa = labelsBy('horizontalpodautoscaler');

interface CountField {
  readonly labels: (o: KubeObject) => Labels;
  readonly path: readonly string[];
  /** The API default when the field is unset; undefined skips the object. */
  readonly fallback: number | undefined;
}

/** A family whose one sample per object is the number at `field.path`. */
function countFamily(def: KindFamilyDef, field: CountField): FamilyCollector<ClusterView> {
  return kindFamily(def, single(field.labels, (o) => numberAt(o, ...field.path) ?? field.fallback));
}

function* jobFailed(j: KubeObject): Generator<Sample> {
  const failed = numberAt(j, 'status', 'failed') ?? 0;
  if (failed === 0) {
    yield { labels: job(j), value: 0 };
    return;
  }
  const reason = conditionsAt(j, 'status', 'conditions').find((c) => c.type === 'Failed' && c.status === 'True')?.reason;
  const known = JOB_FAILURE_REASONS.find((r) => r === reason);
  if (known === undefined) {
    yield { labels: [...job(j), ['reason', '']], value: failed };
    return;
  }
  for (const r of JOB_FAILURE_REASONS) yield { labels: [...job(j), ['reason', r]], value: r === known ? 1 : 0 };
}

const cronjobInfo: ObjectFn<KubeObject> = function* (c) {
  const labels: Labels = [
    ...cronjob(c),
    ['schedule', stringAt(c, 'spec', 'schedule') ?? ''],
    ['concurrency_policy', stringAt(c, 'spec', 'concurrencyPolicy') ?? 'Allow'],
    ['timezone', stringAt(c, 'spec', 'timeZone') ?? 'local'],
  ];
  yield { labels, value: 1 };
};

const S = '[STABLE] ';

/** Workload families, grouped by kind as KSM writes them. */
export const KSM_WORKLOAD_FAMILIES: readonly FamilyCollector<ClusterView>[] = [
  countFamily({ key: DEPLOYMENTS, name: 'kube_deployment_spec_replicas', help: `${S}Number of desired pods for a deployment.` }, { labels: deployment, path: ['spec', 'replicas'], fallback: 1 }),
  countFamily({ key: DEPLOYMENTS, name: 'kube_deployment_status_replicas', help: `${S}The number of replicas per deployment.` }, { labels: deployment, path: ['status', 'replicas'], fallback: 0 }),
  countFamily(
    { key: DEPLOYMENTS, name: 'kube_deployment_status_replicas_available', help: `${S}The number of available replicas per deployment.` }, { labels: deployment, path: ['status', 'availableReplicas'], fallback: 0 }),
  countFamily(
    { key: DEPLOYMENTS, name: 'kube_deployment_status_replicas_unavailable', help: `${S}The number of unavailable replicas per deployment.` }, { labels: deployment, path: ['status', 'unavailableReplicas'], fallback: 0 }),
  countFamily(
    { key: DEPLOYMENTS, name: 'kube_deployment_status_replicas_updated', help: `${S}The number of updated replicas per deployment.` }, { labels: deployment, path: ['status', 'updatedReplicas'], fallback: 0 }),
  kindFamily({ key: DEPLOYMENTS, name: 'kube_deployment_status_condition', help: `${S}The current status conditions of a deployment.` }, (d) =>
    conditionSamples(deployment(d), conditionsAt(d, 'status', 'conditions'), true),
  ),
  kindFamily({ key: REPLICASETS, name: 'kube_replicaset_owner', help: `${S}Information about the ReplicaSet's owner.` }, (r) => ownerSamples(replicaset(r), r)),
  countFamily({ key: REPLICASETS, name: 'kube_replicaset_spec_replicas', help: `${S}Number of desired pods for a ReplicaSet.` }, { labels: replicaset, path: ['spec', 'replicas'], fallback: 1 }),
  countFamily({ key: STATEFULSETS, name: 'kube_statefulset_replicas', help: `${S}Number of desired pods for a StatefulSet.` }, { labels: statefulset, path: ['spec', 'replicas'], fallback: 1 }),
  countFamily(
    { key: STATEFULSETS, name: 'kube_statefulset_status_replicas_ready', help: `${S}The number of ready replicas per StatefulSet.` }, { labels: statefulset, path: ['status', 'readyReplicas'], fallback: 0 }),
  countFamily(
    { key: DAEMONSETS, name: 'kube_daemonset_status_desired_number_scheduled', help: `${S}The number of nodes that should be running the daemon pod.` }, { labels: daemonset, path: ['status', 'desiredNumberScheduled'], fallback: 0 }),
  countFamily(
    {
      key: DAEMONSETS,
      name: 'kube_daemonset_status_number_ready',
      help: `${S}The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready.`,
    }, { labels: daemonset, path: ['status', 'numberReady'], fallback: 0 }),
  countFamily({ key: JOBS, name: 'kube_job_status_succeeded', help: `${S}The number of pods which reached Phase Succeeded.` }, { labels: job, path: ['status', 'succeeded'], fallback: 0 }),
  kindFamily({ key: JOBS, name: 'kube_job_status_failed', help: `${S}The number of pods which reached Phase Failed and the reason for failure.` }, jobFailed),
  countFamily({ key: JOBS, name: 'kube_job_status_active', help: `${S}The number of actively running pods.` }, { labels: job, path: ['status', 'active'], fallback: 0 }),
  kindFamily({ key: JOBS, name: 'kube_job_owner', help: `${S}Information about the Job's owner.` }, (j) => ownerSamples(job(j), j)),
  kindFamily({ key: CRONJOBS, name: 'kube_cronjob_info', help: `${S}Info about cronjob.` }, cronjobInfo),
  countFamily(
    {
      key: HPAS,
      name: 'kube_horizontalpodautoscaler_spec_max_replicas',
      help: `${S}Upper limit for the number of pods that can be set by the autoscaler; cannot be smaller than MinReplicas.`,
    }, { labels: hpa, path: ['spec', 'maxReplicas'], fallback: undefined }),
  countFamily(
    {
      key: HPAS,
      name: 'kube_horizontalpodautoscaler_spec_min_replicas',
      help: `${S}Lower limit for the number of pods that can be set by the autoscaler, default 1.`,
    }, { labels: hpa, path: ['spec', 'minReplicas'], fallback: 1 }),
  countFamily(
    {
      key: HPAS,
      name: 'kube_horizontalpodautoscaler_status_current_replicas',
      help: `${S}Current number of replicas of pods managed by this autoscaler.`,
    }, { labels: hpa, path: ['status', 'currentReplicas'], fallback: 0 }),
  countFamily(
    {
      key: HPAS,
      name: 'kube_horizontalpodautoscaler_status_desired_replicas',
      help: `${S}Desired number of replicas of pods managed by this autoscaler.`,
    }, { labels: hpa, path: ['status', 'desiredReplicas'], fallback: 0 }),
  kindFamily({ key: HPAS, name: 'kube_horizontalpodautoscaler_status_condition', help: `${S}The condition of this autoscaler.` }, (h) =>
    conditionSamples(hpa(h), conditionsAt(h, 'status', 'conditions')),
  ),
];
