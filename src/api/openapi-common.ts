// SPDX-License-Identifier: Apache-2.0
// Building blocks of the OpenAPI fragments each route module exports (openapi.ts composes them). Kept apart from
// openapi.ts so route modules can use them without an import cycle through the document.

/** A `paths` fragment: path template → operations. */
export type OpenApiPaths = Readonly<Record<string, Record<string, unknown>>>;

export const errorRef = { $ref: '#/components/schemas/Error' };

export function json(schema: object): Record<string, unknown> {
  return { 'application/json': { schema } };
}

export function errorResponse(description: string): Record<string, unknown> {
  return { description, content: json(errorRef) };
}

/** The error answers every `/api/v1` route can give (auth, bad parameters, not ready). */
export const API_ERRORS = {
  '400': { $ref: '#/components/responses/BadRequest' },
  '401': { $ref: '#/components/responses/Unauthorized' },
  '503': { $ref: '#/components/responses/Unavailable' },
};

export const NOT_FOUND = { '404': { $ref: '#/components/responses/NotFound' } };

/** Operations under `/api` need the bearer token when auth is on. */
export const BEARER = [{ bearer: [] }];

export const nullableNumber = { type: ['number', 'null'] };
export const nullableString = { type: ['string', 'null'] };
export const timestamp = { type: 'string', format: 'date-time' };

/** A query parameter. */
export function queryParam(name: string, schema: object, description: string): Record<string, unknown> {
  return { name, in: 'query', required: false, schema, description };
}

/** A path parameter. */
export function pathParam(name: string, description: string): Record<string, unknown> {
  return { name, in: 'path', required: true, schema: { type: 'string' }, description };
}

/** `limit` and `continue` of the keyset-paginated lists. */
export const PAGE_PARAMS = [
  queryParam('limit', { type: 'integer', minimum: 1, maximum: 1000, default: 100 }, 'Page size.'),
  queryParam('continue', { type: 'string' }, 'The `continue` token of the previous page; valid only with the same filters and sort.'),
];

/** CPU and memory of a group of pods: usage at the last collection (null when unknown) against requests and limits. */
export const usageBlocks = {
  cpu: {
    type: 'object',
    properties: { usage_millicores: nullableNumber, request_millicores: { type: 'number' }, limit_millicores: { type: 'number' } },
  },
  memory: {
    type: 'object',
    properties: { usage_bytes: nullableNumber, request_bytes: { type: 'number' }, limit_bytes: { type: 'number' } },
  },
};

/** A list answer: `items` of `item`, `total` matching, `continue` token or null. */
export function listOf(item: object, extra: Record<string, object> = {}): Record<string, unknown> {
  return {
    type: 'object',
    required: ['items', 'continue'],
    properties: { items: { type: 'array', items: item }, total: { type: 'integer' }, continue: nullableString, ...extra },
  };
}
