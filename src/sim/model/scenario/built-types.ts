// SPDX-License-Identifier: Apache-2.0
// What buildCluster hands to the runtime: the containers to register with the usage engine, nodes and volumes,
// per-container log profiles, failure scripts, churn and Job bookkeeping, and the event recorder to keep using.
import type { UsageProfile } from '../../usage/profiles.ts';
import type { OwnerReference, StringMap } from '../kube-types.ts';
import type { OwnerKind } from './plan.ts';
import type { EventRecorder } from './events.ts';
import type { FailureScript } from './failures/types.ts';
import type { NodeRecord } from './node-record.ts';
import type { ResolvedTemplate } from './pod-template.ts';
import type { LogProfile } from './schema-workload.ts';
import type { LogProfileIndex } from './log-index.ts';

/** A running container, in the shape UsageEngine.addContainer takes (cores and bytes), plus its log profile. */
export interface RunningContainer {
  namespace: string;
  pod: string;
  container: string;
  node: string;
  profile: UsageProfile;
  requests: { cpuCores: number; memoryBytes: number };
  limits: { cpuCores?: number; memoryBytes?: number };
  startedAtMs: number;
  logProfile: LogProfile;
}

export interface BuiltNode {
  name: string;
  pool: string;
  zone: string;
  instanceType: string;
  internalIP: string;
  cpuCores: number;
  memoryBytes: number;
  allocatableCpuCores: number;
  allocatableMemoryBytes: number;
  ephemeralStorageBytes: number;
  maxPods: number;
  bootTimeMs: number;
}

/** A bound PersistentVolumeClaim with its fill model, in the shape UsageEngine.addVolume takes. */
export interface BuiltVolume {
  namespace: string;
  claim: string;
  capacityBytes: number;
  fillBytesPerHour: number;
  initialUsedBytes: number;
  /** Pod mounting it, and its node, when one runs. */
  pod?: string;
  node?: string;
}

/** Pods of one churn-enabled controller: the runtime deletes and recreates them with new names. */
export interface ChurnGroup {
  namespace: string;
  ownerName: string;
  rt: ResolvedTemplate;
  labels: StringMap;
  ownerRefs?: OwnerReference[];
  pods: { name: string; node: NodeRecord; podIP: string }[];
}

/** A Job with running pods that completes at endMs. */
export interface RunningJob {
  namespace: string;
  name: string;
  cronJob?: string;
  pods: string[];
  endMs: number;
}

/** A CronJob whose next run the runtime creates. */
export interface CronJobRuntime {
  namespace: string;
  name: string;
  schedule: string;
  nextMs: number;
  jobs: string[];
  rt: ResolvedTemplate;
  labels: StringMap;
  durationMs: number;
}

export interface BuildStats {
  namespaces: number;
  nodes: number;
  pods: number;
  pendingPods: number;
  runningContainers: number;
  events: number;
}

export interface BuiltCluster {
  /** Scenario time the cluster was built at (epoch ms); scripted times are relative to it. */
  nowMs: number;
  seed: number;
  nodes: BuiltNode[];
  containers: RunningContainer[];
  volumes: BuiltVolume[];
  logs: LogProfileIndex;
  scripts: FailureScript[];
  churn: ChurnGroup[];
  jobs: RunningJob[];
  cronJobs: CronJobRuntime[];
  recorder: EventRecorder;
  nodeRecords: NodeRecord[];
  /** ReplicaSets by uid, so the runtime can create replacements for their pods. */
  owners: Map<string, PodOwnerInfo>;
  stats: BuildStats;
}

/** What a pod needs from its owner; built from a plan group at build time and kept for churn at run time. */
export interface PodOwnerInfo {
  namespace: string;
  rt: ResolvedTemplate;
  labels: StringMap;
  annotations?: StringMap;
  ownerRefs?: OwnerReference[];
  ownerKind?: OwnerKind;
  ownerName: string;
  /** `<ownerName>-`, shared by the owner's pods. */
  generateName?: string;
}
