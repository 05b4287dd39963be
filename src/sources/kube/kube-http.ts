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
