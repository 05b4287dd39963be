// SPDX-License-Identifier: Apache-2.0
// What a pod reserves on its node, by the scheduler's rule rather than a plain sum: init containers run one at a
// time before the app containers, while sidecars (init containers with `restartPolicy: Always`) start in order and
// keep running beside everything after them. The pod's effective request is therefore the larger of (app containers
// + all sidecars) and, for each ordinary init container, (that container + the sidecars declared before it). Limits
// follow the same rule. Restarts count app containers and sidecars, as `kubectl get pods` does.
import type { ContainerSpec, Pod } from './resources.ts';

/** A pod's effective requests and limits (millicores, bytes); a missing value counts as 0. */
export interface PodTotals {
  readonly cpuRequest: number;
  readonly cpuLimit: number;
  readonly memoryRequest: number;
  readonly memoryLimit: number;
}

type Amounts = [number, number, number, number];

function amounts(c: ContainerSpec): Amounts {
  return [c.requests.cpuMillicores ?? 0, c.limits.cpuMillicores ?? 0, c.requests.memoryBytes ?? 0, c.limits.memoryBytes ?? 0];
}

const add = (a: Amounts, b: Amounts): Amounts => [a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3]];
const max = (a: Amounts, b: Amounts): Amounts => [Math.max(a[0], b[0]), Math.max(a[1], b[1]), Math.max(a[2], b[2]), Math.max(a[3], b[3])];

export function isSidecar(c: ContainerSpec): boolean {
  return c.restartPolicy === 'Always';
}

/** The pod's effective requests and limits, as the scheduler accounts them. */
export function podTotals(pod: Pod): PodTotals {
  let sidecars: Amounts = [0, 0, 0, 0];
  let initPeak: Amounts = [0, 0, 0, 0];
  for (const c of pod.initContainers) {
    if (isSidecar(c)) sidecars = add(sidecars, amounts(c));
    else initPeak = max(initPeak, add(amounts(c), sidecars));
  }
  let app: Amounts = sidecars;
  for (const c of pod.containers) app = add(app, amounts(c));
  const [cpuRequest, cpuLimit, memoryRequest, memoryLimit] = max(app, initPeak);
  return { cpuRequest, cpuLimit, memoryRequest, memoryLimit };
}

/** Totals added: `a + b` per field. */
export function addPodTotals(a: PodTotals, b: PodTotals): PodTotals {
  return {
    cpuRequest: a.cpuRequest + b.cpuRequest,
    cpuLimit: a.cpuLimit + b.cpuLimit,
    memoryRequest: a.memoryRequest + b.memoryRequest,
    memoryLimit: a.memoryLimit + b.memoryLimit,
  };
}

export const ZERO_POD_TOTALS: PodTotals = Object.freeze({ cpuRequest: 0, cpuLimit: 0, memoryRequest: 0, memoryLimit: 0 });

/** Pods that hold node resources (not finished). */
export function isActivePod(pod: Pod): boolean {
  return pod.phase !== 'Succeeded' && pod.phase !== 'Failed';
}

/** Effective requests and limits summed over pods that still hold node resources. */
export function sumActivePodTotals(pods: Iterable<Pod>): PodTotals {
  let t = ZERO_POD_TOTALS;
  for (const pod of pods) if (isActivePod(pod)) t = addPodTotals(t, podTotals(pod));
  return t;
}

/** Restarts of the app containers and the sidecars (the RESTARTS column of `kubectl get pods`). */
export function podRestarts(pod: Pod): number {
  const sidecars = new Set(pod.initContainers.filter(isSidecar).map((c) => c.name));
  let total = 0;
  for (const s of pod.containerStatuses) total += s.restartCount;
  for (const s of pod.initContainerStatuses) if (sidecars.has(s.name)) total += s.restartCount;
  return total;
}
