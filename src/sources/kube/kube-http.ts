// SPDX-License-Identifier: Apache-2.0
// The one request shape the list/watch loop needs from a transport. `client.ts` implements it over node:http(s)
// with kubeconfig authentication; tests can implement it over anything.

/** A GET against the API server. */
export interface KubeHttpRequest {
  /** Absolute API path, e.g. `/api/v1/pods` or `/apis/apps/v1/deployments`. */
  readonly path: string;
  /** Query parameters; undefined values are left out. */
  readonly query?: Readonly<Record<string, string | undefined>>;
  /** Aborts the request and the body stream (shutdown, watchdog, per-page timeout). */
  readonly signal: AbortSignal;
}

/** Response of a {@link KubeHttp} call. The body must be read to its end or {@link KubeHttpResponse.discard}ed. */
export interface KubeHttpResponse {
  readonly status: number;
  /** The body as raw chunks, for streaming (watch). */
  readonly body: AsyncIterable<Uint8Array>;
  /** Reads the whole body as UTF-8 text (list pages, error Status bodies). */
  text(): Promise<string>;
  /** Drops the rest of the body and releases the connection. */
  discard(): void;
}

/** Performs one authenticated, rate-limited GET. Rejects on transport failure; any HTTP status resolves. */
export type KubeHttp = (req: KubeHttpRequest) => Promise<KubeHttpResponse>;

/** `path?query` with undefined values dropped and values URL-encoded. */
export function pathWithQuery(req: Pick<KubeHttpRequest, 'path' | 'query'>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) params.set(k, v);
  const qs = params.toString();
  return qs ? `${req.path}?${qs}` : req.path;
}

/** One timed request, for the request-duration histogram. Labels stay bounded: no object or namespace names. */
export interface KubeRequestObservation {
  /** `WATCH`, `LIST` (a collection) or `GET` (a named object or one of its subresources). */
  readonly verb: 'GET' | 'LIST' | 'WATCH';
  /** Plural resource with its group for non-core kinds (`pods`, `deployments.apps`, `pods.metrics.k8s.io`) and any subresource (`nodes/proxy`). */
  readonly resource: string;
  /** HTTP status, or `error` when the request failed without one. */
  readonly code: string;
  /** Until the response headers arrived (a watch's stream is not timed). */
  readonly durationSec: number;
}

/** Group and the segments after `/api/v1` or `/apis/<group>/<version>`, namespace prefix dropped. */
function splitApiPath(path: string): { group: string; rest: string[] } {
  const parts = path.split('/').filter((p) => p !== '');
  const core = parts[0] === 'api';
  const rest = parts.slice(core ? 2 : 3);
  const namespaced = rest[0] === 'namespaces' && rest.length > 2;
  return { group: core ? '' : (parts[1] ?? ''), rest: namespaced ? rest.slice(2) : rest };
}

/** Verb and resource of an API path: `/api/v1/namespaces/ns/pods` → LIST pods. */
export function describeKubeRequest(req: Pick<KubeHttpRequest, 'path' | 'query'>): Pick<KubeRequestObservation, 'verb' | 'resource'> {
  const { group, rest } = splitApiPath(req.path);
  const plural = `${rest[0] ?? 'unknown'}${group === '' ? '' : `.${group}`}`;
  const resource = rest[2] === undefined ? plural : `${plural}/${rest[2]}`;
  const watch = req.query?.watch === 'true' || req.query?.watch === '1';
  if (watch) return { verb: 'WATCH', resource };
  return { verb: rest.length > 1 ? 'GET' : 'LIST', resource };
}

/** Wraps a request function to report each request's duration, status and labels to `observe`. */
export function timedKubeHttp(http: KubeHttp, observe: (o: KubeRequestObservation) => void): KubeHttp {
  return async (req) => {
    const startMs = performance.now();
    const report = (code: string): void => observe({ ...describeKubeRequest(req), code, durationSec: (performance.now() - startMs) / 1000 });
    try {
      const res = await http(req);
      report(String(res.status));
      return res;
    } catch (err) {
      report('error');
      throw err;
    }
  };
}
