// SPDX-License-Identifier: Apache-2.0
// `GET /api/v1/pods`: the watched pods with their requests, limits and the latest usage of the last collection.
// Filters: namespace, node, phase, labelSelector (equality, inequality, existence, `in`, `notin`); sort by name
// (default), cpu or memory usage (highest first); keyset pagination with `limit` and an opaque `continue` token
// (keyset.ts). The sorted order is cached between requests (pod-order.ts); response objects are built for the page only.
import type { FastifyInstance } from 'fastify';
import type { ClusterView } from '../../domain/kube-ports.ts';
import { podRestarts, podTotals } from '../../domain/pod-resources.ts';
import type { Pod } from '../../domain/resources.ts';
import { API_ERRORS, BEARER, json, listOf, nullableString, PAGE_PARAMS, queryParam, usageBlocks, type OpenApiPaths } from '../openapi-common.ts';
import { decodeCursor, pageAfter, queryHash, type SortKey } from './keyset.ts';
import { parseLabelSelector, type LabelPredicate } from './label-selector.ts';
import { PodOrderCache, type PodSort } from './pod-order.ts';
import { enumParam, isoOrNull, parseLimit, stringParam, type RawQuery } from './query-params.ts';

/** Usage of a pod or node at the last collection. */
export interface UsageNow {
  readonly cpuMillicores: number;
  /** Memory working set in bytes. */
  readonly memoryBytes: number;
}

/** The last collection's usage, kept in memory by the collector. */
export interface LatestUsage {
  pod(namespace: string, name: string): UsageNow | undefined;
  /** The pod's CPU (millicores) or working set (bytes) alone, without an object per pod (for the usage orders). */
  podValue?(namespace: string, name: string, which: 'cpu' | 'memory'): number | undefined;
  node(name: string): UsageNow | undefined;
  /** When the last successful collection ended (epoch ms); undefined before one. */
  collectedAtMs(): number | undefined;
}

/** What the usage routes read. */
export interface UsageRouteDeps {
  readonly cluster: ClusterView;
  readonly usage: LatestUsage;
}

// The scheduler's accounting of a pod's requests (init containers and sidecars included), shared with the analyses.
export { isActivePod, podTotals, type PodTotals } from '../../domain/pod-resources.ts';

export const POD_PHASES = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'] as const;


const SORTS: readonly PodSort[] = ['name', 'cpu', 'memory'];

interface PodQuery {
  readonly namespace?: string;
  readonly node?: string;
  readonly phase?: string;
  readonly selector?: LabelPredicate;
  readonly sort: PodSort;
  readonly limit: number;
  /** Identifies the filters and sort; a cursor is valid only for the query whose hash it carries. */
  readonly hash: string;
  readonly after?: SortKey;
}

/**
 * `collectedAtMs` enters the cursor of the usage sorts: after the next collection the order changes, and a cursor of
 * the old order would skip or repeat pods, so it is refused and the client starts again from the first page.
 *
 * The objects are plain literals of one shape, absent fields undefined: built with object spreads (`...filters`,
 * `...(x ? {} : { … })`) this function, run 200 times a second, grew the old generation by about 0.3 MB/s by itself
 * (a harness over 150,000 pods, `--trace-gc`), most of the API load's growth towards the next full collection.
 */
function parsePodQuery(query: RawQuery, collectedAtMs: number | undefined): PodQuery {
  const sort = enumParam(query, 'sort', { allowed: SORTS, fallback: 'name' }) ?? 'name';
  const labelSelector = stringParam(query, 'labelSelector');
  const namespace = stringParam(query, 'namespace');
  const node = stringParam(query, 'node');
  const phase = enumParam(query, 'phase', { allowed: POD_PHASES });
  const collected = sort === 'name' ? undefined : String(collectedAtMs ?? 'none');
  const hash = queryHash({ namespace, node, phase, labelSelector, sort, collected });
  const selector = labelSelector === undefined ? undefined : parseLabelSelector(labelSelector);
  const limit = parseLimit(stringParam(query, 'limit'));
  return { namespace, node, phase, selector, sort, limit, hash, after: decodeCursor(stringParam(query, 'continue'), hash) };
}

/** The query's filters as one predicate; undefined when it has none (the whole sorted list is the answer). */
function filterOf(q: PodQuery): ((pod: Pod) => boolean) | undefined {
  const { namespace, node, phase, selector } = q;
  if (namespace === undefined && node === undefined && phase === undefined && selector === undefined) return undefined;
  return (pod) =>
    (namespace === undefined || pod.namespace === namespace) &&
    (node === undefined || pod.nodeName === node) &&
    (phase === undefined || pod.phase === phase) &&
    (selector === undefined || selector(pod.labels));
}

/** Restarts as `kubectl get pods` counts them (app containers and sidecars). */
export const restartsOf = podRestarts;

function podItem(pod: Pod, deps: UsageRouteDeps) {
  const t = podTotals(pod);
  const u = deps.usage.pod(pod.namespace, pod.name);
  const workload = deps.cluster.workloadOf(pod);
  return {
    namespace: pod.namespace,
    name: pod.name,
    node: pod.nodeName ?? null,
    phase: pod.phase,
    qos_class: pod.qosClass ?? null,
    workload: { kind: workload.kind, name: workload.name },
    containers: pod.containers.length,
    restarts: restartsOf(pod),
    created_at: isoOrNull(pod.createdAtMs),
    cpu: { usage_millicores: u?.cpuMillicores ?? null, request_millicores: t.cpuRequest, limit_millicores: t.cpuLimit },
    memory: { usage_bytes: u?.memoryBytes ?? null, request_bytes: t.memoryRequest, limit_bytes: t.memoryLimit },
  };
}

/** Registers `GET /api/v1/pods`. */
export function podRoutes(app: FastifyInstance, deps: UsageRouteDeps): void {
  const order = new PodOrderCache(deps);
  app.get('/api/v1/pods', async (request) => {
    const q = parsePodQuery(request.query as RawQuery, deps.usage.collectedAtMs());
    const filter = filterOf(q);
    // A usage order made stale by a collection is rebuilt in slices, other requests served in between (pod-order.ts).
    if (q.namespace === undefined) await order.ready(q.sort);
    const entries = order.entries({ sort: q.sort, hash: q.hash, namespace: q.namespace, filter });
    const { page, next } = pageAfter(entries, { after: q.after, limit: q.limit, hash: q.hash });
    return {
      items: page.map((e) => podItem(e.pod, deps)),
      total: entries.length,
      continue: next,
      collected_at: isoOrNull(deps.usage.collectedAtMs()),
    };
  });
}

const podSchema = {
  type: 'object',
  required: ['namespace', 'name', 'node', 'phase', 'workload', 'cpu', 'memory'],
  properties: {
    namespace: { type: 'string' },
    name: { type: 'string' },
    node: nullableString,
    phase: { type: 'string', enum: POD_PHASES },
    qos_class: nullableString,
    workload: { type: 'object', properties: { kind: { type: 'string' }, name: { type: 'string' } } },
    containers: { type: 'integer' },
    restarts: { type: 'integer' },
    created_at: { type: ['string', 'null'], format: 'date-time' },
    ...usageBlocks,
  },
};

/** OpenAPI fragment of this module. */
export const podsPaths: OpenApiPaths = {
  '/api/v1/pods': {
    get: {
      summary: 'Pods with requests, limits and usage at the last collection; filtered, sorted, keyset-paginated',
      security: BEARER,
      parameters: [
        queryParam('namespace', { type: 'string' }, 'Only pods of this namespace.'),
        queryParam('node', { type: 'string' }, 'Only pods on this node.'),
        queryParam('phase', { type: 'string', enum: POD_PHASES }, 'Only pods in this phase.'),
        queryParam('labelSelector', { type: 'string' }, 'Kubernetes label selector: `k=v`, `k!=v`, `k`, `!k`, `k in (a,b)`, `k notin (a,b)`.'),
        queryParam('sort', { type: 'string', enum: SORTS, default: 'name' }, 'Namespace and name ascending, or usage highest first (pods without usage last).'),
        ...PAGE_PARAMS,
      ],
      responses: {
        '200': { description: 'A page of pods', content: json(listOf(podSchema, { collected_at: { type: ['string', 'null'], format: 'date-time' }})) },
        ...API_ERRORS,
      },
    },
  },
};
