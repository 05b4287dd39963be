// SPDX-License-Identifier: Apache-2.0
// `GET /api/v1/forecasts`: the capacity outlook of the latest analysis pass (REQUIREMENTS §3.8, issue 5 items 7 and
// 11) per scope (cluster, node pool, namespace, quota) and resource: usage and requests forecasts with 80 % and 95 %
// prediction intervals, days until exhaustion, nodes needed for growth and for losing the largest node. The pass
// computes them on its schedule; this route serves the last result, and answers 503 `KRM_API_NOT_READY` until the
// first pass has run, so that a client can tell "not yet" from "nothing to forecast".
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors/app-error.ts';
import { API_ERRORS, BEARER, json, listOf, nullableNumber, PAGE_PARAMS, queryParam, timestamp, type OpenApiPaths } from '../openapi-common.ts';
import { badRequest, enumParam, parseLimit, stringParam, type RawQuery } from './query-params.ts';
import type { ForecastPoint } from '../../analysis/forecast/index.ts';

const LEVELS = ['cluster', 'nodepool', 'namespace', 'quota'] as const;
const RESOURCES = ['cpu', 'memory'] as const;

/** The parts of one forecast the route serves (the analysis' Forecast fits this shape). */
export interface ForecastView {
  readonly status: 'ok' | 'insufficient_data';
  readonly method: string;
  readonly stepMs: number;
  readonly dataPoints: number;
  readonly windowMs: number;
  readonly confidence: string;
  /** The path's points (the analysis keeps them as columns and makes each when mapped). */
  readonly points: { map<T>(fn: (p: ForecastPoint) => T): T[] };
}

export interface ExhaustionView {
  readonly expectedDays?: number;
  readonly earliestDays?: number;
  readonly horizonDays: number;
}

/** One scope's outlook (the analysis' CapacityOutlook fits this shape). */
export interface OutlookView {
  readonly level: (typeof LEVELS)[number];
  readonly entity: string;
  readonly resource: (typeof RESOURCES)[number];
  readonly capacity?: number;
  readonly currentRequests: number;
  readonly usage: ForecastView;
  readonly requests?: ForecastView;
  readonly requestsExhaustion?: ExhaustionView;
  readonly usageExhaustion?: ExhaustionView;
  readonly nodesForGrowth?: number;
  readonly nMinusOne?: { readonly fits: boolean; readonly largestNode?: string; readonly cpuRatio: number; readonly memoryRatio: number; readonly extraNodes: number };
}

export interface ForecastReportView {
  readonly computedAtMs: number;
  readonly horizonMs: number;
  readonly requestsHistory: string;
  readonly outlooks: readonly OutlookView[];
}

export interface ForecastsRouteDeps {
  /** The latest pass's outlook; undefined before the first. */
  readonly forecasts: () => ForecastReportView | undefined;
}

const r2 = (x: number): number => Math.round(x * 100) / 100;
const days = (x: number | undefined): number | null => (x === undefined ? null : r2(x));

function forecastItem(f: ForecastView | undefined) {
  if (f === undefined) return null;
  return {
    status: f.status,
    method: f.method,
    step_seconds: f.stepMs / 1000,
    data_points: f.dataPoints,
    window_seconds: f.windowMs / 1000,
    confidence: f.confidence,
    points: f.points.map((p) => ({ ts: new Date(p.tsMs).toISOString(), mean: r2(p.mean), lower80: r2(p.lower80), upper80: r2(p.upper80), lower95: r2(p.lower95), upper95: r2(p.upper95) })),
  };
}

const exhaustion = (e: ExhaustionView | undefined) => (e === undefined ? null : { expected_days: days(e.expectedDays), earliest_days: days(e.earliestDays), horizon_days: r2(e.horizonDays) });

function outlookItem(o: OutlookView) {
  const n = o.nMinusOne;
  return {
    level: o.level,
    entity: o.entity,
    resource: o.resource,
    unit: o.resource === 'cpu' ? 'millicores' : 'bytes',
    capacity: o.capacity ?? null,
    current_requests: o.currentRequests,
    usage: forecastItem(o.usage),
    requests: forecastItem(o.requests),
    requests_exhaustion: exhaustion(o.requestsExhaustion),
    usage_exhaustion: exhaustion(o.usageExhaustion),
    nodes_for_growth: o.nodesForGrowth ?? null,
    n_minus_one: n === undefined ? null : { fits: n.fits, largest_node: n.largestNode ?? null, cpu_ratio: r2(n.cpuRatio), memory_ratio: r2(n.memoryRatio), extra_nodes: n.extraNodes },
  };
}

function offsetOf(raw: string | undefined): number {
  if (raw === undefined) return 0;
  const n = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(n)) throw badRequest('continue is not a cursor of this route.', { parameter: 'continue' });
  return n;
}

/** Registers `GET /api/v1/forecasts`. */
export function forecastsRoutes(app: FastifyInstance, deps: ForecastsRouteDeps): void {
  app.get('/api/v1/forecasts', async (request) => {
    const query = request.query as RawQuery;
    const level = enumParam(query, 'level', { allowed: LEVELS });
    const resource = enumParam(query, 'resource', { allowed: RESOURCES });
    const entity = stringParam(query, 'entity');
    const limit = parseLimit(stringParam(query, 'limit'));
    const offset = offsetOf(stringParam(query, 'continue'));
    const report = deps.forecasts();
    if (report === undefined) throw new AppError('KRM_API_NOT_READY', 'No capacity forecast yet: the first analysis pass has not run.', { details: { analysis: 'capacity' } });
    const all = report.outlooks.filter((o) => (level === undefined || o.level === level) && (resource === undefined || o.resource === resource) && (entity === undefined || o.entity === entity));
    const page = all.slice(offset, offset + limit);
    return {
      computed_at: new Date(report.computedAtMs).toISOString(),
      horizon_days: r2(report.horizonMs / 86_400_000),
      requests_history: report.requestsHistory,
      items: page.map(outlookItem),
      total: all.length,
      continue: offset + limit < all.length ? String(offset + limit) : null,
    };
  });
}

const str = { type: 'string' };
const forecastSchema = {
  type: ['object', 'null'],
  properties: {
    status: { type: 'string', enum: ['ok', 'insufficient_data'] },
    method: str,
    step_seconds: { type: 'number' },
    data_points: { type: 'integer' },
    window_seconds: { type: 'number', description: 'Span of the history the forecast stands on.' },
    confidence: { type: 'string', enum: ['low', 'medium', 'high'] },
    points: {
      type: 'array',
      items: { type: 'object', properties: { ts: timestamp, mean: { type: 'number' }, lower80: { type: 'number' }, upper80: { type: 'number' }, lower95: { type: 'number' }, upper95: { type: 'number' } } },
    },
  },
};
const exhaustionSchema = {
  type: ['object', 'null'],
  properties: {
    expected_days: { ...nullableNumber, description: 'Days until the point forecast reaches the limit; 0: already there; null: not within the horizon.' },
    earliest_days: { ...nullableNumber, description: 'Same for the upper 95 % bound.' },
    horizon_days: { type: 'number' },
  },
};
const outlookSchema = {
  type: 'object',
  required: ['level', 'entity', 'resource', 'unit', 'capacity', 'current_requests', 'usage'],
  properties: {
    level: { type: 'string', enum: LEVELS },
    entity: { type: 'string', description: 'Cluster name, pool (node label value), namespace, or `namespace/quota`.' },
    resource: { type: 'string', enum: RESOURCES },
    unit: { type: 'string', enum: ['millicores', 'bytes'] },
    capacity: { ...nullableNumber, description: 'Allocatable (cluster, pool) or hard (quota); null for a namespace.' },
    current_requests: { type: 'number' },
    usage: forecastSchema,
    requests: forecastSchema,
    requests_exhaustion: { ...exhaustionSchema, description: 'Requests reaching 90 % of allocatable, or the quota hard.' },
    usage_exhaustion: { ...exhaustionSchema, description: 'Usage reaching the capacity.' },
    nodes_for_growth: { ...nullableNumber, description: 'Nodes of the typical size to add for the upper 95 % requests at the horizon.' },
    n_minus_one: {
      type: ['object', 'null'],
      properties: { fits: { type: 'boolean' }, largest_node: { type: ['string', 'null'] }, cpu_ratio: nullableNumber, memory_ratio: nullableNumber, extra_nodes: { type: ['integer', 'null'] } },
    },
  },
};

/** OpenAPI paths of this route, for openapi.ts. */
export const forecastsPaths: OpenApiPaths = {
  '/api/v1/forecasts': {
    get: {
      summary: 'Capacity forecasts of the latest analysis pass',
      security: BEARER,
      parameters: [
        queryParam('level', { type: 'string', enum: LEVELS }, 'Only this level.'),
        queryParam('entity', str, 'Only this entity (cluster name, pool, namespace or `namespace/quota`).'),
        queryParam('resource', { type: 'string', enum: RESOURCES }, 'Only this resource.'),
        ...PAGE_PARAMS,
      ],
      responses: {
        '200': {
          description: 'One page of outlooks, cluster first, then pools, namespaces and quotas',
          content: json(listOf(outlookSchema, { computed_at: timestamp, horizon_days: { type: 'number' }, requests_history: { type: 'string', enum: ['ok', 'empty', 'truncated', 'unavailable'] } })),
        },
        ...API_ERRORS,
      },
    },
  },
};
