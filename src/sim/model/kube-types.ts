// SPDX-License-Identifier: Apache-2.0
// JSON shapes of the Kubernetes objects the simulator produces, as they appear on the wire (timestamps are RFC 3339
// strings, quantities are strings). Only the fields the simulator sets are typed; objects may carry more.

/** Labels, annotations, selectors, resource lists ("cpu" → "500m"). */
export type StringMap = Record<string, string>;

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  generateName?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: StringMap;
  annotations?: StringMap;
  ownerReferences?: OwnerReference[];
  finalizers?: string[];
  deletionGracePeriodSeconds?: number;
}

/** Any object of a served kind. `apiVersion` and `kind` are always set. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

export interface ResourceRequirements {
  requests?: StringMap;
  limits?: StringMap;
}

export interface Container {
  name: string;
  image: string;
  resources?: ResourceRequirements;
  [field: string]: unknown;
}

export interface ContainerStateRunning { startedAt: string }
export interface ContainerStateWaiting { reason: string; message?: string }
export interface ContainerStateTerminated {
  exitCode: number;
  reason?: string;
  message?: string;
  startedAt?: string;
  finishedAt?: string;
  containerID?: string;
  signal?: number;
}
export interface ContainerState {
  running?: ContainerStateRunning;
  waiting?: ContainerStateWaiting;
  terminated?: ContainerStateTerminated;
}

export interface ContainerStatus {
  name: string;
  image: string;
  imageID: string;
  containerID?: string;
  ready: boolean;
  started?: boolean;
  restartCount: number;
  state: ContainerState;
  lastState: ContainerState;
  [field: string]: unknown;
}

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
  lastProbeTime?: string | null;
  lastHeartbeatTime?: string;
  lastUpdateTime?: string;
  observedGeneration?: number;
}

export interface PodSpec {
  containers: Container[];
  initContainers?: Container[];
  nodeName?: string;
  nodeSelector?: StringMap;
  [field: string]: unknown;
}

export interface PodStatus {
  phase: 'Pending' | 'Running' | 'Succeeded' | 'Failed' | 'Unknown';
  reason?: string;
  message?: string;
  conditions?: Condition[];
  containerStatuses?: ContainerStatus[];
  initContainerStatuses?: ContainerStatus[];
  qosClass?: 'Guaranteed' | 'Burstable' | 'BestEffort';
  hostIP?: string;
  podIP?: string;
  startTime?: string;
  [field: string]: unknown;
}

export interface Pod extends KubeObject {
  spec: PodSpec;
  status: PodStatus;
}

export interface NodeStatus {
  capacity: StringMap;
  allocatable: StringMap;
  conditions: Condition[];
  addresses: { type: string; address: string }[];
  nodeInfo: StringMap;
  [field: string]: unknown;
}

export interface Node extends KubeObject {
  spec: { taints?: { key: string; value?: string; effect: string }[]; unschedulable?: boolean; [f: string]: unknown };
  status: NodeStatus;
}

/** Core v1 Event. */
export interface CoreEvent extends KubeObject {
  involvedObject: { kind: string; namespace?: string; name: string; uid?: string; apiVersion?: string; fieldPath?: string };
  reason: string;
  message: string;
  type: 'Normal' | 'Warning';
  count?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  source?: { component?: string; host?: string };
}

// ---- Kinds the scenario model builds (src/sim/model/scenario). Only the fields it sets are typed. ----

export interface Taint {
  key: string;
  value?: string;
  effect: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  timeAdded?: string;
}

export interface Toleration {
  key?: string;
  operator?: 'Exists' | 'Equal';
  value?: string;
  effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
  tolerationSeconds?: number;
}

export interface NodeSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist' | 'Gt' | 'Lt';
  values?: string[];
}

export interface LabelSelector {
  matchLabels?: StringMap;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export interface Namespace extends KubeObject {
  spec: { finalizers: string[] };
  status: { phase: 'Active' | 'Terminating' };
}

export interface ConfigMap extends KubeObject {
  data?: StringMap;
}

export interface PodTemplateSpec {
  metadata: { labels?: StringMap; annotations?: StringMap; creationTimestamp?: null };
  spec: PodSpec;
}

export interface Deployment extends KubeObject {
  spec: { replicas: number; selector: LabelSelector; template: PodTemplateSpec; [field: string]: unknown };
  status: { replicas?: number; readyReplicas?: number; availableReplicas?: number; conditions?: Condition[]; [field: string]: unknown };
}

export interface ReplicaSet extends KubeObject {
  spec: { replicas: number; selector: LabelSelector; template: PodTemplateSpec; [field: string]: unknown };
  status: { replicas: number; readyReplicas?: number; availableReplicas?: number; [field: string]: unknown };
}

export interface StatefulSet extends KubeObject {
  spec: { replicas: number; serviceName: string; selector: LabelSelector; template: PodTemplateSpec; [field: string]: unknown };
  status: { replicas: number; readyReplicas?: number; [field: string]: unknown };
}

export interface DaemonSet extends KubeObject {
  spec: { selector: LabelSelector; template: PodTemplateSpec; [field: string]: unknown };
  status: { desiredNumberScheduled: number; numberReady: number; [field: string]: unknown };
}

export interface Job extends KubeObject {
  spec: { template: PodTemplateSpec; completions?: number; parallelism?: number; backoffLimit?: number; [field: string]: unknown };
  status: { active?: number; succeeded?: number; failed?: number; conditions?: Condition[]; [field: string]: unknown };
}

export interface CronJob extends KubeObject {
  spec: { schedule: string; jobTemplate: { metadata?: Record<string, unknown>; spec: Job['spec'] }; [field: string]: unknown };
  status: { lastScheduleTime?: string; lastSuccessfulTime?: string; active?: ObjectReference[]; [field: string]: unknown };
}

export interface ObjectReference {
  apiVersion?: string;
  kind?: string;
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  fieldPath?: string;
}

export interface Service extends KubeObject {
  spec: { type: string; clusterIP: string; selector?: StringMap; ports: { name?: string; port: number; protocol: string; targetPort: number | string }[]; [field: string]: unknown };
  status: { loadBalancer: Record<string, unknown> };
}

export interface EndpointAddress {
  ip: string;
  nodeName?: string;
  targetRef?: ObjectReference;
}

export interface Endpoints extends KubeObject {
  subsets?: { addresses?: EndpointAddress[]; notReadyAddresses?: EndpointAddress[]; ports?: { name?: string; port: number; protocol: string }[] }[];
}

export interface EndpointSlice extends KubeObject {
  addressType: 'IPv4' | 'IPv6' | 'FQDN';
  endpoints: { addresses: string[]; conditions: { ready?: boolean; serving?: boolean; terminating?: boolean }; nodeName?: string; zone?: string; targetRef?: ObjectReference }[];
  ports?: { name?: string; port: number; protocol: string }[];
}

export interface PersistentVolumeClaim extends KubeObject {
  spec: { accessModes: string[]; resources: { requests: StringMap }; storageClassName?: string; volumeName?: string; volumeMode?: string };
  status: { phase: 'Pending' | 'Bound' | 'Lost'; accessModes?: string[]; capacity?: StringMap };
}

export interface PersistentVolume extends KubeObject {
  spec: { capacity: StringMap; accessModes: string[]; claimRef?: ObjectReference; storageClassName?: string; persistentVolumeReclaimPolicy: string; [field: string]: unknown };
  status: { phase: 'Available' | 'Bound' | 'Released' | 'Failed'; lastPhaseTransitionTime?: string };
}

export interface StorageClass extends KubeObject {
  provisioner: string;
  reclaimPolicy?: string;
  volumeBindingMode?: string;
  allowVolumeExpansion?: boolean;
  parameters?: StringMap;
}

export interface ResourceQuota extends KubeObject {
  spec: { hard: StringMap };
  status: { hard?: StringMap; used?: StringMap };
}

export interface LimitRange extends KubeObject {
  spec: { limits: { type: string; default?: StringMap; defaultRequest?: StringMap; max?: StringMap; min?: StringMap }[] };
}

export interface HorizontalPodAutoscaler extends KubeObject {
  spec: { scaleTargetRef: { apiVersion: string; kind: string; name: string }; minReplicas?: number; maxReplicas: number; metrics?: unknown[] };
  status: { currentReplicas: number; desiredReplicas: number; currentMetrics?: unknown[]; conditions?: Condition[]; lastScaleTime?: string };
}

export interface PodDisruptionBudget extends KubeObject {
  spec: { minAvailable?: number | string; maxUnavailable?: number | string; selector: LabelSelector };
  status: { currentHealthy: number; desiredHealthy: number; disruptionsAllowed: number; expectedPods: number; conditions?: Condition[]; [field: string]: unknown };
}

export interface Lease extends KubeObject {
  spec: { holderIdentity?: string; leaseDurationSeconds?: number; renewTime?: string; acquireTime?: string; leaseTransitions?: number };
}
