// SPDX-License-Identifier: Apache-2.0
// Failures of Kubernetes API calls as one typed error with a stable code. The codes follow the KRM_<AREA>_<WHAT>
// scheme and are documented in docs/errors.md.
import { AppError } from '../../errors/app-error.ts';
import { num, obj, str } from './raw-access.ts';

/** Stable codes of Kubernetes API failures. */
export type KubeErrorCode =
  /** 410 Gone: the resourceVersion or continue token is older than the server's window; relist. */
  | 'KRM_KUBE_GONE'
  | 'KRM_KUBE_UNAUTHORIZED'
  | 'KRM_KUBE_FORBIDDEN'
  /** The resource is not served (CRD missing, API group disabled). */
  | 'KRM_KUBE_NOT_FOUND'
  /** 429 or 5xx: the server is overloaded or restarting. */
  | 'KRM_KUBE_UNAVAILABLE'
  /** Any other non-success status. */
  | 'KRM_KUBE_REQUEST_FAILED'
  /** A body that is not the JSON the API promises (truncated list, malformed watch line). */
  | 'KRM_KUBE_BAD_RESPONSE'
  /** Connection refused, reset or ended mid-body. */
  | 'KRM_KUBE_TRANSPORT'
  /** A watch sent neither an event nor a bookmark for longer than the watchdog allows. */
  | 'KRM_KUBE_WATCHDOG'
  /** A paginated list kept losing its continue token to compaction. */
  | 'KRM_KUBE_LIST_EXPIRED';

/** A failed Kubernetes API call. `status` is the HTTP status or the `code` of a watch ERROR event's Status. */
export class KubeApiError extends AppError {
  declare readonly code: KubeErrorCode;
  readonly status?: number;
  /** The Status `reason` (`Expired`, `Forbidden`, …) when the server sent one. */
  readonly reason?: string;
  /** True when the Status came in a watch `ERROR` event on an HTTP 200 stream rather than as the HTTP answer. */
  readonly fromWatchEvent: boolean;
  constructor(
    code: KubeErrorCode,
    message: string,
    opts: { status?: number; reason?: string; cause?: unknown; fromWatchEvent?: boolean } = {},
  ) {
    super(code, message, { cause: opts.cause });
    this.status = opts.status;
    this.reason = opts.reason;
    this.fromWatchEvent = opts.fromWatchEvent ?? false;
  }
}

function codeForStatus(status: number): KubeErrorCode {
  if (status === 410) return 'KRM_KUBE_GONE';
  if (status === 401) return 'KRM_KUBE_UNAUTHORIZED';
  if (status === 403) return 'KRM_KUBE_FORBIDDEN';
  if (status === 404) return 'KRM_KUBE_NOT_FOUND';
  if (status === 429 || status >= 500) return 'KRM_KUBE_UNAVAILABLE';
  return 'KRM_KUBE_REQUEST_FAILED';
}

/**
 * The error for a `Status` object, as sent in a non-2xx body or in a watch `ERROR` event. An ERROR event for a
 * too-old resourceVersion arrives on an HTTP 200 stream with `{"code":410,"reason":"Expired"}` (watch cache) or
 * `"reason":"Gone"` (etcd); both mean the same thing to us: relist.
 */
export function errorFromStatus(status: unknown, opts: { httpStatus: number; fromWatchEvent?: boolean }): KubeApiError {
  const s = obj(status);
  const code = num(s.code) ?? opts.httpStatus;
  const reason = str(s.reason);
  const text = str(s.message) ?? `HTTP ${code}`;
  return new KubeApiError(codeForStatus(code), text, { status: code, reason, fromWatchEvent: opts.fromWatchEvent });
}

/** Parses a non-2xx response body (a Status, or plain text from a proxy in front of the API server). */
export function errorFromResponse(httpStatus: number, body: string): KubeApiError {
  try {
    return errorFromStatus(JSON.parse(body), { httpStatus });
  } catch {
    // Not JSON (a load balancer's HTML page, an empty body): the status code alone still classifies it.
    return new KubeApiError(codeForStatus(httpStatus), body.slice(0, 200) || `HTTP ${httpStatus}`, { status: httpStatus });
  }
}

/** Normalizes any thrown value to a KubeApiError; unknown errors become transport failures. */
export function toKubeError(err: unknown): KubeApiError {
  if (err instanceof KubeApiError) return err;
  const e = err instanceof Error ? err : new Error(String(err));
  return new KubeApiError('KRM_KUBE_TRANSPORT', e.message, { cause: e });
}
