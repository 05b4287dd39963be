// SPDX-License-Identifier: Apache-2.0
// Records `http_requests_total`, `http_request_duration_seconds` (labelled with the route template, never the raw
// path) and `active_connections` for one app.
import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SelfMetrics } from '../metrics/registry.ts';

/** Label of requests no route matched (404s): keeps raw paths out of the label values. */
export const UNMATCHED_ENDPOINT = 'unmatched';

/** The route template of a request, e.g. `/api/v1/pods/:name`, or {@link UNMATCHED_ENDPOINT}. */
export function endpointOf(request: FastifyRequest): string {
  return request.is404 ? UNMATCHED_ENDPOINT : (request.routeOptions.url ?? UNMATCHED_ENDPOINT);
}

/** Adds the hooks and the connection listener that feed the HTTP self-metrics. */
export function installHttpMetrics(app: FastifyInstance, metrics: SelfMetrics): void {
  app.addHook('onResponse', async (request, reply) => {
    const labels = { method: request.method, endpoint: endpointOf(request) };
    metrics.httpRequests.inc({ ...labels, status: String(reply.statusCode) });
    metrics.httpRequestDuration.observe(labels, reply.elapsedTime / 1000);
  });
  app.server.on('connection', (socket: Socket) => {
    metrics.activeConnections.inc();
    socket.once('close', () => metrics.activeConnections.dec());
  });
}
