// SPDX-License-Identifier: Apache-2.0
// Failures of Prometheus HTTP API calls as one typed error with a stable code (documented in docs/errors.md).
import { AppError } from '../../errors/app-error.ts';

export type PrometheusErrorCode =
  /** Connection refused or reset, DNS failure. */
  | 'KRM_PROM_TRANSPORT'
  /** No answer within the client timeout (60 s), or the server's own query timeout. */
  | 'KRM_PROM_TIMEOUT'
  /** 401 or 403: the credentials were rejected. */
  | 'KRM_PROM_UNAUTHORIZED'
  /** 400 or 422 with `errorType` bad_data / execution: the query itself is wrong or failed. */
  | 'KRM_PROM_QUERY_FAILED'
  /** 429 or 5xx: overloaded or restarting. */
  | 'KRM_PROM_UNAVAILABLE'
  /** A body that is not the API's JSON envelope, or a result of an unexpected type. */
  | 'KRM_PROM_BAD_RESPONSE';

/** A failed Prometheus call. */
export class PrometheusError extends AppError {
  declare readonly code: PrometheusErrorCode;
  readonly status?: number;
  /** The API's `errorType` (`bad_data`, `timeout`, `execution`, …) when it sent one. */
  readonly errorType?: string;
  constructor(code: PrometheusErrorCode, message: string, opts: { status?: number; errorType?: string; cause?: unknown } = {}) {
    super(code, message, { cause: opts.cause });
    this.status = opts.status;
    this.errorType = opts.errorType;
  }
}

export function codeForStatus(status: number, errorType: string | undefined): PrometheusErrorCode {
  if (status === 401 || status === 403) return 'KRM_PROM_UNAUTHORIZED';
  // Prometheus answers a query timeout with 503 and `errorType: timeout`: the query is too heavy, not the server down.
  if (errorType === 'timeout') return 'KRM_PROM_TIMEOUT';
  if (status === 429 || status >= 500) return errorType === 'execution' ? 'KRM_PROM_QUERY_FAILED' : 'KRM_PROM_UNAVAILABLE';
  return 'KRM_PROM_QUERY_FAILED';
}

export function toPrometheusError(err: unknown): PrometheusError {
  if (err instanceof PrometheusError) return err;
  const e = err instanceof Error ? err : new Error(String(err));
  if (e.name === 'TimeoutError') return new PrometheusError('KRM_PROM_TIMEOUT', 'no answer within the client timeout', { cause: e });
  return new PrometheusError('KRM_PROM_TRANSPORT', e.message, { cause: e });
}
