// SPDX-License-Identifier: Apache-2.0
// `GET /api/v1/namespaces/{ns}/workloads`: the workloads of a namespace, each the top of its pods' controller chain
// (ClusterView.workloadOf), plus controllers that have no pod right now (a Deployment scaled to 0, a CronJob
// between runs), with replicas, containers, usage against requests and limits, and restarts.
import type { FastifyInstance } from 'fastify';
import type { ClusterView } from '../../domain/kube-ports.ts';
import type { ContainerResources, ObjectBase, Pod } from '../../domain/resources.ts';
import { AppError } from '../../errors/app-error.ts';
import { API_ERRORS, BEARER, json, listOf, NOT_FOUND, nullableNumber, PAGE_PARAMS, pathParam, queryParam, usageBlocks, type OpenApiPaths } from '../openapi-common.ts';
import { decodeCursor, keyId, pageAfter, queryHash } from './keyset.ts';
import { sumActivePodTotals } from '../../domain/pod-resources.ts';
import { restartsOf, type UsageRouteDeps } from './pods.ts';
import { isoOrNull, parseLimit, stringParam, type RawQuery } from './query-params.ts';

/** A workload and the pods it has now (possibly none). */
export interface WorkloadGroup {
  readonly kind: string;
  readonly name: string;
  readonly pods: Pod[];
}

/** Owned objects belong to their owner's workload (resolution follows any owner, as `controllerOf` does). */
function hasController(o: ObjectBase): boolean {
  return o.owners.length > 0;
}

/** Controllers that are workloads even with zero pods; Jobs of a CronJob and ReplicaSets of a Deployment are not. */
function podlessControllers(cluster: ClusterView, namespace: string): { kind: string; name: string }[] {
  const of = (kind: string, items: readonly ObjectBase[]) => items.map((o) => ({ kind, name: o.name }));
  return [
    ...of('Deployment', cluster.list('deployments', namespace)),
    ...of('StatefulSet', cluster.list('statefulsets', namespace)),
    ...of('DaemonSet', cluster.list('daemonsets', namespace)),
    ...of('CronJob', cluster.list('cronjobs', namespace)),
    ...of('Job', cluster.list('jobs', namespace).filter((j) => !hasController(j))),
    ...of('ReplicaSet', cluster.list('replicasets', namespace).filter((r) => !hasController(r))),
  ];
}

/** The workloads of a namespace keyed by `kind/name`. */
export function workloadGroups(cluster: ClusterView, namespace: string): Map<string, WorkloadGroup> {
  const out = new Map<string, WorkloadGroup>();
  const groupOf = (kind: string, name: string): WorkloadGroup => {
    const key = `${kind}/${name}`;
    let g = out.get(key);
    if (g === undefined) out.set(key, (g = { kind, name, pods: [] }));
    return g;
  };
  for (const pod of cluster.list('pods', namespace)) {
    const ref = cluster.workloadOf(pod);
    groupOf(ref.kind, ref.name).pods.push(pod);
  }
  for (const c of podlessControllers(cluster, namespace)) groupOf(c.kind, c.name);
  return out;
}

/** Kinds whose desired and ready counts are `replicas` and `readyReplicas`. */
const REPLICATED = new Map<string, 'deployments' | 'statefulsets' | 'replicasets'>([
  ['Deployment', 'deployments'],
  ['StatefulSet', 'statefulsets'],
  ['ReplicaSet', 'replicasets'],
]);

function replicasOf(cluster: ClusterView, ns: string, g: WorkloadGroup): { desired: number; ready: number } | null {
  if (g.kind === 'DaemonSet') {
    const ds = cluster.get('daemonsets', ns, g.name);
    return ds === undefined ? null : { desired: ds.desiredNumberScheduled, ready: ds.numberReady };
  }
  const kind = REPLICATED.get(g.kind);
  const o = kind === undefined ? undefined : cluster.get(kind, ns, g.name);
  return o === undefined ? null : { desired: o.replicas, ready: o.readyReplicas };
}

function resources(r: ContainerResources) {
  return { cpu_millicores: r.cpuMillicores ?? null, memory_bytes: r.memoryBytes ?? null };
}

/** The containers of the newest pod: a rollout in progress shows the spec it is moving to. */
function containersOf(pods: readonly Pod[]) {
  const newest = pods.reduce<Pod | undefined>((a, p) => (a === undefined || (p.createdAtMs ?? 0) > (a.createdAtMs ?? 0) ? p : a), undefined);
  return (newest?.containers ?? []).map((c) => ({ name: c.name, requests: resources(c.requests), limits: resources(c.limits) }));
}

/** Usage (null when no pod has any), requests and limits of the active pods, and restarts of a set of pods. */
export function podGroupTotals(pods: readonly Pod[], deps: UsageRouteDeps) {
  let usageCpu: number | null = null;
  let usageMemory: number | null = null;
  let restarts = 0;
  for (const pod of pods) {
    restarts += restartsOf(pod);
    const u = deps.usage.pod(pod.namespace, pod.name);
    if (u !== undefined) {
      usageCpu = (usageCpu ?? 0) + u.cpuMillicores;
      usageMemory = (usageMemory ?? 0) + u.memoryBytes;
    }
  }
  const t = { ...sumActivePodTotals(pods), restarts };
  return {
    cpu: { usage_millicores: usageCpu, request_millicores: t.cpuRequest, limit_millicores: t.cpuLimit },
    memory: { usage_bytes: usageMemory, request_bytes: t.memoryRequest, limit_bytes: t.memoryLimit },
    restarts: t.restarts,
  };
}

function workloadItem(g: WorkloadGroup, ns: string, deps: UsageRouteDeps) {
  const totals = podGroupTotals(g.pods, deps);
  return {
    namespace: ns,
    kind: g.kind,
    name: g.name,
    replicas: replicasOf(deps.cluster, ns, g),
    pods: g.pods.length,
    containers: containersOf(g.pods),
    cpu: totals.cpu,
    memory: totals.memory,
    restarts: totals.restarts,
  };
}

/** 404 `KRM_API_NOT_FOUND` unless the namespace is watched and exists. */
export function requireNamespace(cluster: ClusterView, ns: string): void {
  if (cluster.get('namespaces', undefined, ns) === undefined) {
    throw new AppError('KRM_API_NOT_FOUND', 'No such namespace.', { details: { namespace: ns } });
  }
}

/** Registers `GET /api/v1/namespaces/:ns/workloads`. */
export function workloadRoutes(app: FastifyInstance, deps: UsageRouteDeps): void {
  app.get('/api/v1/namespaces/:ns/workloads', async (request) => {
    const { ns } = request.params as { ns: string };
    const query = request.query as RawQuery;
    const kind = stringParam(query, 'kind');
    const limit = parseLimit(stringParam(query, 'limit'));
    const hash = queryHash({ ns, kind });
    const after = decodeCursor(stringParam(query, 'continue'), hash);
    requireNamespace(deps.cluster, ns);
    const groups = [...workloadGroups(deps.cluster, ns).values()]
      .filter((g) => kind === undefined || g.kind === kind)
      .map((g) => ({ value: 0, id: keyId(g.kind, g.name), g }))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const { page, next } = pageAfter(groups, { after, limit, hash });
    return { items: page.map((e) => workloadItem(e.g, ns, deps)), total: groups.length, continue: next, collected_at: isoOrNull(deps.usage.collectedAtMs()) };
  });
}

const resourcePair = { type: 'object', properties: { cpu_millicores: nullableNumber, memory_bytes: nullableNumber } };

const workloadSchema = {
  type: 'object',
  required: ['namespace', 'kind', 'name', 'replicas', 'pods', 'containers', 'cpu', 'memory', 'restarts'],
  properties: {
    namespace: { type: 'string' },
    kind: { type: 'string', description: 'Deployment, StatefulSet, DaemonSet, CronJob, Job, ReplicaSet, Pod, or a third-party controller kind.' },
    name: { type: 'string' },
    replicas: { type: ['object', 'null'], properties: { desired: { type: 'integer' }, ready: { type: 'integer' } }, description: 'Null for kinds without replicas.' },
    pods: { type: 'integer' },
    containers: {
      type: 'array',
      description: "The newest pod's containers (empty when the workload has no pod).",
      items: { type: 'object', properties: { name: { type: 'string' }, requests: resourcePair, limits: resourcePair } },
    },
    ...usageBlocks,
    restarts: { type: 'integer' },
  },
};

/** OpenAPI fragment of this module. */
export const workloadsPaths: OpenApiPaths = {
  '/api/v1/namespaces/{ns}/workloads': {
    get: {
      summary: 'Workloads of a namespace with replicas, containers, usage against requests and limits, and restarts',
      security: BEARER,
      parameters: [
        pathParam('ns', 'Namespace name.'),
        queryParam('kind', { type: 'string' }, 'Only workloads of this kind (e.g. Deployment).'),
        ...PAGE_PARAMS,
      ],
      responses: {
        '200': { description: 'Workloads sorted by kind and name', content: json(listOf(workloadSchema, { collected_at: { type: ['string', 'null'], format: 'date-time' } })) },
        ...API_ERRORS,
        ...NOT_FOUND,
      },
    },
  },
};
