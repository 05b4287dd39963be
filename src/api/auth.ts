// SPDX-License-Identifier: Apache-2.0
// Optional bearer-token authentication of `/api/*`. Health probes, /metrics, /openapi.json and the dashboard stay
// open. The comparison is constant-time (over SHA-256 digests, so lengths do not leak); the token is never logged.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../errors/app-error.ts';

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** True when the path is under the token-protected API prefix. */
export function isProtectedPath(request: FastifyRequest): boolean {
  const template = request.routeOptions.url;
  const path = request.url.split('?')[0] ?? '';
  return template?.startsWith('/api/') === true || path === '/api' || path.startsWith('/api/');
}

/** Extracts the bearer token of an Authorization header; undefined when absent or of another scheme. */
export function bearerOf(header: string | undefined): string | undefined {
  const match = header === undefined ? null : /^Bearer +(\S+) *$/i.exec(header);
  return match?.[1];
}

/** Adds the onRequest hook that rejects `/api/*` requests without the token. No-op when `token` is undefined. */
export function installBearerAuth(app: FastifyInstance, token: string | undefined): void {
  if (token === undefined || token === '') return;
  const expected = digest(token);
  app.addHook('onRequest', async (request, reply) => {
    if (!isProtectedPath(request)) return;
    const presented = bearerOf(request.headers.authorization);
    if (presented !== undefined && timingSafeEqual(digest(presented), expected)) return;
    void reply.header('www-authenticate', 'Bearer realm="krm"');
    throw new AppError('KRM_API_UNAUTHORIZED', presented === undefined ? 'A bearer token is required.' : 'The bearer token does not match.');
  });
}
