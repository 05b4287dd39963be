// SPDX-License-Identifier: Apache-2.0
// The intermediate plan between the scenario file and the stored objects: namespaces with their workload
// instances, each with the groups of pods its controllers own (a ReplicaSet, a StatefulSet, a Job, ...) and, per
// pod, its name, state, node and IP. Planning everything first lets the scheduler place DaemonSets and system pods
// before the rest, and lets quotas and controller statuses be computed from the pods before anything is stored.
import type { OwnerReference, Pod, StringMap } from '../kube-types.ts';
import type { NodeRecord } from './node-record.ts';
import type { ResolvedTemplate } from './pod-template.ts';
import type { NamespaceSpec } from './schema.ts';
import type { WorkloadTemplate } from './schema-workload.ts';

export interface NamespacePlan {
  readonly name: string;
  readonly labels: StringMap;
  readonly annotations?: StringMap;
  readonly createdMs: number;
  /** The scenario entry (shared by every namespace a generator produced). */
  readonly body: Omit<NamespaceSpec, 'name' | 'generate'>;
  readonly generated: boolean;
  readonly system: boolean;
  readonly workloads: WorkloadPlan[];
}

/**
 * State of one planned pod: healthy, failing as the template's failure mode says, unschedulable, or terminal
 * (evicted, succeeded or failed Job pod).
 */
export type PodState = 'running' | 'failure' | 'unschedulable' | 'evicted' | 'succeeded' | 'job-failed';

export interface PodPlan {
  name: string;
  /** StatefulSet ordinal; -1 otherwise. */
  ordinal: number;
  state: PodState;
  createdMs: number;
  node?: NodeRecord;
  podIP?: string;
  /** FitError message for unschedulable pods. */
  message?: string;
  /** When a terminal pod finished (evicted, succeeded, failed). */
  endedMs?: number;
  /** The stored pod, once created. */
  pod?: Pod;
}

export type OwnerKind = 'ReplicaSet' | 'StatefulSet' | 'DaemonSet' | 'Job';

export interface PodGroup {
  readonly workload: WorkloadPlan;
  readonly rt: ResolvedTemplate;
  readonly ownerKind?: OwnerKind;
  /** Name of the owning controller (or of the bare pod). */
  readonly ownerName: string;
  /** When the controller (ReplicaSet, Job, ...) was created; healthy pods started with it. */
  readonly createdMs: number;
  readonly revision: number;
  /** spec.replicas of the owner (ReplicaSets) or completions (Jobs). */
  desired: number;
  readonly pods: PodPlan[];
  /** Pod labels shared by the group's pods (StatefulSet pods add their per-pod labels). */
  labels: StringMap;
  /** Filled once the owner exists in the store. */
  ownerRefs?: OwnerReference[];
  ownerUid?: string;
  /** Job state, for Jobs. */
  job?: { startMs: number; endMs?: number; outcome: 'running' | 'complete' | 'failed'; cronJob?: string; scheduledMs?: number };
  /** The pods use a claim that can never bind (missing StorageClass). */
  unboundClaims?: boolean;
  /** Old (scaled-down) or new (stuck) ReplicaSet of a rollout. */
  role: 'current' | 'old' | 'stuck-new';
}

export interface WorkloadPlan {
  readonly ns: NamespacePlan;
  readonly name: string;
  readonly template: WorkloadTemplate;
  readonly createdMs: number;
  /** Desired replicas (after the HPA). */
  readonly replicas: number;
  readonly groups: PodGroup[];
  /** Claims shared by all replicas (Deployments): pod volume name and claim name. */
  readonly sharedClaims: readonly { name: string; claimName: string }[];
  /** CronJob: scheduled times of its retained Jobs, newest first. */
  cronRuns?: number[];
}
