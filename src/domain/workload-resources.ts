// SPDX-License-Identifier: Apache-2.0
// Compact projections of the workload kinds (apps/v1, batch/v1, autoscaling/v2, policy/v1, networking.k8s.io/v1):
// only the fields analyses need. The core kinds are in resources.ts.
import type { ObjectBase, Condition, LabelSelector } from './resources.ts';

/** Replica counts shared by the apps/v1 controllers. */
export interface ReplicaCounts {
  /** Desired (`spec.replicas`; the API defaults it to 1). */
  readonly replicas: number;
  readonly readyReplicas: number;
  readonly availableReplicas: number;
  readonly updatedReplicas: number;
  readonly currentReplicas: number;
}

/** Deployment (apps/v1). */
export interface Deployment extends ObjectBase, ReplicaCounts {
  readonly namespace: string;
  readonly selector: LabelSelector;
  /** `RollingUpdate` or `Recreate`. */
  readonly strategy: string;
  readonly maxSurge?: number | string;
  readonly maxUnavailable?: number | string;
  readonly progressDeadlineSeconds?: number;
  readonly unavailableReplicas: number;
  readonly conditions: readonly Condition[];
  readonly generation?: number;
  readonly observedGeneration?: number;
}

/** ReplicaSet (apps/v1). */
export interface ReplicaSet extends ObjectBase, ReplicaCounts {
  readonly namespace: string;
  readonly selector: LabelSelector;
  /** The `deployment.kubernetes.io/revision` annotation. */
  readonly revision?: number;
}

/** A StatefulSet volumeClaimTemplate. */
export interface ClaimTemplate {
  readonly name: string;
  readonly requestedBytes?: number;
  readonly storageClassName?: string;
}

/** StatefulSet (apps/v1). */
export interface StatefulSet extends ObjectBase, ReplicaCounts {
  readonly namespace: string;
  readonly selector: LabelSelector;
  readonly serviceName?: string;
  /** `OrderedReady` or `Parallel`. */
  readonly podManagementPolicy?: string;
  readonly updateStrategy?: string;
  readonly partition?: number;
  readonly volumeClaimTemplates: readonly ClaimTemplate[];
}

/** DaemonSet (apps/v1). */
export interface DaemonSet extends ObjectBase {
  readonly namespace: string;
  readonly selector: LabelSelector;
  readonly updateStrategy?: string;
  readonly maxUnavailable?: number | string;
  readonly desiredNumberScheduled: number;
  readonly currentNumberScheduled: number;
  readonly numberReady: number;
  readonly numberAvailable: number;
  readonly numberUnavailable: number;
  readonly numberMisscheduled: number;
  readonly updatedNumberScheduled: number;
}

/** Job (batch/v1). */
export interface Job extends ObjectBase {
  readonly namespace: string;
  readonly completions?: number;
  readonly parallelism?: number;
  readonly backoffLimit?: number;
  readonly activeDeadlineSeconds?: number;
  readonly active: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly startedAtMs?: number;
  readonly completedAtMs?: number;
  /** `Complete`, `Failed` (reasons `BackoffLimitExceeded`, `DeadlineExceeded`), `Suspended`. */
  readonly conditions: readonly Condition[];
}

/** CronJob (batch/v1). */
export interface CronJob extends ObjectBase {
  readonly namespace: string;
  readonly schedule: string;
  readonly timeZone?: string;
  readonly suspend: boolean;
  readonly concurrencyPolicy?: string;
  readonly lastScheduleAtMs?: number;
  readonly lastSuccessfulAtMs?: number;
  /** Jobs currently running. */
  readonly active: number;
}

/** One `metrics[]` entry of an HPA; only resource and container-resource targets carry the optional fields. */
export interface HpaMetric {
  /** `Resource`, `ContainerResource`, `Pods`, `Object`, `External`. */
  readonly type: string;
  /** `cpu` or `memory` for resource metrics. */
  readonly resource?: string;
  readonly container?: string;
  /** `Utilization`, `AverageValue` or `Value`. */
  readonly targetType?: string;
  /** Percent of requests. */
  readonly averageUtilization?: number;
  /** Per-pod average, millicores for `cpu`, bytes for `memory`. */
  readonly averageValue?: number;
}

/** HorizontalPodAutoscaler (autoscaling/v2). */
export interface HorizontalPodAutoscaler extends ObjectBase {
  readonly namespace: string;
  readonly scaleTargetRef: { readonly kind: string; readonly name: string };
  readonly minReplicas: number;
  readonly maxReplicas: number;
  readonly metrics: readonly HpaMetric[];
  readonly hasBehavior: boolean;
  readonly currentReplicas: number;
  readonly desiredReplicas: number;
  /** `AbleToScale`, `ScalingActive`, `ScalingLimited`. */
  readonly conditions: readonly Condition[];
}

/** PodDisruptionBudget (policy/v1). */
export interface PodDisruptionBudget extends ObjectBase {
  readonly namespace: string;
  readonly selector: LabelSelector;
  readonly minAvailable?: number | string;
  readonly maxUnavailable?: number | string;
  readonly disruptionsAllowed: number;
  readonly currentHealthy: number;
  readonly desiredHealthy: number;
  readonly expectedPods: number;
}

/** NetworkPolicy (networking.k8s.io/v1). */
export interface NetworkPolicy extends ObjectBase {
  readonly namespace: string;
  readonly podSelector: LabelSelector;
  /** `Ingress` and/or `Egress`. */
  readonly policyTypes: readonly string[];
  readonly ingressRules: number;
  readonly egressRules: number;
}
