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
