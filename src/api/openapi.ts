// SPDX-License-Identifier: Apache-2.0
// The hand-written OpenAPI 3.1 document of the routes this app serves, at `/openapi.json`.

const error = { $ref: '#/components/schemas/Error' };
const json = (schema: object) => ({ 'application/json': { schema } });
const errorResponse = (description: string) => ({ description, content: json(error) });
const timestamp = { type: 'string', format: 'date-time' };
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
        properties: { code: { type: 'string', pattern: '^KRM_[A-Z_]+$' }, message: { type: 'string' }, details: { type: 'object' } },
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
    },
  },
  Probe: { type: 'object', required: ['status', 'timestamp'], properties: { status: { type: 'string' }, timestamp } },
};

const paths = {
  '/health': {
    get: {
      summary: 'Full health check of every component',
      responses: {
        '200': { description: 'Healthy or degraded', content: json({ $ref: '#/components/schemas/Health' }) },
        '503': { description: 'Unhealthy', content: json({ $ref: '#/components/schemas/Health' }) },
      },
    },
  },
  '/health/liveness': {
    get: {
      summary: 'The process and its event loop are alive',
      responses: { '200': { description: 'Alive', content: json({ $ref: '#/components/schemas/Probe' }) }, '503': errorResponse('Event loop blocked') },
    },
  },
  '/health/readiness': {
    get: {
      summary: 'Initial sync done and database open',
      responses: { '200': { description: 'Ready', content: json({ $ref: '#/components/schemas/Probe' }) }, '503': errorResponse('Not ready') },
    },
  },
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

/** The OpenAPI document; `version` is the product version. */
export function openApiDocument(version: string): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: { title: 'Kubernetes Resource Monitor', version, license: { name: 'Apache-2.0', identifier: 'Apache-2.0' } },
    paths,
    components: {
      schemas,
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'Required on /api/* when auth.mode is token.' } },
      responses: {
        BadRequest: errorResponse('Invalid parameters (KRM_API_BAD_REQUEST)'),
        Unauthorized: errorResponse('Missing or wrong bearer token (KRM_API_UNAUTHORIZED)'),
        NotFound: errorResponse('No such route or object (KRM_API_NOT_FOUND)'),
      },
    },
  };
}
