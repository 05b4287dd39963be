// SPDX-License-Identifier: Apache-2.0
// Pod-level failure modes and the module implementing each. Workload-level modes (evicted pods next to running
// replicas, a rollout stuck past its deadline) are planned by the workload planner instead.
import type { PodFailureModule } from './types.ts';
import { crashLoop } from './crashloop.ts';
import { imagePull } from './image-pull.ts';
import { configError } from './config-error.ts';
import { livenessFailure, readinessFailure } from './probes.ts';
import { oomHistory } from './oom.ts';

export const POD_FAILURES = {
  crashloop: crashLoop,
  'image-pull': imagePull,
  'config-error': configError,
  liveness: livenessFailure,
  readiness: readinessFailure,
  oom: oomHistory,
} as const satisfies Record<string, PodFailureModule>;

export type PodFailureMode = keyof typeof POD_FAILURES;

export function isPodFailureMode(mode: string): mode is PodFailureMode {
  return Object.hasOwn(POD_FAILURES, mode);
}
