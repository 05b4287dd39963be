// SPDX-License-Identifier: Apache-2.0
// Errors of the simulated API server's storage, with the `reason` and HTTP code a real API server puts in the
// `Status` object it answers with (metav1.StatusReason).

export type StatusReason =
  | 'NotFound'
  | 'AlreadyExists'
  | 'Conflict'
  | 'Expired'
  | 'Gone'
  | 'Invalid'
  | 'BadRequest'
  | 'MethodNotAllowed'
  | 'Unauthorized'
  | 'NotAcceptable';

const CODES: Record<StatusReason, number> = {
  NotFound: 404,
  AlreadyExists: 409,
  Conflict: 409,
  Expired: 410,
  Gone: 410,
  Invalid: 422,
  BadRequest: 400,
  MethodNotAllowed: 405,
  Unauthorized: 401,
  NotAcceptable: 406,
};

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: { reason?: string; message?: string; field?: string }[];
}

/** A failure the API layer turns into a `Status` object with this reason and code. */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  readonly code: number;
  constructor(
    readonly reason: StatusReason,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
    this.code = CODES[reason];
  }
}

/** The `metav1.Status` body a real API server sends for an error. */
export function statusBody(err: StoreError): Record<string, unknown> {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message: err.message,
    reason: err.reason,
    ...(err.details ? { details: err.details } : {}),
    code: err.code,
  };
}
