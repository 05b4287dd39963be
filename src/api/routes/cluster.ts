// SPDX-License-Identifier: Apache-2.0
// `GET /api/v1/cluster`: the summary of the whole cluster: nodes, pods by phase, and CPU and memory usage against
// the requests and limits of the active pods and the nodes' allocatable resources.
import type { FastifyInstance } from 'fastify';
import type { Node, Pod } from '../../domain/resources.ts';
import { API_ERRORS, BEARER, json, nullableNumber, type OpenApiPaths } from '../openapi-common.ts';
import { isNodeReady } from './nodes.ts';
import { sumActivePodTotals } from '../../domain/pod-resources.ts';
import { POD_PHASES, type UsageRouteDeps } from './pods.ts';

interface Totals {
  usageCpu: number | null;
  usageMemory: number | null;
  cpuRequest: number;
  cpuLimit: number;
  memoryRequest: number;
  memoryLimit: number;
}

function podSums(pods: readonly Pod[]): Totals {
  return { usageCpu: null, usageMemory: null, ...sumActivePodTotals(pods) };
}

function usageSums(nodes: readonly Node[], deps: UsageRouteDeps): Pick<Totals, 'usageCpu' | 'usageMemory'> {
  let usageCpu: number | null = null;
  let usageMemory: number | null = null;
  for (const node of nodes) {
    const u = deps.usage.node(node.name);
    if (u === undefined) continue;
    usageCpu = (usageCpu ?? 0) + u.cpuMillicores;
    usageMemory = (usageMemory ?? 0) + u.memoryBytes;
  }
  return { usageCpu, usageMemory };
}

function phases(pods: readonly Pod[]): Record<string, number> {
  const out: Record<string, number> = Object.fromEntries(POD_PHASES.map((p) => [p, 0]));
  for (const pod of pods) out[pod.phase] = (out[pod.phase] ?? 0) + 1;
  return out;
}

/** Registers `GET /api/v1/cluster`. */
export function clusterRoutes(app: FastifyInstance, deps: UsageRouteDeps): void {
  app.get('/api/v1/cluster', async () => {
    const nodes = deps.cluster.list('nodes');
    const pods = deps.cluster.list('pods');
    const t = { ...podSums(pods), ...usageSums(nodes, deps) };
    const collectedAt = deps.usage.collectedAtMs();
    return {
      nodes: { total: nodes.length, ready: nodes.filter(isNodeReady).length },
      pods: { total: pods.length, by_phase: phases(pods) },
      cpu: {
        usage_millicores: t.usageCpu,
        request_millicores: t.cpuRequest,
        limit_millicores: t.cpuLimit,
        allocatable_millicores: nodes.reduce((s, n) => s + (n.allocatable.cpuMillicores ?? 0), 0),
      },
      memory: {
        usage_bytes: t.usageMemory,
        request_bytes: t.memoryRequest,
        limit_bytes: t.memoryLimit,
        allocatable_bytes: nodes.reduce((s, n) => s + (n.allocatable.memoryBytes ?? 0), 0),
      },
      collected_at: collectedAt === undefined ? null : new Date(collectedAt).toISOString(),
    };
  });
}

const count = { type: 'integer' };

/** OpenAPI fragment of this module. */
export const clusterPaths: OpenApiPaths = {
  '/api/v1/cluster': {
    get: {
      summary: 'Cluster summary: nodes, pods by phase, usage against requests, limits and allocatable',
      security: BEARER,
      responses: {
        '200': {
          description: 'Summary',
          content: json({
            type: 'object',
            properties: {
              nodes: { type: 'object', properties: { total: count, ready: count } },
              pods: { type: 'object', properties: { total: count, by_phase: { type: 'object', additionalProperties: count } } },
              cpu: { type: 'object', properties: { usage_millicores: nullableNumber, request_millicores: { type: 'number' }, limit_millicores: { type: 'number' }, allocatable_millicores: { type: 'number' } } },
              memory: { type: 'object', properties: { usage_bytes: nullableNumber, request_bytes: { type: 'number' }, limit_bytes: { type: 'number' }, allocatable_bytes: { type: 'number' } } },
              collected_at: { type: ['string', 'null'], format: 'date-time' },
            },
          }),
        },
        ...API_ERRORS,
      },
    },
  },
};
