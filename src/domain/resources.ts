// SPDX-License-Identifier: Apache-2.0
// Compact projections of the Kubernetes objects the product watches (REQUIREMENTS §1.2): only the fields the
// analyses use. Quantities are numbers with units in their names (CPU in millicores, memory and storage in bytes),
// timestamps are epoch milliseconds, and there is no managedFields, no last-applied annotation and no status block
// nobody reads. Objects are immutable snapshots; a change replaces the whole projection.

/** `namespace/name` for namespaced objects, `name` for cluster-scoped ones. Unique per kind. */
export type ObjectKey = string;

/** Values per resource name: `cpu` (and `requests.cpu`, `limits.cpu`) in millicores, memory and storage in bytes, counts as counts. */
export type ResourceValues = Readonly<Record<string, number>>;

/** An `ownerReferences` entry. */
export interface OwnerRef {
  readonly kind: string;
  readonly name: string;
  readonly uid: string;
  /** The managing controller (at most one owner has it). */
  readonly controller: boolean;
}

/** Fields every projection has. */
export interface ObjectBase {
  readonly key: ObjectKey;
  readonly uid: string;
  readonly name: string;
  /** Undefined for cluster-scoped kinds. */
  readonly namespace?: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Only the annotations REQUIREMENTS §1.2 names (e.g. `prometheus.io/*`, `deployment.kubernetes.io/revision`). */
  readonly annotations: Readonly<Record<string, string>>;
  readonly owners: readonly OwnerRef[];
  /** creationTimestamp, epoch ms. */
  readonly createdAtMs?: number;
  /** deletionTimestamp, epoch ms: the object is terminating. */
  readonly deletingAtMs?: number;
}

/** A status condition. Times are epoch ms. */
export interface Condition {
  readonly type: string;
  /** `True`, `False` or `Unknown`. */
  readonly status: string;
  readonly reason?: string;
  readonly message?: string;
  readonly lastTransitionAtMs?: number;
  /** Node conditions only. */
  readonly lastHeartbeatAtMs?: number;
}

/** A label selector; an empty selector matches everything. */
export interface LabelSelector {
  readonly matchLabels: Readonly<Record<string, string>>;
  readonly matchExpressions: readonly { readonly key: string; readonly operator: string; readonly values: readonly string[] }[];
}

/** Requests or limits of a container. Absent fields were not set. */
export interface ContainerResources {
  readonly cpuMillicores?: number;
  readonly memoryBytes?: number;
  readonly ephemeralStorageBytes?: number;
}

/** The spec of one container. */
export interface ContainerSpec {
  readonly name: string;
  readonly image: string;
  readonly requests: ContainerResources;
  readonly limits: ContainerResources;
  readonly livenessProbe: boolean;
  readonly readinessProbe: boolean;
  readonly startupProbe: boolean;
  readonly privileged: boolean;
  readonly preStopHook: boolean;
  /** `Always` marks a native sidecar among init containers. */
  readonly restartPolicy?: string;
}

/** A container's current state. `kind` is `running`, `waiting`, `terminated` or `unknown` (no state yet). */
export interface ContainerState {
  readonly kind: 'running' | 'waiting' | 'terminated' | 'unknown';
  /** `CrashLoopBackOff`, `ImagePullBackOff`, `OOMKilled`, `Completed`, `Error`, … */
  readonly reason?: string;
  readonly message?: string;
  readonly exitCode?: number;
  readonly startedAtMs?: number;
  readonly finishedAtMs?: number;
}

/** The last termination of a container (`lastState.terminated`). */
export interface ContainerTermination {
  readonly reason?: string;
  readonly exitCode: number;
  readonly signal?: number;
  readonly startedAtMs?: number;
  readonly finishedAtMs?: number;
}

export interface ContainerStatus {
  readonly name: string;
  readonly ready: boolean;
  readonly restartCount: number;
  readonly started?: boolean;
  readonly state: ContainerState;
  readonly lastTermination?: ContainerTermination;
}

/** Pod (v1). */
export interface Pod extends ObjectBase {
  readonly namespace: string;
  readonly nodeName?: string;
  /** `Pending`, `Running`, `Succeeded`, `Failed`, `Unknown`. */
  readonly phase: string;
  /** `Evicted`, `NodeLost`, `Shutdown`, … */
  readonly reason?: string;
  readonly message?: string;
  /** `Guaranteed`, `Burstable`, `BestEffort`. */
  readonly qosClass?: string;
  readonly priorityClassName?: string;
  readonly terminationGracePeriodSeconds?: number;
  readonly hasAffinity: boolean;
  readonly topologySpreadConstraints: number;
  /** Names of the PersistentVolumeClaims the pod mounts. */
  readonly pvcNames: readonly string[];
  readonly conditions: readonly Condition[];
  readonly containers: readonly ContainerSpec[];
  readonly initContainers: readonly ContainerSpec[];
  readonly containerStatuses: readonly ContainerStatus[];
  readonly initContainerStatuses: readonly ContainerStatus[];
  readonly startedAtMs?: number;
}

/** A node taint. */
export interface Taint {
  readonly key: string;
  readonly value?: string;
  /** `NoSchedule`, `PreferNoSchedule`, `NoExecute`. */
  readonly effect: string;
}

/** Capacity or allocatable of a node. */
export interface NodeResources {
  readonly cpuMillicores?: number;
  readonly memoryBytes?: number;
  readonly pods?: number;
  readonly ephemeralStorageBytes?: number;
}

/** Node (v1). */
export interface Node extends ObjectBase {
  readonly unschedulable: boolean;
  readonly taints: readonly Taint[];
  readonly capacity: NodeResources;
  readonly allocatable: NodeResources;
  readonly conditions: readonly Condition[];
  /** `topology.kubernetes.io/zone`. */
  readonly zone?: string;
  /** `node.kubernetes.io/instance-type`. */
  readonly instanceType?: string;
  /** From `node-role.kubernetes.io/<role>` labels. */
  readonly roles: readonly string[];
  readonly kubeletVersion?: string;
  readonly internalIP?: string;
}

/** Namespace (v1). Labels carry `tenant`, `environment`, `cost-center`, pod-security levels. */
export interface Namespace extends ObjectBase {
  /** `Active` or `Terminating`. */
  readonly phase?: string;
}

/** The object an Event is about. */
export interface EventSubject {
  readonly kind?: string;
  readonly namespace?: string;
  readonly name?: string;
  readonly uid?: string;
  /** For events about a container: `spec.containers{name}`. */
  readonly fieldPath?: string;
}

/** Event (core v1). One stored Event is updated in place when it recurs (count and lastSeen grow). */
export interface KubeEvent extends ObjectBase {
  readonly namespace: string;
  /** `Normal` or `Warning`. */
  readonly type: string;
  readonly reason?: string;
  readonly message?: string;
  readonly subject: EventSubject;
  readonly count: number;
  readonly firstSeenAtMs?: number;
  readonly lastSeenAtMs?: number;
  readonly reportingComponent?: string;
  /**
   * Identity of the occurrence stream for history: the same subject, type, reason, reporter and message is one
   * deduplicated row even across Event objects (the API server's own correlator keys events the same way).
   */
  readonly dedupeKey: string;
}

/** ResourceQuota (v1). Keys like `requests.cpu`, `limits.memory`, `pods`. */
export interface ResourceQuota extends ObjectBase {
  readonly namespace: string;
  readonly hard: ResourceValues;
  readonly used: ResourceValues;
  readonly scopes: readonly string[];
  readonly hasScopeSelector: boolean;
}

/** One `limits[]` entry of a LimitRange. */
export interface LimitRangeItem {
  /** `Container`, `Pod` or `PersistentVolumeClaim`. */
  readonly type: string;
  readonly default: ResourceValues;
  readonly defaultRequest: ResourceValues;
  readonly min: ResourceValues;
  readonly max: ResourceValues;
  readonly maxLimitRequestRatio: ResourceValues;
}

/** LimitRange (v1). */
export interface LimitRange extends ObjectBase {
  readonly namespace: string;
  readonly limits: readonly LimitRangeItem[];
}

/** PersistentVolumeClaim (v1). */
export interface PersistentVolumeClaim extends ObjectBase {
  readonly namespace: string;
  readonly requestedBytes?: number;
  readonly capacityBytes?: number;
  readonly storageClassName?: string;
  readonly volumeName?: string;
  /** `Pending`, `Bound`, `Lost`. */
  readonly phase?: string;
  readonly accessModes: readonly string[];
  readonly conditions: readonly Condition[];
}

/** PersistentVolume (v1). */
export interface PersistentVolume extends ObjectBase {
  readonly capacityBytes?: number;
  readonly storageClassName?: string;
  readonly claimRef?: { readonly namespace?: string; readonly name: string };
  readonly reclaimPolicy?: string;
  /** `Available`, `Bound`, `Released`, `Failed`. */
  readonly phase?: string;
}

/** StorageClass (storage.k8s.io/v1). */
export interface StorageClass extends ObjectBase {
  readonly provisioner: string;
  readonly reclaimPolicy?: string;
  readonly volumeBindingMode?: string;
  readonly allowVolumeExpansion: boolean;
  /** The `storageclass.kubernetes.io/is-default-class` annotation is `true`. */
  readonly isDefault: boolean;
}

/** Service (v1). */
export interface Service extends ObjectBase {
  readonly namespace: string;
  /** `ClusterIP`, `NodePort`, `LoadBalancer`, `ExternalName`. */
  readonly type: string;
  /** Undefined for selector-less Services (endpoints managed by hand). */
  readonly selector?: Readonly<Record<string, string>>;
}

/**
 * EndpointSlice (discovery.k8s.io/v1): how many endpoints back its Service and how many of them are ready. The
 * endpoints themselves (addresses, nodes, target pods) are not kept: no analysis reads them, the pods say the same
 * of themselves, and at 150,000 pods their objects and strings were some 400,000 of the monitor's heap objects,
 * each visited by every full garbage collection.
 */
export interface EndpointSlice extends ObjectBase {
  readonly namespace: string;
  /** The `kubernetes.io/service-name` label. */
  readonly serviceName?: string;
  readonly endpoints: number;
  /** Endpoints whose `conditions.ready` is not false (an unset value means ready, as the API documents). */
  readonly readyEndpoints: number;
}
