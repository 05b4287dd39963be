// SPDX-License-Identifier: Apache-2.0
// The mutable context the builders share while a cluster is built: the store, the random source, the event
// recorder and the collections the runtime receives at the end.
import type { ObjectStoreApi } from '../object-store.ts';
import type { ChurnGroup, CronJobRuntime, PodOwnerInfo, RunningContainer, RunningJob } from './built-types.ts';
import type { ClusterIpAllocator } from './build-services.ts';
import type { StorageContext } from './build-storage.ts';
import type { EventRecorder } from './events.ts';
import type { FailureScript } from './failures/types.ts';
import type { LogProfileIndex } from './log-index.ts';
import type { WorkloadPlan } from './plan.ts';
import type { ResolvedTemplate } from './pod-template.ts';
import type { Rng } from './rng.ts';

export interface PodSink {
  store: ObjectStoreApi;
  nowMs: number;
  rng: Rng;
  recorder: EventRecorder;
  scripts: FailureScript[];
  containers: RunningContainer[];
  logs: LogProfileIndex;
}

export interface NamespaceBuildEnv extends PodSink {
  storage: StorageContext;
  ips: ClusterIpAllocator;
  churn: ChurnGroup[];
  jobs: RunningJob[];
  cronJobs: CronJobRuntime[];
  churnEnabled: boolean;
  owners: Map<string, PodOwnerInfo>;
  /** Resolved template of a workload that has no pods right now (a CronJob between runs). */
  templateFor: (w: WorkloadPlan) => ResolvedTemplate;
}
