// SPDX-License-Identifier: Apache-2.0
// `GET /api/v1/series`: one stored usage series over a time range, downsampled on the server (the store picks the
// coarsest tier that still gives the asked step, REQUIREMENTS §2.4). One series per request keeps the contract small:
// the dashboard asks per chart, and the answer's size is bounded by the point limit below rather than by the data.
//
// Parameters: `kind`, `entity` (optional for kind `cluster`: the installation's cluster), `metric`; `from`/`to` as
// RFC 3339 or epoch milliseconds, `to` defaulting to now and `from` to one hour before `to`; `step` a duration
// (`30s`, `5m`, `1h`; default: the range in about 300 points); `quantiles` a comma list in [0, 1]. Point times `t`
// are epoch milliseconds, unlike the RFC 3339 of the rest of the API (and of `from`/`to` in the same answer): a
// chart wants numbers, and formatting thousands of dates was the largest cost of a long series' answer.
import type { FastifyInstance } from 'fastify';
import type { SampleStore } from '../../domain/ports.ts';
import { ENTITY_KINDS, METRIC, METRIC_UNITS, type EntityKind, type SeriesPoint, type SeriesQueryResult } from '../../domain/series.ts';
import { parseDuration } from '../../config/duration.ts';
import { AppError } from '../../errors/app-error.ts';
import { badRequest, enumParam, stringParam, type RawQuery } from './query-params.ts';

/** Most points one answer may hold: a week at one-minute resolution fits (10,080). */
export const MAX_SERIES_POINTS = 11_000;
/** Most quantiles per request. */
export const MAX_QUANTILES = 10;
/** Range when `from` is not given. */
export const DEFAULT_RANGE_MS = 3_600_000;

const METRICS: readonly string[] = Object.values(METRIC);
const EPOCH_MS = /^\d{1,15}$/;
// RFC 3339: date, `T`, time with optional fraction, `Z` or a numeric offset (the `T` and `Z` in either case).
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** A validated request. Times are epoch ms; the range is `[fromMs, toMs)`. */
export interface SeriesRequest {
  readonly kind: EntityKind;
  readonly entity: string;
  readonly metric: string;
  readonly fromMs: number;
  readonly toMs: number;
  readonly stepMs?: number;
  readonly quantiles: readonly number[];
}

/** What the route reads. */
export interface SeriesRouteDeps {
  readonly store: SampleStore;
  /** The `cluster` of the series keys (the collector's), and the default entity of kind `cluster`. */
  readonly cluster: string;
  /** Current time in epoch ms. */
  readonly now: () => number;
}

/** RFC 3339 or epoch milliseconds; undefined when absent. */
export function parseTime(query: RawQuery, name: string): number | undefined {
  const raw = stringParam(query, name);
  if (raw === undefined) return undefined;
  const ms = EPOCH_MS.test(raw) ? Number(raw) : RFC3339.test(raw) ? Date.parse(raw) : Number.NaN;
  if (!Number.isFinite(ms)) {
    throw badRequest(`${name} must be an RFC 3339 time (2024-01-15T10:30:00Z) or epoch milliseconds.`, { parameter: name, value: raw });
  }
  return ms;
}

function parseStep(query: RawQuery): number | undefined {
  const raw = stringParam(query, 'step');
  if (raw === undefined) return undefined;
  const d = parseDuration(raw);
  if (!d.ok) throw badRequest(`step is not a duration: ${d.reason}.`, { parameter: 'step', value: raw });
  if (d.ms < 1000) throw badRequest('step must be at least 1s.', { parameter: 'step', value: raw });
  return d.ms;
}

export function parseQuantiles(query: RawQuery): number[] {
  const raw = stringParam(query, 'quantiles');
  if (raw === undefined) return [];
  const parts = raw.split(',').map((p) => p.trim());
  if (parts.length > MAX_QUANTILES) throw badRequest(`At most ${MAX_QUANTILES} quantiles may be asked.`, { parameter: 'quantiles', value: raw });
  return parts.map((p) => {
    const q = /^(\d+(\.\d*)?|\.\d+)$/.test(p) ? Number(p) : Number.NaN;
    if (!(q >= 0 && q <= 1)) throw badRequest('quantiles must be numbers from 0 to 1, comma-separated.', { parameter: 'quantiles', value: p });
    return q;
  });
}

function parseEntity(query: RawQuery, kind: EntityKind, cluster: string): string {
  const entity = stringParam(query, 'entity');
  if (entity !== undefined) return entity;
  if (kind === 'cluster') return cluster;
  throw badRequest('entity is required.', { parameter: 'entity' });
}

function parseRange(query: RawQuery, nowMs: number): { fromMs: number; toMs: number } {
  const toMs = parseTime(query, 'to') ?? nowMs;
  const fromMs = parseTime(query, 'from') ?? toMs - DEFAULT_RANGE_MS;
  if (fromMs >= toMs) throw badRequest('from must be before to.', { parameter: 'from', from: new Date(fromMs).toISOString(), to: new Date(toMs).toISOString() });
  return { fromMs, toMs };
}

/** Validates the query string; throws a 400 `KRM_API_BAD_REQUEST` naming the parameter at fault. */
export function parseSeriesRequest(query: RawQuery, ctx: { nowMs: number; cluster: string }): SeriesRequest {
  const kind = enumParam(query, 'kind', { allowed: ENTITY_KINDS });
  if (kind === undefined) throw badRequest('kind is required.', { parameter: 'kind' });
  const entity = parseEntity(query, kind, ctx.cluster);
  const metric = enumParam(query, 'metric', { allowed: METRICS });
  if (metric === undefined) throw badRequest('metric is required.', { parameter: 'metric' });
  const { fromMs, toMs } = parseRange(query, ctx.nowMs);
  const stepMs = parseStep(query);
  if (stepMs !== undefined && (toMs - fromMs) / stepMs > MAX_SERIES_POINTS) {
    const minStep = Math.ceil((toMs - fromMs) / MAX_SERIES_POINTS / 1000);
    throw badRequest(`step gives more than ${MAX_SERIES_POINTS} points over this range; use at least ${minStep}s.`, { parameter: 'step', min_step_seconds: minStep });
  }
  const quantiles = parseQuantiles(query);
  return { kind, entity, metric, fromMs, toMs, quantiles, ...(stepMs === undefined ? {} : { stepMs }) };
}

function pointOf(p: SeriesPoint) {
  return {
    t: p.tsMs,
    count: p.count,
    min: p.min,
    max: p.max,
    mean: p.mean,
    ...(p.quantiles === undefined ? {} : { quantiles: p.quantiles }),
  };
}

function answerOf(req: SeriesRequest, cluster: string, result: SeriesQueryResult) {
  const points = result.series[0]?.points ?? [];
  return {
    series: { cluster, kind: req.kind, entity: req.entity, metric: req.metric, unit: METRIC_UNITS[req.metric] ?? null },
    from: new Date(req.fromMs).toISOString(),
    to: new Date(req.toMs).toISOString(),
    tier: result.tier,
    step_ms: result.stepMs,
    quantiles: req.quantiles,
    approximate_quantiles: result.approximateQuantiles,
    quantile_relative_error: result.quantileRelativeError,
    points: points.map(pointOf),
  };
}

/** Registers `GET /api/v1/series`. */
export function seriesRoutes(app: FastifyInstance, deps: SeriesRouteDeps): void {
  app.get('/api/v1/series', async (request) => {
    const req = parseSeriesRequest(request.query as RawQuery, { nowMs: deps.now(), cluster: deps.cluster });
    const found = await deps.store.findSeries({ cluster: deps.cluster, kind: req.kind, entity: req.entity, metrics: [req.metric] });
    if (found.length === 0) {
      throw new AppError('KRM_API_NOT_FOUND', 'No stored series has this kind, entity and metric.', {
        details: { kind: req.kind, entity: req.entity, metric: req.metric },
      });
    }
    const result = await deps.store.query({
      seriesIds: found.map((s) => s.id),
      fromMs: req.fromMs,
      toMs: req.toMs,
      quantiles: req.quantiles,
      ...(req.stepMs === undefined ? {} : { stepMs: req.stepMs }),
    });
    return answerOf(req, deps.cluster, result);
  });
}

const json = (schema: object) => ({ 'application/json': { schema } });
const errorRef = { $ref: '#/components/responses/BadRequest' };
const param = (name: string, description: string, schema: object = { type: 'string' }) => ({ name, in: 'query', required: false, description, schema });
const requiredParam = (name: string, description: string, schema: object) => ({ ...param(name, description, schema), required: true });
const numberOrNull = { type: ['number', 'null'] };

const pointSchema = {
  type: 'object',
  required: ['t', 'count', 'min', 'max', 'mean'],
  properties: {
    t: { type: 'integer', description: 'Start of the step in epoch milliseconds (UTC); the point covers [t, t + step_ms).' },
    count: { type: 'integer', description: 'Samples aggregated into the point.' },
    min: { type: 'number' },
    max: { type: 'number' },
    mean: { type: 'number' },
    quantiles: { type: 'array', items: numberOrNull, description: 'Values of the asked quantiles, in the order asked.' },
  },
};

const answerSchema = {
  type: 'object',
  required: ['series', 'from', 'to', 'tier', 'step_ms', 'quantiles', 'approximate_quantiles', 'quantile_relative_error', 'points'],
  properties: {
    series: {
      type: 'object',
      required: ['cluster', 'kind', 'entity', 'metric', 'unit'],
      properties: {
        cluster: { type: 'string' },
        kind: { type: 'string', enum: [...ENTITY_KINDS] },
        entity: { type: 'string' },
        metric: { type: 'string' },
        unit: { type: ['string', 'null'], description: 'millicores, bytes, bytes/s, ratio or count.' },
      },
    },
    from: { type: 'string', format: 'date-time' },
    to: { type: 'string', format: 'date-time' },
    tier: { type: 'string', enum: ['raw', '5m', '1h', '1d'], description: 'Storage tier the points were read from.' },
    step_ms: { type: 'integer', description: 'Effective step: the asked step rounded up to a multiple of the tier resolution.' },
    quantiles: { type: 'array', items: { type: 'number' } },
    approximate_quantiles: { type: 'boolean', description: 'True when quantiles come from rollup sketches rather than raw samples.' },
    quantile_relative_error: { type: 'number', description: 'Relative error bound of approximate quantiles (0 when exact).' },
    points: { type: 'array', items: pointSchema, description: 'Steps without samples are left out.' },
  },
};

/** OpenAPI 3.1 paths of this route, in the style of `src/api/openapi.ts`. */
export const seriesPaths = {
  '/api/v1/series': {
    get: {
      summary: 'One usage series over a time range, downsampled on the server',
      parameters: [
        requiredParam('kind', 'Entity kind of the series.', { type: 'string', enum: [...ENTITY_KINDS] }),
        param('entity', 'Entity key: namespace/pod/container, namespace/pod, namespace/Kind/name (workload), namespace/name (PVC), node name, namespace name; for kind cluster it defaults to this installation\'s cluster.'),
        requiredParam('metric', 'Metric name; its suffix is its unit.', { type: 'string', enum: METRICS }),
        param('from', 'Range start, RFC 3339 or epoch milliseconds (default: one hour before to).'),
        param('to', 'Range end (exclusive), RFC 3339 or epoch milliseconds (default: now).'),
        param('step', `Width of one point as a duration (30s, 5m, 1h); at most ${MAX_SERIES_POINTS} points (default: about 300 points).`),
        param('quantiles', `Comma-separated quantiles in [0, 1], at most ${MAX_QUANTILES}, e.g. 0.5,0.95,0.99.`),
      ],
      responses: {
        '200': { description: 'The series\' points', content: json(answerSchema) },
        '400': errorRef,
        '401': { $ref: '#/components/responses/Unauthorized' },
        '404': { $ref: '#/components/responses/NotFound' },
      },
    },
  },
};
