// SPDX-License-Identifier: Apache-2.0
// Test fixtures: a complete, valid projected pod and container with neutral defaults, so that a test states only
// what it is about.
import type { ContainerSpec, Pod } from './resources.ts';

/** A container `app` with no requests, limits, probes or privileges; `more` overrides any field. */
export function testContainer(more: Partial<ContainerSpec> = {}): ContainerSpec {
  return { name: 'app', image: 'i', requests: {}, limits: {}, livenessProbe: false, readinessProbe: false, startupProbe: false, privileged: false, preStopHook: false, ...more };
}

/** A running pod in namespace `shop` with one `testContainer()`; `more` overrides any field. */
export function testPod(name: string, more: Partial<Pod> = {}): Pod {
  const namespace = more.namespace ?? 'shop';
  return {
    key: `${namespace}/${name}`,
    uid: `uid-${name}`,
    name,
    namespace,
    labels: {},
    annotations: {},
    owners: [],
    phase: 'Running',
    hasAffinity: false,
    topologySpreadConstraints: 0,
    pvcNames: [],
    conditions: [],
    containers: [testContainer()],
    initContainers: [],
    containerStatuses: [],
    initContainerStatuses: [],
    ...more,
  };
}
