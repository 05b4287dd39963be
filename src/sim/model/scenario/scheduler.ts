// SPDX-License-Identifier: Apache-2.0
// Places pods onto nodes as kube-scheduler would for a cluster coming up: static filters (cordon, taints, node
// selector and required affinity), then NodeResourcesFit against allocatable minus the requests already placed,
// and the pods-per-node limit. Placement spreads pods over eligible nodes with one rotating cursor, which is what
// LeastAllocated scoring converges to for similar pods, in O(1) amortised per pod rather than a scan of every node.
// A pod that fits nowhere gets the FitError message the real scheduler writes into PodScheduled and the
// FailedScheduling event.
import type { NodeRecord } from './node-record.ts';
import { staticFilterReason, type PodPlacementTraits } from './node-match.ts';
import { fitErrorMessage, type NodeVerdict } from './scheduler-message.ts';

export interface SchedulingRequest extends PodPlacementTraits {
  cpuMilli: number;
  memoryBytes: number;
  /** The pod uses a claim that cannot bind (VolumeBinding PreFilter fails before any node is tried). */
  unboundImmediateClaims?: boolean;
  /** Identity of the static traits (tolerations, selector, affinity): requests with equal keys share caches. */
  traitsKey: string;
}

export type Placement = { node: NodeRecord; message?: undefined } | { node?: undefined; message: string };

interface TraitsCache {
  eligible: NodeRecord[];
  /** Requests that found no node: a request at least as big in every dimension cannot fit either. */
  failed: { cpuMilli: number; memoryBytes: number }[];
}

const HOSTNAME = 'kubernetes.io/hostname';

/** Why the node cannot take the pod's resources (NodeResourcesFit reports every shortage, pods first). */
export function resourceReasons(node: NodeRecord, req: { cpuMilli: number; memoryBytes: number }): string[] {
  const out: string[] = [];
  if (node.usedPods + 1 > node.allocPods) out.push('Too many pods');
  if (req.cpuMilli > 0 && node.usedCpuMilli + req.cpuMilli > node.allocCpuMilli) out.push('Insufficient cpu');
  if (req.memoryBytes > 0 && node.usedMemoryBytes + req.memoryBytes > node.allocMemoryBytes) out.push('Insufficient memory');
  return out;
}

function fits(node: NodeRecord, req: { cpuMilli: number; memoryBytes: number }): boolean {
  return (
    node.usedPods < node.allocPods &&
    node.usedCpuMilli + req.cpuMilli <= node.allocCpuMilli &&
    node.usedMemoryBytes + req.memoryBytes <= node.allocMemoryBytes
  );
}

function usesHostname(req: PodPlacementTraits): boolean {
  return (req.nodeSelector?.[HOSTNAME] !== undefined) || (req.required ?? []).some((r) => r.key === HOSTNAME);
}

/** Nodes that share everything the static filters look at, except their hostname. */
function classKey(node: NodeRecord): string {
  const labels = Object.entries(node.labels).filter(([k]) => k !== HOSTNAME);
  return JSON.stringify([labels, node.taints.map((t) => [t.key, t.value, t.effect]), node.unschedulable]);
}

export class Scheduler {
  private readonly byTraits = new Map<string, TraitsCache>();
  private readonly messages = new Map<string, string>();
  private readonly classKeys: string[];
  private cursor = 0;

  constructor(private readonly nodes: readonly NodeRecord[]) {
    this.classKeys = nodes.map(classKey);
  }

  /** Finds a node and reserves the pod's requests on it, or explains why none fits. */
  schedule(req: SchedulingRequest): Placement {
    if (req.unboundImmediateClaims) return { message: this.failure(req) };
    const cache = this.traits(req);
    const hopeless = cache.failed.some((f) => req.cpuMilli >= f.cpuMilli && req.memoryBytes >= f.memoryBytes);
    const n = cache.eligible.length;
    if (!hopeless && n > 0) {
      const start = this.cursor++ % n;
      for (let i = 0; i < n; i++) {
        const node = cache.eligible[(start + i) % n] as NodeRecord;
        if (fits(node, req)) {
          reserve(node, req);
          return { node };
        }
      }
      cache.failed.push({ cpuMilli: req.cpuMilli, memoryBytes: req.memoryBytes });
    }
    return { message: this.failure(req) };
  }

  /**
   * Binds a pod to one given node (DaemonSet pods carry node affinity to their node): reserves and returns the
   * placement, or the message for a pod that only that node could take.
   */
  bindTo(node: NodeRecord, req: SchedulingRequest): Placement {
    const reasons = resourceReasons(node, req);
    if (reasons.length === 0) {
      reserve(node, req);
      return { node };
    }
    const verdicts: NodeVerdict[] = this.nodes.map((n) =>
      n === node ? { reasons, resolvable: true } : { reasons: ["node(s) didn't match Pod's node affinity/selector"], resolvable: false },
    );
    return { message: fitErrorMessage(verdicts) };
  }

  private traits(req: SchedulingRequest): TraitsCache {
    let cache = this.byTraits.get(req.traitsKey);
    if (cache) return cache;
    const perClass = new Map<string, boolean>();
    const hostnameDependent = usesHostname(req);
    const eligible = this.nodes.filter((node, i) => {
      const key = this.classKeys[i] as string;
      let ok = hostnameDependent ? undefined : perClass.get(key);
      if (ok === undefined) {
        ok = staticFilterReason(node, req) === undefined;
        if (!hostnameDependent) perClass.set(key, ok);
      }
      return ok;
    });
    cache = { eligible, failed: [] };
    this.byTraits.set(req.traitsKey, cache);
    return cache;
  }

  private failure(req: SchedulingRequest): string {
    const key = `${req.traitsKey}\u0000${req.cpuMilli}\u0000${req.memoryBytes}\u0000${req.unboundImmediateClaims === true}`;
    let message = this.messages.get(key);
    if (message === undefined) {
      message = req.unboundImmediateClaims ? fitErrorMessage(this.nodes.map(() => ({ reasons: [], resolvable: false })), 'pod has unbound immediate PersistentVolumeClaims') : fitErrorMessage(this.nodes.map((n) => verdict(n, req)));
      this.messages.set(key, message);
    }
    return message;
  }
}

function verdict(node: NodeRecord, req: SchedulingRequest): NodeVerdict {
  const reason = staticFilterReason(node, req);
  if (reason) return { reasons: [reason], resolvable: false };
  return { reasons: resourceReasons(node, req), resolvable: true };
}

function reserve(node: NodeRecord, req: { cpuMilli: number; memoryBytes: number }): void {
  node.usedPods++;
  node.usedCpuMilli += req.cpuMilli;
  node.usedMemoryBytes += req.memoryBytes;
}

/** Returns a pod's requests to its node (the pod was deleted or finished). */
export function releaseFromNode(node: NodeRecord, req: { cpuMilli: number; memoryBytes: number }): void {
  node.usedPods = Math.max(0, node.usedPods - 1);
  node.usedCpuMilli = Math.max(0, node.usedCpuMilli - req.cpuMilli);
  node.usedMemoryBytes = Math.max(0, node.usedMemoryBytes - req.memoryBytes);
}
