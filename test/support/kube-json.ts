// SPDX-License-Identifier: Apache-2.0
// Reading `kubectl get -o json` output in tests, independently of the monitor's projections: the shapes of the
// fields the tests compare, a quantity parser of its own, the managing-workload walk over ownerReferences and a
// consistent snapshot of pods, nodes and workloads (taken again until nothing changed while the caller looked).
import { isDeepStrictEqual } from 'node:util';
import { kubectl } from './kubectl.ts';

export interface KOwnerRef {
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
}

export interface KMeta {
  name: string;
  namespace?: string;
  uid: string;
  resourceVersion: string;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  ownerReferences?: KOwnerRef[];
}

export interface KObject {
  kind: string;
  metadata: KMeta;
  spec?: Record<string, unknown>;
  status?: Record<string, unknown>;
}

export interface KResources {
  requests?: Record<string, string>;
  limits?: Record<string, string>;
}

export interface KContainer {
  name: string;
  resources?: KResources;
  /** `Always` on an init container makes it a sidecar. */
  restartPolicy?: string;
}

export interface KStateDetail {
  reason?: string;
  exitCode?: number;
}

export interface KContainerState {
  running?: Record<string, unknown>;
  waiting?: KStateDetail;
  terminated?: KStateDetail;
}

export interface KContainerStatus {
  name: string;
  ready: boolean;
  restartCount: number;
  state?: KContainerState;
  lastState?: KContainerState;
}

export interface KCondition {
  type: string;
  status: string;
  reason?: string;
}

export interface KPod extends KObject {
  spec: { nodeName?: string; containers: KContainer[]; initContainers?: KContainer[] };
  status: {
    phase?: string;
    qosClass?: string;
    conditions?: KCondition[];
    containerStatuses?: KContainerStatus[];
    initContainerStatuses?: KContainerStatus[];
  };
}

export interface KTaint {
  key: string;
  value?: string;
  effect: string;
}

export interface KNode extends KObject {
  spec: { unschedulable?: boolean; taints?: KTaint[] };
  status: {
    capacity?: Record<string, string>;
    allocatable?: Record<string, string>;
    conditions?: KCondition[];
    nodeInfo?: { kubeletVersion?: string };
    addresses?: { type: string; address: string }[];
  };
}

/** `kubectl get pods -A`, `get nodes` and `get deploy,sts,ds,rs,job,cronjob -A`, all as JSON. */
export interface KubeSnapshot {
  pods: KPod[];
  nodes: KNode[];
  workloads: KObject[];
}

const DECIMAL_SUFFIX: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIX: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

/**
 * A quantity's value times 10^scale (scale 3: CPU in millicores). The digits are kept as an integer and the power of
 * ten applied once, by multiplication or by an exact division, so "1.001" at scale 3 is exactly 1001.
 */
export function quantity(text: string | undefined, scale = 0): number | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+)|([A-Za-z]*))$/.exec(text);
  const suffix = m?.[4] ?? '';
  if (!m || (m[3] === undefined && DECIMAL_SUFFIX[suffix] === undefined && BINARY_SUFFIX[suffix] === undefined)) {
    throw new Error(`kubectl printed a quantity the test cannot read: ${text}`);
  }
  const fraction = m[2] ?? '';
  const pow10 = scale - fraction.length + (m[3] !== undefined ? Number(m[3]) : (DECIMAL_SUFFIX[suffix] ?? 0));
  const digits = Number(`${m[1]}${fraction}`);
  const value = pow10 >= 0 ? digits * 10 ** pow10 : digits / 10 ** -pow10;
  return value * 2 ** (BINARY_SUFFIX[suffix] ?? 0);
}

/**
 * A node's roles as `kubectl get nodes` prints them: `node-role.kubernetes.io/<role>` keys and the value of the
 * legacy `kubernetes.io/role` label, each once, sorted.
 */
export function nodeRoles(labels: Record<string, string>): string[] {
  const prefix = 'node-role.kubernetes.io/';
  const fromKeys = Object.keys(labels).filter((k) => k.startsWith(prefix) && k.length > prefix.length).map((k) => k.slice(prefix.length));
  const legacy = labels['kubernetes.io/role'];
  return [...new Set([...fromKeys, ...(legacy ? [legacy] : [])])].sort();
}

/** The managing owner reference: the one marked controller, else the first. */
export function controllerRef(meta: KMeta): KOwnerRef | undefined {
  const refs = meta.ownerReferences ?? [];
  return refs.find((r) => r.controller === true) ?? refs[0];
}

/**
 * The workload a pod belongs to, by walking the ownerReferences in kubectl's JSON: Pod → ReplicaSet → Deployment,
 * Pod → Job → CronJob, StatefulSet and DaemonSet directly, and a bare (or static, Node-owned) pod is its own.
 */
export function workloadOfPod(pod: KPod, workloads: readonly KObject[]): { kind: string; name: string } {
  const ns = pod.metadata.namespace;
  const own = controllerRef(pod.metadata);
  if (!own || own.kind === 'Node') return { kind: 'Pod', name: pod.metadata.name };
  const owner = workloads.find((w) => w.kind === own.kind && w.metadata.namespace === ns && w.metadata.name === own.name);
  if (!owner) throw new Error(`kubectl lists no ${own.kind} ${ns}/${own.name} owning pod ${pod.metadata.name}`);
  if (owner.metadata.uid !== own.uid) throw new Error(`pod ${ns}/${pod.metadata.name} refers to another ${own.kind} ${own.name}`);
  if (own.kind !== 'ReplicaSet' && own.kind !== 'Job') return { kind: own.kind, name: own.name };
  const parent = controllerRef(owner.metadata);
  return parent ? { kind: parent.kind, name: parent.name } : { kind: own.kind, name: own.name };
}

async function getItems<T>(kubeconfig: string, args: string[]): Promise<T[]> {
  const r = await kubectl(kubeconfig, ['get', ...args, '-o', 'json']);
  if (r.code !== 0) throw new Error(`kubectl get ${args.join(' ')} failed:\n${r.stderr}`);
  return (JSON.parse(r.stdout) as { items: T[] }).items;
}

export async function kubeSnapshot(kubeconfig: string): Promise<KubeSnapshot> {
  const [pods, nodes, workloads] = await Promise.all([
    getItems<KPod>(kubeconfig, ['pods', '-A']),
    getItems<KNode>(kubeconfig, ['nodes']),
    getItems<KObject>(kubeconfig, ['deploy,sts,ds,rs,job,cronjob', '-A']),
  ]);
  return { pods, nodes, workloads };
}

/** Every object's uid and resourceVersion: equal signatures mean nothing was added, changed or deleted. */
function signature(s: KubeSnapshot): string[] {
  return [...s.pods, ...s.nodes, ...s.workloads].map((o) => `${o.kind}/${o.metadata.uid}@${o.metadata.resourceVersion}`).sort();
}

export interface Consistent<V> {
  kube: KubeSnapshot;
  view: V;
  /** Tries it took until the cluster held still from the snapshot before to the one after the capture. */
  attempts: number;
}

/**
 * Takes kubectl's snapshot, lets the watcher under test catch up, captures its view, and takes kubectl's snapshot
 * again: when both snapshots are the same objects at the same resourceVersions, the view was taken of that state.
 */
export async function consistentSnapshot<V>(kubeconfig: string, capture: () => Promise<V>, opts: { settleMs: number; tries: number }): Promise<Consistent<V>> {
  for (let attempt = 1; attempt <= opts.tries; attempt++) {
    const before = await kubeSnapshot(kubeconfig);
    await new Promise((r) => setTimeout(r, opts.settleMs));
    const view = await capture();
    const after = await kubeSnapshot(kubeconfig);
    if (isDeepStrictEqual(signature(before), signature(after))) return { kube: after, view, attempts: attempt };
  }
  throw new Error(`the simulated cluster kept changing across ${opts.tries} snapshots`);
}
