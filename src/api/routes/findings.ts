// SPDX-License-Identifier: Apache-2.0
// `GET /api/v1/findings`: what the analyses found (REQUIREMENTS §3.0), newest or most severe first, filtered by
// namespace, analysis, minimum severity, entity kind and state; and `GET /api/v1/recommendations`: the latest
// rightsizing recommendation per workload container, filtered by namespace, workload and strategy. Both are
// keyset-paginated with an opaque `continue` cursor.
import type { FastifyInstance } from 'fastify';
import { ANALYSES, type FindingEntityKind, type RightsizingRecommendation } from '../../analysis/findings.ts';
import { STRATEGIES } from '../../analysis/rightsizing/types.ts';
import { SEVERITIES } from '../../analysis/severity.ts';
import type { FindingCursor, FindingQuery, FindingStore, RecommendationQuery, StoredFinding } from '../../domain/ports.ts';
import { API_ERRORS, BEARER, json, listOf, nullableNumber, nullableString, PAGE_PARAMS, queryParam, timestamp, type OpenApiPaths } from '../openapi-common.ts';
import { badRequest, enumParam, isoOrNull, parseLimit, stringParam, type RawQuery } from './query-params.ts';

/** What the findings routes read. */
export interface FindingsRouteDeps {
  readonly findings: FindingStore;
  /** `cluster.name`: the rows of this cluster are served. */
  readonly cluster: string;
}

const ENTITY_KINDS: readonly FindingEntityKind[] = ['container', 'pod', 'workload', 'namespace', 'node', 'pvc', 'quota', 'tenant', 'cluster'];
const ORDERS = ['newest', 'severity'] as const;
const STATES = ['open', 'resolved'] as const;

function encode(v: object): string {
  return Buffer.from(JSON.stringify(v)).toString('base64url');
}

function decode(raw: string | undefined): Record<string, unknown> | undefined {
  if (raw === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (typeof v === 'object' && v !== null) return v as Record<string, unknown>;
  } catch {
    // fall through to the error below
  }
  throw badRequest('continue is not a cursor of this route.', { parameter: 'continue' });
}

/** The cursor carries the order it was made for, so that a cursor of one order is refused by the other. */
function findingCursor(raw: string | undefined, order: 'newest' | 'severity'): FindingCursor | undefined {
  const v = decode(raw);
  if (v === undefined) return undefined;
  const okRank = order === 'newest' ? v['r'] === undefined : Number.isSafeInteger(v['r']);
  if (v['o'] !== order || !okRank || !Number.isSafeInteger(v['t']) || !Number.isSafeInteger(v['i'])) {
    throw badRequest('continue is not a cursor of this route and sort.', { parameter: 'continue' });
  }
  return { ...(order === 'severity' ? { rank: v['r'] as number } : {}), atMs: v['t'] as number, id: v['i'] as number };
}

/** `analysis`, or `kind` (the kind of finding, as users call it): the same filter by two names, which must agree. */
function analysisParam(query: RawQuery): (typeof ANALYSES)[number] | undefined {
  const analysis = enumParam(query, 'analysis', { allowed: ANALYSES });
  const kind = enumParam(query, 'kind', { allowed: ANALYSES });
  if (analysis !== undefined && kind !== undefined && analysis !== kind) throw badRequest('kind and analysis name the same filter and differ.', { parameter: 'kind' });
  return analysis ?? kind;
}

/** Validates the findings query string; throws KRM_API_BAD_REQUEST naming the parameter. */
export function parseFindingsQuery(query: RawQuery, cluster: string): FindingQuery {
  const order = enumParam(query, 'sort', { allowed: ORDERS, fallback: 'newest' }) as 'newest' | 'severity';
  const analysis = analysisParam(query);
  const minSeverity = enumParam(query, 'severity', { allowed: SEVERITIES });
  const entityKind = enumParam(query, 'entity_kind', { allowed: ENTITY_KINDS });
  const state = enumParam(query, 'state', { allowed: STATES });
  const namespace = stringParam(query, 'namespace');
  const after = findingCursor(stringParam(query, 'continue'), order);
  return {
    cluster,
    order,
    limit: parseLimit(stringParam(query, 'limit')),
    ...(namespace === undefined ? {} : { namespace }),
    ...(analysis === undefined ? {} : { analysis }),
    ...(minSeverity === undefined ? {} : { minSeverity }),
    ...(entityKind === undefined ? {} : { entityKind }),
    ...(state === undefined ? {} : { state }),
    ...(after === undefined ? {} : { after }),
  };
}

/** Validates the recommendations query string. */
export function parseRecommendationsQuery(query: RawQuery, cluster: string): RecommendationQuery {
  const namespace = stringParam(query, 'namespace');
  const workload = stringParam(query, 'workload');
  const strategy = enumParam(query, 'strategy', { allowed: STRATEGIES });
  const cursor = decode(stringParam(query, 'continue'));
  if (cursor !== undefined && typeof cursor['k'] !== 'string') throw badRequest('continue is not a cursor of this route.', { parameter: 'continue' });
  return {
    cluster,
    limit: parseLimit(stringParam(query, 'limit')),
    ...(namespace === undefined ? {} : { namespace }),
    ...(workload === undefined ? {} : { workload }),
    ...(strategy === undefined ? {} : { strategy }),
    ...(cursor === undefined ? {} : { after: { key: cursor['k'] as string } }),
  };
}

function findingItem(f: StoredFinding) {
  return {
    id: f.id,
    fingerprint: f.fingerprint,
    analysis: f.analysis,
    rule: f.rule,
    entity: { kind: f.entity.kind, namespace: f.entity.namespace ?? null, name: f.entity.name, container: f.entity.container ?? null },
    severity: f.severity,
    state: f.state,
    title: f.title,
    explanation: f.explanation,
    action: f.action,
    confidence: f.confidence,
    evidence: f.evidence,
    first_seen_at: isoOrNull(f.firstSeenMs),
    last_seen_at: isoOrNull(f.lastSeenMs),
    resolved_at: isoOrNull(f.resolvedAtMs),
  };
}

function recommendationItem(r: RightsizingRecommendation) {
  const res = (x: RightsizingRecommendation['current'] | undefined) =>
    x === undefined
      ? null
      : { cpu_request_millicores: x.cpuRequest ?? null, cpu_limit_millicores: x.cpuLimit ?? null, memory_request_bytes: x.memRequest ?? null, memory_limit_bytes: x.memLimit ?? null };
  return {
    namespace: r.namespace,
    workload: r.workload,
    container: r.container,
    strategy: r.strategy,
    status: r.status,
    current: res(r.current),
    recommended: res(r.recommended),
    monthly_savings: r.monthlySavings ?? null,
    severity: r.severity,
    confidence: r.confidence,
    explanation: r.explanation,
    patch: r.patch ?? null,
    notes: r.notes,
    detected_at: isoOrNull(r.detectedAtMs),
  };
}

/** Registers `GET /api/v1/findings` and `GET /api/v1/recommendations`. */
export function findingsRoutes(app: FastifyInstance, deps: FindingsRouteDeps): void {
  app.get('/api/v1/findings', async (request) => {
    const q = parseFindingsQuery(request.query as RawQuery, deps.cluster);
    const page = await deps.findings.listFindings(q);
    const next = page.next === undefined ? null : encode({ o: q.order, ...(page.next.rank === undefined ? {} : { r: page.next.rank }), t: page.next.atMs, i: page.next.id });
    return { items: page.items.map(findingItem), continue: next };
  });
  app.get('/api/v1/recommendations', async (request) => {
    const q = parseRecommendationsQuery(request.query as RawQuery, deps.cluster);
    const page = await deps.findings.listRecommendations(q);
    return { items: page.items.map(recommendationItem), continue: page.next === undefined ? null : encode({ k: page.next.key }) };
  });
}

const str = { type: 'string' };
const resources = {
  type: ['object', 'null'],
  properties: { cpu_request_millicores: nullableNumber, cpu_limit_millicores: nullableNumber, memory_request_bytes: nullableNumber, memory_limit_bytes: nullableNumber },
};

const findingSchema = {
  type: 'object',
  required: ['id', 'analysis', 'rule', 'entity', 'severity', 'state', 'title', 'explanation', 'action', 'confidence', 'evidence', 'first_seen_at', 'last_seen_at'],
  properties: {
    id: { type: 'integer' },
    fingerprint: { type: 'string', description: 'Cluster, analysis, rule and object: the identity of the finding across runs.' },
    analysis: { type: 'string', enum: ANALYSES },
    rule: str,
    entity: { type: 'object', properties: { kind: { type: 'string', enum: ENTITY_KINDS }, namespace: nullableString, name: str, container: nullableString } },
    severity: { type: 'string', enum: SEVERITIES },
    state: { type: 'string', enum: STATES },
    title: str,
    explanation: { type: 'string', description: 'One sentence with the numbers that matter.' },
    action: str,
    confidence: { type: 'string', enum: ['low', 'medium', 'high'] },
    evidence: { type: 'object', additionalProperties: { type: ['number', 'string', 'boolean', 'null'] } },
    first_seen_at: timestamp,
    last_seen_at: timestamp,
    resolved_at: { type: ['string', 'null'], format: 'date-time' },
  },
};

const recommendationSchema = {
  type: 'object',
  required: ['namespace', 'workload', 'container', 'strategy', 'status', 'current', 'severity', 'confidence', 'explanation'],
  properties: {
    namespace: str,
    workload: { type: 'object', properties: { kind: str, name: str } },
    container: str,
    strategy: { type: 'string', enum: STRATEGIES },
    status: { type: 'string', enum: ['ok', 'not-enough-data'] },
    current: resources,
    recommended: resources,
    monthly_savings: { ...nullableNumber, description: 'Saved per month by the recommended requests at the configured prices (negative: extra cost).' },
    severity: { type: 'string', enum: SEVERITIES },
    confidence: { type: 'string', enum: ['low', 'medium', 'high'] },
    explanation: str,
    patch: { ...nullableString, description: 'Strategic merge patch of the container resources, YAML.' },
    notes: { type: 'array', items: str },
    detected_at: timestamp,
  },
};

/** OpenAPI paths of these routes, for openapi.ts. */
export const findingsPaths: OpenApiPaths = {
  '/api/v1/findings': {
    get: {
      summary: 'Findings of the analyses, newest or most severe first',
      security: BEARER,
      parameters: [
        queryParam('namespace', str, 'Only this namespace.'),
        queryParam('analysis', { type: 'string', enum: ANALYSES }, 'Only this analysis.'),
        queryParam('kind', { type: 'string', enum: ANALYSES }, 'Same as `analysis` (the kind of finding).'),
        queryParam('severity', { type: 'string', enum: SEVERITIES }, 'This severity or above.'),
        queryParam('entity_kind', { type: 'string', enum: ENTITY_KINDS }, 'Only findings about this kind of object.'),
        queryParam('state', { type: 'string', enum: STATES }, 'Open (still reported) or resolved (absent from two consecutive runs).'),
        queryParam('sort', { type: 'string', enum: ORDERS, default: 'newest' }, '`newest` (last seen first) or `severity` (most severe first).'),
        ...PAGE_PARAMS,
      ],
      responses: { '200': { description: 'One page of findings', content: json(listOf(findingSchema)) }, ...API_ERRORS },
    },
  },
  '/api/v1/recommendations': {
    get: {
      summary: 'Latest rightsizing recommendation per workload container',
      security: BEARER,
      parameters: [
        queryParam('namespace', str, 'Only this namespace.'),
        queryParam('workload', str, 'Only this workload (name, any kind).'),
        queryParam('strategy', { type: 'string', enum: STRATEGIES }, 'Only this strategy.'),
        ...PAGE_PARAMS,
      ],
      responses: { '200': { description: 'One page, by namespace, workload and container', content: json(listOf(recommendationSchema)) }, ...API_ERRORS },
    },
  },
};
