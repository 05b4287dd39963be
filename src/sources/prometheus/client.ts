// SPDX-License-Identifier: Apache-2.0
// A small Prometheus HTTP API client: instant queries by POST to /api/v1/query and the metric-name list from
// /api/v1/label/__name__/values (REQUIREMENTS §1.5.2, §1.8), with bearer, basic or custom-header authentication,
// an optional path prefix (Thanos, Cortex, Mimir) and a 60 s client timeout. Responses are checked against the
// API's envelope; failures are PrometheusErrors with stable codes.
import { withDeadline } from '../../runtime/deadline.ts';
import { arr, obj, str } from '../kube/raw-access.ts';
import { codeForStatus, PrometheusError, toPrometheusError } from './errors.ts';

export const PROMETHEUS_TIMEOUT_MS = 60_000;

export type PrometheusAuth =
  | { readonly type: 'bearer'; readonly token: string }
  | { readonly type: 'basic'; readonly username: string; readonly password: string };

export interface PrometheusClientOptions {
  /** Base URL including any path prefix, e.g. `http://prometheus:9090` or `https://thanos/api/prom`. */
  readonly url: string;
  readonly auth?: PrometheusAuth;
  /** Extra headers, e.g. a tenant header (`X-Scope-OrgID`). */
  readonly headers?: Readonly<Record<string, string>>;
  readonly timeoutMs?: number;
  /** Injected for tests; default the global fetch. */
  readonly fetch?: typeof fetch;
  /** Called after each request with its duration (self-metrics); `type` is bounded: instant, names, ready. */
  readonly onRequest?: (r: PrometheusRequestObservation) => void;
}

/** One timed Prometheus request. */
export interface PrometheusRequestObservation {
  readonly type: 'instant' | 'names' | 'ready';
  readonly durationSec: number;
  /** False when the request failed (transport error, non-2xx answer). */
  readonly ok: boolean;
}

/** One series of an instant vector. */
export interface VectorSample {
  readonly labels: Readonly<Record<string, string>>;
  /** Seconds since the epoch, as Prometheus sends it. */
  readonly timestampSec: number;
  readonly value: number;
}

export interface PrometheusClient {
  /** An instant query; rejects unless the result is a vector. */
  queryVector(query: string, opts: { signal: AbortSignal; timeSec?: number }): Promise<VectorSample[]>;
  /** Every metric name Prometheus holds. */
  metricNames(opts: { signal: AbortSignal }): Promise<string[]>;
  /** `/-/ready` answers 200. */
  ready(opts: { signal: AbortSignal }): Promise<boolean>;
}

/** Prometheus credentials from configuration fields: a bearer token wins over basic auth; none gives undefined. */
export function prometheusAuthOf(p: { readonly bearerToken?: string; readonly username?: string; readonly password?: string }): PrometheusAuth | undefined {
  if (p.bearerToken !== undefined) return { type: 'bearer', token: p.bearerToken };
  if (p.username !== undefined) return { type: 'basic', username: p.username, password: p.password ?? '' };
  return undefined;
}

/** Request headers of every Prometheus call (instant and range): JSON, our user agent, the credentials. */
export function authHeaders(opts: PrometheusClientOptions): Record<string, string> {
  const headers: Record<string, string> = { Accept: 'application/json', 'User-Agent': 'kube-resource-monitor', ...opts.headers };
  if (opts.auth?.type === 'bearer') headers.Authorization = `Bearer ${opts.auth.token}`;
  if (opts.auth?.type === 'basic') headers.Authorization = `Basic ${Buffer.from(`${opts.auth.username}:${opts.auth.password}`).toString('base64')}`;
  return headers;
}

const isOk = (status: number): boolean => status >= 200 && status < 300;

/** Unwraps the `{status, data | errorType, error}` envelope. */
export function parseEnvelope(status: number, text: string): unknown {
  let body: Readonly<Record<string, unknown>>;
  try {
    body = obj(JSON.parse(text));
  } catch (cause) {
    const code = isOk(status) ? 'KRM_PROM_BAD_RESPONSE' : codeForStatus(status, undefined);
    throw new PrometheusError(code, `HTTP ${status}: ${text.slice(0, 200) || 'not JSON'}`, { status, cause });
  }
  if (body.status === 'success' && isOk(status)) return body.data;
  const errorType = str(body.errorType);
  const code = isOk(status) ? 'KRM_PROM_BAD_RESPONSE' : codeForStatus(status, errorType);
  throw new PrometheusError(code, str(body.error) ?? `HTTP ${status}`, { status, errorType });
}

function sampleOf(raw: unknown): VectorSample {
  const r = obj(raw);
  const pair = arr(r.value);
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj(r.metric))) if (typeof v === 'string') labels[k] = v;
  const value = Number(str(pair[1]));
  const timestampSec = Number(pair[0]);
  if (pair.length !== 2 || Number.isNaN(timestampSec)) throw new PrometheusError('KRM_PROM_BAD_RESPONSE', 'a vector sample is not [time, "value"]');
  return { labels, timestampSec, value };
}

/** The samples of an instant-query `data` block; rejects a result type other than `vector`. */
export function parseVector(data: unknown): VectorSample[] {
  const d = obj(data);
  if (d.resultType !== 'vector') throw new PrometheusError('KRM_PROM_BAD_RESPONSE', `expected a vector result, got ${String(d.resultType)}`);
  return arr(d.result).map(sampleOf);
}

export function createPrometheusClient(opts: PrometheusClientOptions): PrometheusClient {
  const base = opts.url.replace(/\/+$/, '');
  const doFetch = opts.fetch ?? fetch;
  const headers = authHeaders(opts);
  const timeoutMs = opts.timeoutMs ?? PROMETHEUS_TIMEOUT_MS;

  async function fetchText(path: string, init: { signal: AbortSignal; body?: URLSearchParams }): Promise<{ status: number; text: string }> {
    try {
      return await withDeadline(init.signal, timeoutMs, async (signal) => {
        const res = await doFetch(base + path, { method: init.body ? 'POST' : 'GET', headers, body: init.body, signal });
        return { status: res.status, text: await res.text() };
      });
    } catch (err) {
      init.signal.throwIfAborted();
      throw toPrometheusError(err);
    }
  }

  async function call(path: string, init: { signal: AbortSignal; body?: URLSearchParams; type: PrometheusRequestObservation['type'] }) {
    const startMs = performance.now();
    let ok = false;
    try {
      const res = await fetchText(path, init);
      ok = isOk(res.status);
      return res;
    } finally {
      opts.onRequest?.({ type: init.type, durationSec: (performance.now() - startMs) / 1000, ok });
    }
  }

  return {
    async queryVector(query, q) {
      const body = new URLSearchParams({ query });
      if (q.timeSec !== undefined) body.set('time', String(q.timeSec));
      const res = await call('/api/v1/query', { signal: q.signal, body, type: 'instant' });
      return parseVector(parseEnvelope(res.status, res.text));
    },
    async metricNames(q) {
      const res = await call('/api/v1/label/__name__/values', { signal: q.signal, type: 'names' });
      return arr(parseEnvelope(res.status, res.text)).filter((n): n is string => typeof n === 'string');
    },
    async ready(q) {
      const res = await call('/-/ready', { signal: q.signal, type: 'ready' });
      return res.status === 200;
    },
  };
}
