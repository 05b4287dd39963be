// SPDX-License-Identifier: Apache-2.0
// `krm report --server URL`: the findings and recommendations a running monitor already holds, read page by page
// from `/api/v1/findings` (open ones) and `/api/v1/recommendations` with the API's keyset `continue` cursor.
import { AppError } from '../../errors/app-error.ts';
import { ERROR_CODES, type ErrorCode } from '../../errors/codes.ts';
import type { Report, ReportRecommendation } from './report-model.ts';
import type { ReportMode, ReportOptions } from './report-options.ts';
import { findingFromWire, recommendationFromWire } from './report-server-items.ts';

const PAGE_LIMIT = 500;
/** Pages read per route at most: a bound against a cursor that never ends. */
const MAX_PAGES = 1000;
const TIMEOUT_MS = 60_000;

type ServerMode = Extract<ReportMode, { kind: 'server' }>;

function failure(message: string, cause?: unknown): AppError {
  return new AppError('KRM_REPORT_SERVER_FAILED', message, { cause });
}

/** The API's error envelope as an AppError with its code (an unknown code becomes ours). */
function apiError(status: number, text: string, url: string): AppError {
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    const code = body.error?.code;
    const message = typeof body.error?.message === 'string' ? body.error.message : `HTTP ${status}`;
    if (typeof code === 'string' && code in ERROR_CODES) return new AppError(code as ErrorCode, `${url}: ${message}`);
  } catch {
    // not the API's envelope: reported below with the status
  }
  return failure(`${url} answered HTTP ${status}: ${text.slice(0, 200)}`);
}

async function getJson(url: string, mode: ServerMode, signal: AbortSignal): Promise<Record<string, unknown>> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (mode.token !== undefined) headers.Authorization = `Bearer ${mode.token}`;
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, { headers, signal: AbortSignal.any([signal, AbortSignal.timeout(TIMEOUT_MS)]) });
    text = await res.text();
  } catch (err) {
    signal.throwIfAborted();
    throw failure(`cannot reach the monitor at ${url}: ${err instanceof Error ? err.message : String(err)}`, err);
  }
  if (!res.ok) throw apiError(res.status, text, url);
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (err) {
    throw failure(`${url} did not answer JSON`, err);
  }
}

/** Every item of a paginated route. */
async function readAll(o: { mode: ServerMode; path: string; params: URLSearchParams; signal: AbortSignal }): Promise<unknown[]> {
  const items: unknown[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const params = new URLSearchParams(o.params);
    params.set('limit', String(PAGE_LIMIT));
    if (cursor !== undefined) params.set('continue', cursor);
    const url = `${o.mode.url}${o.path}?${params.toString()}`;
    const body = await getJson(url, o.mode, o.signal);
    if (!Array.isArray(body.items)) throw failure(`${url} answered without an items list`);
    items.push(...(body.items as unknown[]));
    if (typeof body.continue !== 'string' || body.continue === '') return items;
    cursor = body.continue;
  }
  throw failure(`${o.path} kept returning pages past ${MAX_PAGES}`);
}

/** One pass per namespace asked for (the routes filter one namespace), or one over all of them. */
async function readScoped(o: { mode: ServerMode; path: string; base: Record<string, string>; namespaces: readonly string[]; signal: AbortSignal }): Promise<unknown[]> {
  const scopes = o.namespaces.length === 0 ? [undefined] : o.namespaces;
  const out: unknown[] = [];
  for (const ns of scopes) {
    const params = new URLSearchParams(o.base);
    if (ns !== undefined) params.set('namespace', ns);
    out.push(...(await readAll({ mode: o.mode, path: o.path, params, signal: o.signal })));
  }
  return out;
}

/** The monitor's open findings and its recommendations of the chosen strategy. */
export async function fetchServerReport(o: ReportOptions, mode: ServerMode, signal: AbortSignal): Promise<Report> {
  const findings = await readScoped({ mode, path: '/api/v1/findings', base: { state: 'open' }, namespaces: o.namespaces, signal });
  const recs = await readScoped({ mode, path: '/api/v1/recommendations', base: { strategy: o.strategy }, namespaces: o.namespaces, signal });
  return {
    cluster: o.clusterName,
    generatedAtMs: Date.now(),
    source: 'server',
    strategy: o.strategy,
    windowMs: o.windowMs,
    findings: findings.map((f) => findingFromWire(f, o.clusterName)),
    recommendations: recs.map(recommendationFromWire).filter((x): x is ReportRecommendation => x !== undefined),
  };
}
