// SPDX-License-Identifier: Apache-2.0
// Every error code of the product, with the exit code (CLI) it maps to and a one-line explanation. docs/errors.md
// documents each; a test keeps the two in step.

export const ERROR_CODES = {
  KRM_CONFIG_INVALID: { exitCode: 2, doc: 'A flag, environment variable or configuration value is invalid.' },
  KRM_SCENARIO_INVALID: { exitCode: 2, doc: 'A simulator scenario file does not match the scenario schema.' },
  KRM_SCENARIO_NOT_FOUND: { exitCode: 2, doc: 'No built-in scenario or file has the given name.' },
  KRM_INPUT_INVALID: { exitCode: 2, doc: 'An input file (cluster dump, CSV) cannot be read or parsed.' },
  KRM_LISTEN_FAILED: { exitCode: 3, doc: 'The server could not listen on the requested host and port.' },
  KRM_TASK_TIMEOUT: { exitCode: 3, doc: 'A scheduled task exceeded its per-run timeout and was aborted.' },
  KRM_SHUTDOWN_TIMEOUT: { exitCode: 3, doc: 'Shutdown did not finish within its hard timeout; the process exited anyway.' },
  KRM_SHUTDOWN_FAILED: { exitCode: 3, doc: 'A component failed while closing (for example, buffered samples could not be written to a read-only database).' },
  KRM_STORE_CORRUPT: { exitCode: 3, doc: 'The history database failed its integrity check (PRAGMA quick_check).' },
  KRM_STORE_READONLY: { exitCode: 3, doc: 'The history database is read-only; reads are served, writes are queued and retried.' },
  KRM_STORE_FULL: { exitCode: 3, doc: 'The disk holding the history database is full; reads are served, writes are retried.' },
  KRM_STORE_IO: { exitCode: 3, doc: 'An I/O error on the history database.' },
  KRM_STORE_OPEN_FAILED: { exitCode: 3, doc: 'The history database file or its folder cannot be opened.' },
  KRM_STORE_MIGRATION_FAILED: { exitCode: 3, doc: 'A schema migration of the history database failed; the database is unchanged.' },
  KRM_KUBE_GONE: { exitCode: 3, doc: "The resourceVersion or continue token is older than the API server's window (410); the watch relists." },
  KRM_KUBE_UNAUTHORIZED: { exitCode: 3, doc: 'The API server rejected the credentials (401).' },
  KRM_KUBE_FORBIDDEN: { exitCode: 3, doc: 'RBAC forbids the request (403).' },
  KRM_KUBE_NOT_FOUND: { exitCode: 3, doc: 'The resource is not served (404): a missing API group or CRD.' },
  KRM_KUBE_UNAVAILABLE: { exitCode: 3, doc: 'The API server is overloaded or restarting (429 or 5xx).' },
  KRM_KUBE_REQUEST_FAILED: { exitCode: 3, doc: 'The API server answered with another error status.' },
  KRM_KUBE_BAD_RESPONSE: { exitCode: 3, doc: 'A body is not the JSON the API promises (truncated list, malformed watch line).' },
  KRM_KUBE_TRANSPORT: { exitCode: 3, doc: 'The connection was refused, reset or ended mid-body.' },
  KRM_KUBE_WATCHDOG: { exitCode: 3, doc: 'A watch sent neither an event nor a bookmark for longer than the watchdog allows.' },
  KRM_KUBE_LIST_EXPIRED: { exitCode: 3, doc: 'A paginated list kept losing its continue token to compaction.' },
  KRM_API_BAD_REQUEST: { exitCode: 2, doc: 'An API request has an invalid path, query parameter or body (HTTP 400).' },
  KRM_API_UNAUTHORIZED: { exitCode: 2, doc: 'An API request lacks the bearer token, or the token does not match (HTTP 401).' },
  KRM_API_NOT_FOUND: { exitCode: 2, doc: 'No API route or object matches the request (HTTP 404).' },
  KRM_API_NOT_READY: { exitCode: 3, doc: 'The instance cannot serve: initial sync pending, database not open, or event loop blocked (HTTP 503).' },
  KRM_PROM_TRANSPORT: { exitCode: 3, doc: 'Prometheus could not be reached (connection refused or reset, DNS failure).' },
  KRM_PROM_TIMEOUT: { exitCode: 3, doc: 'Prometheus did not answer within the client timeout, or the query hit its own timeout.' },
  KRM_PROM_UNAUTHORIZED: { exitCode: 3, doc: 'Prometheus rejected the credentials (401 or 403).' },
  KRM_PROM_QUERY_FAILED: { exitCode: 3, doc: 'A query was rejected or failed in Prometheus (bad_data, execution).' },
  KRM_PROM_UNAVAILABLE: { exitCode: 3, doc: 'Prometheus is overloaded or restarting (429 or 5xx).' },
  KRM_PROM_BAD_RESPONSE: { exitCode: 3, doc: "An answer was not the Prometheus API's JSON envelope, or of an unexpected type." },
  KRM_INTERNAL: { exitCode: 3, doc: 'An unexpected error; the message and cause say more.' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;
