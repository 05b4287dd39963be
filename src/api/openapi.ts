// SPDX-License-Identifier: Apache-2.0
// The hand-written OpenAPI 3.1 document served at `/openapi.json`. Each route module exports the `paths` fragment of
// the routes it registers, next to the handlers it describes; this file only composes them with the shared
// components (error shape, health schemas, bearer security). build-app.test.ts checks that every registered route
// appears here, so a new route module cannot be forgotten.
import { errorResponse, json, timestamp, type OpenApiPaths } from './openapi-common.ts';
import { clusterPaths } from './routes/cluster.ts';
import { costsPaths } from './routes/costs.ts';
import { eventsPaths } from './routes/events.ts';
import { findingsPaths } from './routes/findings.ts';
import { forecastsPaths } from './routes/forecasts.ts';
import { healthPaths } from './routes/health.ts';
import { namespacesPaths } from './routes/namespaces.ts';
import { nodesPaths } from './routes/nodes.ts';
import { podsPaths } from './routes/pods.ts';
import { seriesPaths } from './routes/series.ts';
import { workloadsPaths } from './routes/workloads.ts';

const componentStatus = { type: 'string', enum: ['healthy', 'unhealthy'] };
const usageSource = { type: 'string', enum: ['prometheus', 'metrics-server', 'kubelet', 'none'] };

const lastCollection = {
  type: ['object', 'null'],
  required: ['source', 'started_at', 'finished_at', 'duration_ms', 'pods', 'containers', 'errors'],
  properties: {
    source: usageSource,
    started_at: timestamp,
    finished_at: timestamp,
    duration_ms: { type: 'number' },
    pods: { type: 'integer' },
    containers: { type: 'integer' },
    errors: { type: 'integer' },
  },
};

const schemas = {
  Error: {
    type: 'object',
    required: ['error'],
    properties: {
      error: {
        type: 'object',
        required: ['code', 'message'],
        properties: {
          code: { type: 'string', pattern: '^KRM_[A-Z_]+$' },
          message: { type: 'string' },
          details: { type: 'object', description: 'E.g. `parameter` naming the query parameter of a 400.' },
        },
      },
    },
  },
  Health: {
    type: 'object',
    required: ['status', 'timestamp', 'database_status', 'kubernetes_status', 'prometheus_status', 'usage_source', 'last_collection'],
    properties: {
      status: { type: 'string', enum: ['healthy', 'degraded', 'unhealthy'] },
      timestamp,
      database_status: componentStatus,
      kubernetes_status: componentStatus,
      prometheus_status: { type: 'string', enum: ['healthy', 'unhealthy', 'disabled'] },
      usage_source: usageSource,
      last_collection: lastCollection,
      analyses: {
        type: 'array',
        description: 'Latest run of each scheduled analysis.',
        items: {
          type: 'object',
          required: ['analysis', 'status', 'last_run_at', 'duration_ms', 'findings', 'message'],
          properties: {
            analysis: { type: 'string' },
            status: { type: 'string', enum: ['pending', 'running', 'ok', 'degraded', 'unavailable', 'insufficient_data', 'failed'] },
            last_run_at: { type: ['string', 'null'], format: 'date-time' },
            duration_ms: { type: ['number', 'null'] },
            findings: { type: ['integer', 'null'] },
            message: { type: ['string', 'null'] },
          },
        },
      },
    },
  },
  Probe: { type: 'object', required: ['status', 'timestamp'], properties: { status: { type: 'string' }, timestamp } },
};

/** Routes build-app.ts registers itself. */
const corePaths: OpenApiPaths = {
  '/metrics': {
    get: {
      summary: 'Self-metrics in the Prometheus text format',
      responses: { '200': { description: 'Metrics', content: { 'text/plain': { schema: { type: 'string' } } } } },
    },
  },
  '/openapi.json': {
    get: { summary: 'This document', responses: { '200': { description: 'OpenAPI 3.1 document', content: json({ type: 'object' }) } } },
  },
};

/** The fragments of the routes served whenever the cluster view and usage are wired (see build-app.ts). */
const usagePaths: readonly OpenApiPaths[] = [clusterPaths, nodesPaths, namespacesPaths, workloadsPaths, podsPaths];

/** What the document covers besides the health, metrics and document routes. */
export interface OpenApiOptions {
  /** The cluster view and usage are wired, so cluster, nodes, namespaces, workloads and pods are served. */
  readonly usageRoutes?: boolean;
  /** The sample store is wired, so /api/v1/series is served. */
  readonly seriesRoute?: boolean;
  /** The history store is wired, so /api/v1/events is served. */
  readonly eventsRoute?: boolean;
  /** The finding store is wired, so /api/v1/findings and /api/v1/recommendations are served. */
  readonly findingsRoutes?: boolean;
  /** The capacity forecasts are wired, so /api/v1/forecasts is served. */
  readonly forecastsRoute?: boolean;
  /** The cost provider is wired, so /api/v1/costs is served. */
  readonly costsRoute?: boolean;
}

/** The OpenAPI document of the routes served; `version` is the product version. */
export function openApiDocument(version: string, opts: OpenApiOptions = {}): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: { title: 'Kubernetes Resource Monitor', version, license: { name: 'Apache-2.0', identifier: 'Apache-2.0' } },
    paths: Object.assign({}, healthPaths, corePaths, ...(opts.usageRoutes === true ? usagePaths : []), opts.seriesRoute === true ? seriesPaths : {}, opts.eventsRoute === true ? eventsPaths : {}, opts.findingsRoutes === true ? findingsPaths : {}, opts.forecastsRoute === true ? forecastsPaths : {}, opts.costsRoute === true ? costsPaths : {}),
    components: {
      schemas,
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'Required on /api/* when auth.mode is token.' } },
      responses: {
        BadRequest: errorResponse('Invalid parameters (KRM_API_BAD_REQUEST); `details.parameter` names the parameter'),
        Unauthorized: errorResponse('Missing or wrong bearer token (KRM_API_UNAUTHORIZED)'),
        NotFound: errorResponse('No such route or object (KRM_API_NOT_FOUND)'),
        Unavailable: errorResponse('The instance cannot serve right now (KRM_API_NOT_READY, KRM_STORE_*)'),
      },
    },
  };
}
