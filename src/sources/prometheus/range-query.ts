// SPDX-License-Identifier: Apache-2.0
// The range side of the Prometheus HTTP API for the history backfill (REQUIREMENTS §1.5.2): `/api/v1/query_range`
// (matrix results) and `/api/v1/label/<name>/values` restricted by `match[]` and a time range, which is how the
// backfill learns the namespaces that had containers without listing series. Same options, envelope checks and
// error codes as the instant client (client.ts); the live path never needs ranges, so they live apart.
import { arr, obj, str } from '../kube/raw-access.ts';
import { authHeaders, PROMETHEUS_TIMEOUT_MS, parseEnvelope, type PrometheusClientOptions } from './client.ts';
import { PrometheusError, toPrometheusError } from './errors.ts';

/** Prometheus refuses a range query whose step yields more points than this per series. */
export const MAX_POINTS_PER_SERIES = 11_000;

/** One series of a matrix: ascending timestamps (ms) and their values. */
export interface MatrixSeries {
  readonly labels: Readonly<Record<string, string>>;
  readonly timestampsMs: Float64Array;
  readonly values: Float64Array;
}

export interface RangeRequest {
  readonly signal: AbortSignal;
  /** Inclusive bounds of the evaluation grid, ms since the epoch. */
  readonly startMs: number;
  readonly endMs: number;
  readonly stepMs: number;
}

export interface RangeQuerier {
  /** A range query; rejects unless the result is a matrix. */
  queryRange(query: string, req: RangeRequest): Promise<MatrixSeries[]>;
  /** Values of a label on series matching `match` within the time range. */
  labelValues(label: string, req: { signal: AbortSignal; match: string; startMs: number; endMs: number }): Promise<string[]>;
}

function seriesOf(raw: unknown): MatrixSeries {
  const r = obj(raw);
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj(r.metric))) if (typeof v === 'string') labels[k] = v;
  const points = arr(r.values);
  const timestampsMs = new Float64Array(points.length);
  const values = new Float64Array(points.length);
  points.forEach((p, i) => {
    const pair = arr(p);
    const t = Number(pair[0]);
    if (pair.length !== 2 || Number.isNaN(t)) throw new PrometheusError('KRM_PROM_BAD_RESPONSE', 'a matrix point is not [time, "value"]');
    // Seconds with millisecond decimals: rounded so that the grid stays exact.
    timestampsMs[i] = Math.round(t * 1000);
    values[i] = Number(str(pair[1]));
  });
  return { labels, timestampsMs, values };
}

/** The series of a range-query `data` block; rejects a result type other than `matrix`. */
export function parseMatrix(data: unknown): MatrixSeries[] {
  const d = obj(data);
  if (d.resultType !== 'matrix') throw new PrometheusError('KRM_PROM_BAD_RESPONSE', `expected a matrix result, got ${String(d.resultType)}`);
  return arr(d.result).map(seriesOf);
}

export function createRangeQuerier(opts: PrometheusClientOptions): RangeQuerier {
  const base = opts.url.replace(/\/+$/, '');
  const doFetch = opts.fetch ?? fetch;
  const headers = authHeaders(opts);
  const timeoutMs = opts.timeoutMs ?? PROMETHEUS_TIMEOUT_MS;

  // Queries are POSTed (long PromQL); the label-values endpoint only answers GET.
  async function call(path: string, req: { params: URLSearchParams; post: boolean; signal: AbortSignal }): Promise<unknown> {
    const { params, signal } = req;
    let res: { status: number; text: string };
    try {
      const url = req.post ? base + path : `${base}${path}?${params.toString()}`;
      const init = { method: req.post ? 'POST' : 'GET', headers, body: req.post ? params : undefined };
      const r = await doFetch(url, { ...init, signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]) });
      res = { status: r.status, text: await r.text() };
    } catch (err) {
      signal.throwIfAborted();
      throw toPrometheusError(err);
    }
    return parseEnvelope(res.status, res.text);
  }

  const sec = (ms: number): string => String(ms / 1000);
  return {
    async queryRange(query, req) {
      const params = new URLSearchParams({ query, start: sec(req.startMs), end: sec(req.endMs), step: sec(req.stepMs) });
      return parseMatrix(await call('/api/v1/query_range', { params, post: true, signal: req.signal }));
    },
    async labelValues(label, req) {
      const params = new URLSearchParams({ 'match[]': req.match, start: sec(req.startMs), end: sec(req.endMs) });
      const data = await call(`/api/v1/label/${encodeURIComponent(label)}/values`, { params, post: false, signal: req.signal });
      return arr(data).filter((v): v is string => typeof v === 'string');
    },
  };
}
