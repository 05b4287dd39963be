// SPDX-License-Identifier: Apache-2.0
// Pod QoS class as pkg/apis/core/v1/helper/qos computes it: only cpu and memory count; init containers count like
// app containers; Guaranteed needs every container to have cpu and memory limits equal to its requests (requests
// default to limits when omitted, which the API server's defaulting has already done by the time QoS is read).
import type { Container, PodStatus, StringMap } from '../kube-types.ts';
import { parseQuantity } from './quantity.ts';

type QosClass = NonNullable<PodStatus['qosClass']>;

const QOS_RESOURCES = ['cpu', 'memory'] as const;

function isGuaranteedContainer(requests: StringMap, limits: StringMap): boolean {
  return QOS_RESOURCES.every((r) => {
    const limit = limits[r];
    if (limit === undefined) return false;
    const request = requests[r] ?? limit;
    return parseQuantity(request) === parseQuantity(limit);
  });
}

function hasAny(list: StringMap): boolean {
  return QOS_RESOURCES.some((r) => list[r] !== undefined && parseQuantity(list[r]) !== 0);
}

/** The pod's QoS class from its containers' resources. */
export function qosClassOf(containers: readonly Pick<Container, 'resources'>[]): QosClass {
  const lists = containers.map((c) => ({ requests: c.resources?.requests ?? {}, limits: c.resources?.limits ?? {} }));
  if (!lists.some((l) => hasAny(l.requests) || hasAny(l.limits))) return 'BestEffort';
  return lists.every((l) => isGuaranteedContainer(l.requests, l.limits)) ? 'Guaranteed' : 'Burstable';
}
