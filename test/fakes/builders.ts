// SPDX-License-Identifier: Apache-2.0
// Builders of raw API objects (the JSON a server sends) for the kube adapter's tests, so that a test names only
// the fields it is about. Defaults follow what an API server fills in.

export type RawApiObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; uid?: string; [k: string]: unknown };
  [k: string]: unknown;
};

export interface PodOptions {
  name: string;
  namespace?: string;
  uid?: string;
  node?: string;
  phase?: string;
  reason?: string;
  message?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  owner?: { kind: string; name: string; controller?: boolean };
  containers?: Record<string, unknown>[];
  containerStatuses?: Record<string, unknown>[];
  conditions?: Record<string, unknown>[];
  extraMetadata?: Record<string, unknown>;
}

/** A pod with one container `app` unless `containers` says otherwise. */
export function aPod(o: PodOptions): RawApiObject {
  const namespace = o.namespace ?? 'default';
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: o.name,
      namespace,
      uid: o.uid ?? `uid-${namespace}-${o.name}`,
      creationTimestamp: '2026-01-01T00:00:00Z',
      labels: o.labels ?? {},
      annotations: o.annotations,
      ownerReferences: o.owner ? [{ apiVersion: 'v1', kind: o.owner.kind, name: o.owner.name, uid: `uid-${o.owner.name}`, controller: o.owner.controller ?? true }] : undefined,
      ...o.extraMetadata,
    },
    spec: { nodeName: o.node, containers: o.containers ?? [{ name: 'app', image: 'example/app:1' }] },
    status: {
      phase: o.phase ?? 'Running',
      reason: o.reason,
      message: o.message,
      conditions: o.conditions ?? [],
      containerStatuses: o.containerStatuses ?? [],
    },
  };
}

/** A container status: running unless `state` is given; `last` becomes lastState.terminated. */
export function aContainerStatus(o: {
  name?: string;
  restartCount?: number;
  ready?: boolean;
  state?: Record<string, unknown>;
  last?: { reason: string; exitCode: number; finishedAt: string };
}): Record<string, unknown> {
  return {
    name: o.name ?? 'app',
    ready: o.ready ?? true,
    restartCount: o.restartCount ?? 0,
    state: o.state ?? { running: { startedAt: '2026-01-01T00:00:00Z' } },
    lastState: o.last ? { terminated: { ...o.last, startedAt: '2026-01-01T00:00:00Z' } } : {},
  };
}

export interface ObjectOptions {
  name: string;
  /** Default `default`; '' for a cluster-scoped object. */
  namespace?: string;
  apiVersion?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  owner?: { kind: string; name: string };
  /** Top-level fields: spec, status, or the top-level settings of StorageClass and EndpointSlice. */
  [field: string]: unknown;
}

/** Any object of `kind`; fields other than the metadata options go to the top level as given. */
export function anObject(kind: string, o: ObjectOptions): RawApiObject {
  const { name, namespace, apiVersion, owner, labels, annotations, ...rest } = o;
  return {
    apiVersion: apiVersion ?? 'v1',
    kind,
    ...rest,
    metadata: {
      name,
      namespace: namespace ?? 'default',
      uid: `uid-${name}`,
      labels,
      annotations,
      ownerReferences: owner ? [{ apiVersion: 'apps/v1', kind: owner.kind, name: owner.name, uid: `uid-${owner.name}`, controller: true }] : undefined,
    },
  };
}
