// SPDX-License-Identifier: Apache-2.0
// The one translator from errors to HTTP answers: every error, route-not-found and validation failure leaves the API
// as `{"error":{"code","message","details"}}` with a matching status. 5xx are logged at error, 4xx at debug. Stack
// traces never reach a body.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors/app-error.ts';
import type { ErrorCode } from '../errors/codes.ts';
import type { ErrorResponse } from './contract.ts';

const STATUS_BY_CODE: Partial<Record<ErrorCode, number>> = {
  KRM_API_BAD_REQUEST: 400,
  KRM_CONFIG_INVALID: 400,
  KRM_INPUT_INVALID: 400,
  KRM_API_UNAUTHORIZED: 401,
  KRM_API_NOT_FOUND: 404,
  KRM_API_NOT_READY: 503,
  KRM_STORE_READONLY: 503,
  KRM_STORE_FULL: 503,
  KRM_STORE_IO: 503,
  KRM_STORE_OPEN_FAILED: 503,
  KRM_STORE_CORRUPT: 503,
  KRM_KUBE_UNAVAILABLE: 503,
  KRM_KUBE_TRANSPORT: 503,
  KRM_KUBE_WATCHDOG: 503,
  KRM_TASK_TIMEOUT: 503,
};

/** HTTP status of an error code; 500 for codes that mean a bug or an unexpected failure. */
export function statusOfCode(code: ErrorCode): number {
  return STATUS_BY_CODE[code] ?? 500;
}

interface Translated {
  readonly status: number;
  readonly body: ErrorResponse;
}

function isFastifyError(e: unknown): e is FastifyError {
  return e instanceof Error && typeof (e as Partial<FastifyError>).code === 'string' && 'statusCode' in e;
}

function fromFastifyError(e: FastifyError): Translated {
  if (e.validation !== undefined) {
    const details = { context: e.validationContext, issues: e.validation.map((v) => ({ path: v.instancePath, message: v.message })) };
    return { status: 400, body: { error: { code: 'KRM_API_BAD_REQUEST', message: e.message, details } } };
  }
  const status = e.statusCode ?? 500;
  if (status >= 400 && status < 500) {
    // Malformed requests fastify rejects itself (bad JSON body, unsupported media type, body too large).
    return { status, body: { error: { code: 'KRM_API_BAD_REQUEST', message: e.message, details: { reason: e.code } } } };
  }
  return { status: 500, body: { error: { code: 'KRM_INTERNAL', message: 'Internal server error.' } } };
}

/** Maps any thrown value to a status and the error body. */
export function translateError(e: unknown): Translated {
  if (e instanceof AppError) {
    const error = { code: e.code, message: e.message, ...(e.details === undefined ? {} : { details: e.details }) };
    return { status: statusOfCode(e.code), body: { error } };
  }
  if (isFastifyError(e)) return fromFastifyError(e);
  return { status: 500, body: { error: { code: 'KRM_INTERNAL', message: 'Internal server error.' } } };
}

function handleError(e: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const { status, body } = translateError(e);
  const fields = { event: 'http.error', method: request.method, endpoint: request.routeOptions.url ?? 'unmatched', status, code: body.error.code, err: e };
  if (status >= 500) request.log.error(fields, 'request failed');
  else request.log.debug(fields, 'request rejected');
  return reply.code(status).type('application/json; charset=utf-8').send(body);
}

function handleNotFound(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const body: ErrorResponse = {
    error: { code: 'KRM_API_NOT_FOUND', message: 'No route matches the request.', details: { method: request.method, path: request.url.split('?')[0] } },
  };
  request.log.debug({ event: 'http.error', method: request.method, endpoint: 'unmatched', status: 404, code: body.error.code }, 'request rejected');
  return reply.code(404).type('application/json; charset=utf-8').send(body);
}

/** Installs the error and not-found handlers on an app (call before routes are registered). */
export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler(handleError);
  app.setNotFoundHandler(handleNotFound);
}
