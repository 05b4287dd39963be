// SPDX-License-Identifier: Apache-2.0
// `GET /api/v1/events`: the persisted event history, newest first: Kubernetes Events (deduplicated, one item per
// occurrence series with its count) and pod lifecycle entries (restarts, terminations with reason and exit code,
// evictions, scheduling failures). Filters: namespace, kind and name of the involved object, pod, type, reason,
// since/until (a timestamp or a duration before now); `limit` and an opaque keyset `continue` cursor.
import type { FastifyInstance } from 'fastify';
import { parseDuration } from '../../config/duration.ts';
import {
  LIFECYCLE_TYPES,
  type HistoryCursor,
  type HistoryEntry,
  type HistoryEventQuery,
  type StoredKubeEvent,
  type StoredLifecycleEvent,
} from '../../domain/history.ts';
import type { HistoryStore } from '../../domain/ports.ts';
import { API_ERRORS, BEARER, json, listOf, nullableString, PAGE_PARAMS, queryParam, timestamp, type OpenApiPaths } from '../openapi-common.ts';
import { badRequest, isoOrNull, parseLimit, stringParam, type RawQuery } from './query-params.ts';

/** What the events route reads. */
export interface EventsRouteDeps {
  readonly history: HistoryStore;
  /** `cluster.name`: the rows of this cluster are served. */
  readonly cluster: string;
  /** Current time in epoch ms, for `since=24h`; default `Date.now`. */
  readonly now?: () => number;
}

const EVENT_TYPES = ['Normal', 'Warning'] as const;
const TYPES: readonly string[] = [...EVENT_TYPES, ...LIFECYCLE_TYPES];

function parseTypes(raw: string | undefined): string[] | undefined {
  if (raw === undefined) return undefined;
  const types = raw.split(',').map((t) => t.trim());
  const bad = types.find((t) => !TYPES.includes(t));
  if (bad !== undefined) throw badRequest(`type must be a comma-separated list of ${TYPES.join(', ')}.`, { parameter: 'type', value: bad });
  return types;
}

/** An RFC 3339 timestamp, or a duration (`90m`, `7d`) meaning that long before now. */
function parseTime(name: string, raw: string | undefined, nowMs: number): number | undefined {
  if (raw === undefined) return undefined;
  const d = parseDuration(raw);
  if (d.ok) return nowMs - d.ms;
  const ms = /^\d{4}-\d{2}-\d{2}T/.test(raw) ? Date.parse(raw) : Number.NaN;
  if (Number.isNaN(ms)) {
    throw badRequest(`${name} must be an RFC 3339 timestamp or a duration such as 24h.`, { parameter: name, value: raw });
  }
  return ms;
}

export function encodeEventCursor(c: HistoryCursor): string {
  return Buffer.from(JSON.stringify({ t: c.atMs, s: c.source, i: c.id })).toString('base64url');
}

function decodeCursor(raw: string | undefined): HistoryCursor | undefined {
  if (raw === undefined) return undefined;
  try {
    const v = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as { t?: unknown; s?: unknown; i?: unknown };
    if (Number.isSafeInteger(v.t) && Number.isSafeInteger(v.i) && (v.s === 'event' || v.s === 'lifecycle')) {
      return { atMs: v.t as number, source: v.s, id: v.i as number };
    }
  } catch {
    // fall through to the error below
  }
  throw badRequest('continue is not a cursor of this route.', { parameter: 'continue' });
}

/** Validates the query string; throws KRM_API_BAD_REQUEST naming the parameter. */
export function parseEventsQuery(query: RawQuery, ctx: { cluster: string; nowMs: number }): HistoryEventQuery {
  const sinceMs = parseTime('since', stringParam(query, 'since'), ctx.nowMs);
  const untilMs = parseTime('until', stringParam(query, 'until'), ctx.nowMs);
  if (sinceMs !== undefined && untilMs !== undefined && sinceMs >= untilMs) {
    throw badRequest('since must be before until.', { parameter: 'since' });
  }
  return {
    cluster: ctx.cluster,
    namespace: stringParam(query, 'namespace'),
    kind: stringParam(query, 'kind'),
    name: stringParam(query, 'name'),
    pod: stringParam(query, 'pod'),
    types: parseTypes(stringParam(query, 'type')),
    reason: stringParam(query, 'reason'),
    sinceMs,
    untilMs,
    limit: parseLimit(stringParam(query, 'limit')),
    after: decodeCursor(stringParam(query, 'continue')),
  };
}

const iso = (ms: number): string => isoOrNull(ms) as string;

function eventItem(e: StoredKubeEvent) {
  return {
    source: e.source,
    type: e.type,
    reason: e.reason,
    message: e.message,
    namespace: e.namespace,
    object: { kind: e.involvedKind, name: e.involvedName, uid: e.involvedUid ?? null, field_path: e.fieldPath ?? null },
    count: e.count,
    first_at: iso(e.firstAtMs),
    last_at: iso(e.lastAtMs),
    reporting_component: e.reportingComponent ?? null,
  };
}

function lifecycleItem(e: StoredLifecycleEvent) {
  return {
    source: e.source,
    type: e.type,
    reason: e.reason ?? null,
    message: e.message ?? null,
    namespace: e.namespace,
    object: { kind: 'Pod', name: e.pod, uid: e.podUid, field_path: null },
    count: 1,
    first_at: iso(e.atMs),
    last_at: iso(e.atMs),
    workload: { kind: e.workloadKind, name: e.workloadName },
    node: e.nodeName ?? null,
    container: e.container ?? null,
    exit_code: e.exitCode ?? null,
    restart_count: e.restartCount ?? null,
    memory_limit_bytes: e.memoryLimitBytes ?? null,
  };
}

/** The wire shape of one entry: common fields first, then those of its source. */
function toItem(e: HistoryEntry) {
  return e.source === 'event' ? eventItem(e) : lifecycleItem(e);
}

/** Registers `GET /api/v1/events`. */
export function eventsRoutes(app: FastifyInstance, deps: EventsRouteDeps): void {
  const now = deps.now ?? Date.now;
  app.get('/api/v1/events', async (request) => {
    const q = parseEventsQuery(request.query as RawQuery, { cluster: deps.cluster, nowMs: now() });
    const page = await deps.history.queryEvents(q);
    return { items: page.items.map(toItem), continue: page.next ? encodeEventCursor(page.next) : null };
  });
}

const str = { type: 'string' };
const nullableInteger = { type: ['integer', 'null'] };

const itemSchema = {
  type: 'object',
  required: ['source', 'type', 'reason', 'message', 'namespace', 'object', 'count', 'first_at', 'last_at'],
  properties: {
    source: { type: 'string', enum: ['event', 'lifecycle'] },
    type: { type: 'string', enum: TYPES },
    reason: nullableString,
    message: nullableString,
    namespace: str,
    object: { type: 'object', properties: { kind: str, name: str, uid: nullableString, field_path: nullableString } },
    count: { type: 'integer', description: 'Occurrences folded into this item (1 for lifecycle entries).' },
    first_at: timestamp,
    last_at: timestamp,
    reporting_component: nullableString,
    workload: { type: 'object', properties: { kind: str, name: str } },
    node: nullableString,
    container: nullableString,
    exit_code: nullableInteger,
    restart_count: nullableInteger,
    memory_limit_bytes: nullableInteger,
  },
};

/** OpenAPI paths of this route, for openapi.ts. */
export const eventsPaths: OpenApiPaths = {
  '/api/v1/events': {
    get: {
      summary: 'Persisted Kubernetes Events (deduplicated) and pod lifecycle entries, newest first',
      security: BEARER,
      parameters: [
        queryParam('namespace', str, 'Only this namespace.'),
        queryParam('kind', str, 'Kind of the involved object; for lifecycle entries `Pod` matches the pod, another kind its workload.'),
        queryParam('name', str, 'Name of the involved object (or of the workload, see kind).'),
        queryParam('pod', str, 'Events about this pod and its lifecycle entries.'),
        queryParam('type', str, `Comma-separated: ${TYPES.join(', ')}.`),
        queryParam('reason', str, 'Exact reason, e.g. BackOff, OOMKilled, Evicted.'),
        queryParam('since', str, 'RFC 3339 timestamp, or a duration before now (24h, 7d); inclusive.'),
        queryParam('until', str, 'RFC 3339 timestamp, or a duration before now; exclusive.'),
        ...PAGE_PARAMS,
      ],
      responses: { '200': { description: 'One page, newest first', content: json(listOf(itemSchema)) }, ...API_ERRORS },
    },
  },
};
