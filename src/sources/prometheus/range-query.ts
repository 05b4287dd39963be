// SPDX-License-Identifier: Apache-2.0
// The range side of the Prometheus HTTP API for the history backfill (REQUIREMENTS §1.5.2): `/api/v1/query_range`
// (matrix results) and `/api/v1/label/<name>/values` restricted by `match[]` and a time range, which is how the
// backfill learns the namespaces that had containers without listing series. Same options, envelope checks and
// error codes as the instant client (client.ts); the live path never needs ranges, so they live apart.
import { withDeadline } from '../../runtime/deadline.ts';
import { arr, obj } from '../kube/raw-access.ts';
import { authHeaders, PROMETHEUS_TIMEOUT_MS, parseEnvelope, type PrometheusClientOptions } from './client.ts';
import { PrometheusError, toPrometheusError } from './errors.ts';
import { scanMatrix, type MatrixSeries } from './range-query-scan.ts';

export type { MatrixSeries };

/** Prometheus refuses a range query whose step yields more points than this per series. */
export const MAX_POINTS_PER_SERIES = 11_000;


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

const badPoint = (): PrometheusError => new PrometheusError('KRM_PROM_BAD_RESPONSE', 'a matrix point is not [time, "value"]');

/** One series of a matrix; plain loops, since a large read decodes millions of points. */
function seriesOf(raw: unknown): MatrixSeries {
  const r = obj(raw);
  const labels: Record<string, string> = {};
  const metric = obj(r.metric);
  for (const k in metric) {
    const v = metric[k];
    if (typeof v === 'string') labels[k] = v;
  }
  const points = arr(r.values);
  const n = points.length;
  const timestampsMs = new Float64Array(n);
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const pair = points[i];
    if (!Array.isArray(pair) || pair.length !== 2) throw badPoint();
    const t = Number(pair[0]);
    const v: unknown = pair[1];
    if (Number.isNaN(t)) throw badPoint();
    // Seconds with millisecond decimals: rounded so that the grid stays exact.
    timestampsMs[i] = Math.round(t * 1000);
    values[i] = typeof v === 'string' ? Number(v) : NaN;
  }
  return { labels, timestampsMs, values };
}

/** The series of a range-query `data` block; rejects a result type other than `matrix`. */
export function parseMatrix(data: unknown): MatrixSeries[] {
  const d = obj(data);
  if (d.resultType !== 'matrix') throw new PrometheusError('KRM_PROM_BAD_RESPONSE', `expected a matrix result, got ${String(d.resultType)}`);
  return arr(d.result).map(seriesOf);
}

/**
 * Extra headers of a range reader of `url`: a Prometheus on this host is asked for uncompressed answers. Gzip
 * costs Prometheus more CPU than the rest of a large matrix answer (and the reader the inflating), to save bytes
 * that loopback carries for free; across a network the smaller answer is worth it, so compression stays there.
 */
export function transferHeaders(url: string): Record<string, string> {
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return {};
  }
  const loopback = host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
  return loopback ? { 'Accept-Encoding': 'identity' } : {};
}

export function createRangeQuerier(opts: PrometheusClientOptions): RangeQuerier {
  const base = opts.url.replace(/\/+$/, '');
  const doFetch = opts.fetch ?? fetch;
  const headers = authHeaders(opts);
  const timeoutMs = opts.timeoutMs ?? PROMETHEUS_TIMEOUT_MS;

  // Queries are POSTed (long PromQL); the label-values endpoint only answers GET.
  async function fetchText(path: string, req: { params: URLSearchParams; post: boolean; signal: AbortSignal }): Promise<{ status: number; text: string }> {
    const { params, signal } = req;
    try {
      const url = req.post ? base + path : `${base}${path}?${params.toString()}`;
      const init = { method: req.post ? 'POST' : 'GET', headers, body: req.post ? params : undefined };
      return await withDeadline(signal, timeoutMs, async (deadline) => {
        const r = await doFetch(url, { ...init, signal: deadline });
        return { status: r.status, text: await r.text() };
      });
    } catch (err) {
      signal.throwIfAborted();
      throw toPrometheusError(err);
    }
  }

  const sec = (ms: number): string => String(ms / 1000);
  return {
    async queryRange(query, req) {
      const params = new URLSearchParams({ query, start: sec(req.startMs), end: sec(req.endMs), step: sec(req.stepMs) });
      const res = await fetchText('/api/v1/query_range', { params, post: true, signal: req.signal });
      // The direct scan for a successful matrix; JSON.parse for anything else (errors keep their codes).
      const scanned = res.status >= 200 && res.status < 300 ? scanMatrix(res.text) : undefined;
      return scanned ?? parseMatrix(parseEnvelope(res.status, res.text));
    },
    async labelValues(label, req) {
      const params = new URLSearchParams({ 'match[]': req.match, start: sec(req.startMs), end: sec(req.endMs) });
      const res = await fetchText(`/api/v1/label/${encodeURIComponent(label)}/values`, { params, post: false, signal: req.signal });
      const data = parseEnvelope(res.status, res.text);
      return arr(data).filter((v): v is string => typeof v === 'string');
    },
  };
}
