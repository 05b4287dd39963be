// SPDX-License-Identifier: Apache-2.0
// `GET /api/v1/namespaces`: every watched namespace with its pods by phase, CPU and memory usage (the sum of its
// pods' usage at the last collection) against requests and limits, its ResourceQuota summary and workload count.
// Sorted by name (default) or by usage, highest first; keyset pagination like /api/v1/pods.
import type { FastifyInstance } from 'fastify';
import type { Namespace, ResourceQuota } from '../../domain/resources.ts';
import { API_ERRORS, BEARER, json, listOf, nullableNumber, PAGE_PARAMS, queryParam, usageBlocks, type OpenApiPaths } from '../openapi-common.ts';
import { compareKeys, decodeCursor, keyId, pageAfter, queryHash } from './keyset.ts';
import { POD_PHASES, type UsageRouteDeps } from './pods.ts';
import { enumParam, isoOrNull, parseLimit, stringParam, type RawQuery } from './query-params.ts';
import { TimedCache } from './timed-cache.ts';
import { podGroupTotals, workloadGroups } from './workloads.ts';

/** The quota keys summarized; `cpu` and `memory` are the API's aliases of `requests.cpu` and `requests.memory`. */
const QUOTA_KEYS = ['requests.cpu', 'requests.memory', 'limits.cpu', 'limits.memory', 'pods'] as const;
const QUOTA_ALIASES: Readonly<Record<string, string>> = { cpu: 'requests.cpu', memory: 'requests.memory' };

interface QuotaLine {
  readonly hard: number;
  readonly used: number;
  readonly ratio: number | null;
}

/** The hard and used value of `key` in one quota (aliases included); undefined when the quota does not bound it. */
function quotaValue(q: ResourceQuota, key: string): { hard: number; used: number } | undefined {
  for (const name of Object.keys(q.hard)) {
    if (name !== key && QUOTA_ALIASES[name] !== key) continue;
    return { hard: q.hard[name] ?? 0, used: q.used[name] ?? 0 };
  }
  return undefined;
}

/**
 * Per key, the tightest (minimum) hard value across the namespace's quotas, with that quota's used value
 * (REQUIREMENTS §3.10); the highest used/hard ratio names the resource closest to its bound.
 */
export function quotaSummary(quotas: readonly ResourceQuota[]) {
  if (quotas.length === 0) return null;
  const resources: Record<string, QuotaLine> = {};
  let max: { resource: string; ratio: number } | null = null;
  for (const key of QUOTA_KEYS) {
    const tightest = quotas.map((q) => quotaValue(q, key)).reduce((a, v) => (v !== undefined && (a === undefined || v.hard < a.hard) ? v : a), undefined);
    if (tightest === undefined) continue;
    const ratio = tightest.hard > 0 ? tightest.used / tightest.hard : null;
    resources[key] = { ...tightest, ratio };
    if (ratio !== null && (max === null || ratio > max.ratio)) max = { resource: key, ratio };
  }
  return { count: quotas.length, resources, max_ratio: max };
}

function byPhase(pods: readonly { phase: string }[]): Record<string, number> {
  const out: Record<string, number> = Object.fromEntries(POD_PHASES.map((p) => [p, 0]));
  for (const pod of pods) out[pod.phase] = (out[pod.phase] ?? 0) + 1;
  return out;
}

function namespaceItem(ns: Namespace, deps: UsageRouteDeps) {
  const pods = deps.cluster.list('pods', ns.name);
  const totals = podGroupTotals(pods, deps);
  return {
    name: ns.name,
    phase: ns.phase ?? null,
    labels: ns.labels,
    created_at: isoOrNull(ns.createdAtMs),
    pods: { total: pods.length, by_phase: byPhase(pods) },
    cpu: totals.cpu,
    memory: totals.memory,
    quota: quotaSummary(deps.cluster.list('resourcequotas', ns.name)),
    workloads: workloadGroups(deps.cluster, ns.name).size,
  };
}

type NamespaceSort = 'name' | 'cpu' | 'memory';
const SORTS: readonly NamespaceSort[] = ['name', 'cpu', 'memory'];

/**
 * Every namespace's summary in the sort's order. Namespaces are few next to pods (10,000 at the Kubernetes
 * scalability bound), so the summaries are computed for all of them: sorting by usage needs every one anyway.
 */
function sortedNamespaces(deps: UsageRouteDeps, sort: NamespaceSort) {
  const items = deps.cluster.list('namespaces').map((ns) => namespaceItem(ns, deps));
  return items
    .map((item) => ({ value: sort === 'cpu' ? (item.cpu.usage_millicores ?? -1) : sort === 'memory' ? (item.memory.usage_bytes ?? -1) : 0, id: keyId(item.name), item }))
    .sort(compareKeys);
}

/** Registers `GET /api/v1/namespaces`. */
export function namespaceRoutes(app: FastifyInstance, deps: UsageRouteDeps): void {
  // One summary per sort, for a second or until the next collection (see timed-cache.ts).
  const sorted = new TimedCache<ReturnType<typeof sortedNamespaces>>({ maxAgeMs: 1000 });
  app.get('/api/v1/namespaces', async (request) => {
    const query = request.query as RawQuery;
    const sort = enumParam(query, 'sort', { allowed: SORTS, fallback: 'name' }) ?? 'name';
    const limit = parseLimit(stringParam(query, 'limit'));
    const hash = queryHash({ sort });
    const after = decodeCursor(stringParam(query, 'continue'), hash);
    const keyed = sorted.get(sort, deps.usage.collectedAtMs(), () => sortedNamespaces(deps, sort));
    const { page, next } = pageAfter(keyed, { after, limit, hash });
    return { items: page.map((e) => e.item), total: keyed.length, continue: next, collected_at: isoOrNull(deps.usage.collectedAtMs()) };
  });
}

const quotaLine = { type: 'object', properties: { hard: { type: 'number' }, used: { type: 'number' }, ratio: nullableNumber } };

const namespaceSchema = {
  type: 'object',
  required: ['name', 'phase', 'labels', 'pods', 'cpu', 'memory', 'quota', 'workloads'],
  properties: {
    name: { type: 'string' },
    phase: { type: ['string', 'null'], enum: ['Active', 'Terminating', null] },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    created_at: { type: ['string', 'null'], format: 'date-time' },
    pods: { type: 'object', properties: { total: { type: 'integer' }, by_phase: { type: 'object', additionalProperties: { type: 'integer' } } } },
    ...usageBlocks,
    quota: {
      type: ['object', 'null'],
      description: 'Null without a ResourceQuota. Per key the tightest hard value across quotas; cpu in millicores, memory in bytes.',
      properties: {
        count: { type: 'integer' },
        resources: { type: 'object', properties: Object.fromEntries(QUOTA_KEYS.map((k) => [k, quotaLine])) },
        max_ratio: { type: ['object', 'null'], properties: { resource: { type: 'string' }, ratio: { type: 'number' } } },
      },
    },
    workloads: { type: 'integer', description: 'Workloads, including controllers with no pod right now.' },
  },
};

/** OpenAPI fragment of this module. */
export const namespacesPaths: OpenApiPaths = {
  '/api/v1/namespaces': {
    get: {
      summary: 'Namespaces with pods by phase, usage against requests and limits, quota and workload count',
      security: BEARER,
      parameters: [queryParam('sort', { type: 'string', enum: SORTS, default: 'name' }, 'Name ascending, or usage highest first.'), ...PAGE_PARAMS],
      responses: {
        '200': { description: 'Namespaces', content: json(listOf(namespaceSchema, { collected_at: { type: ['string', 'null'], format: 'date-time' } })) },
        ...API_ERRORS,
      },
    },
  },
};
