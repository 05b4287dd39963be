// SPDX-License-Identifier: Apache-2.0
// `GET /api/v1/nodes`: every watched node with allocatable resources, the summed requests and limits of the pods
// scheduled on it (finished pods excluded) and its usage at the last collection.
import type { FastifyInstance } from 'fastify';
import type { ClusterView } from '../../domain/kube-ports.ts';
import type { Node } from '../../domain/resources.ts';
import { API_ERRORS, BEARER, json, listOf, nullableNumber, nullableString, type OpenApiPaths } from '../openapi-common.ts';
import { addPodTotals } from '../../domain/pod-resources.ts';
import { isActivePod, podTotals, type PodTotals, type UsageNow, type UsageRouteDeps } from './pods.ts';

interface NodeLoad extends PodTotals {
  readonly pods: number;
}

const EMPTY: NodeLoad = { pods: 0, cpuRequest: 0, cpuLimit: 0, memoryRequest: 0, memoryLimit: 0 };

/** Requests, limits and pod counts of the active pods per node name. */
export function loadByNode(cluster: ClusterView): Map<string, NodeLoad> {
  const out = new Map<string, NodeLoad>();
  for (const pod of cluster.list('pods')) {
    if (pod.nodeName === undefined || !isActivePod(pod)) continue;
    const prev = out.get(pod.nodeName) ?? EMPTY;
    out.set(pod.nodeName, { ...addPodTotals(prev, podTotals(pod)), pods: prev.pods + 1 });
  }
  return out;
}

export function isNodeReady(node: Node): boolean {
  return node.conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}

function cpuOf(node: Node, load: NodeLoad, usage: UsageNow | undefined) {
  return {
    usage_millicores: usage?.cpuMillicores ?? null,
    request_millicores: load.cpuRequest,
    limit_millicores: load.cpuLimit,
    allocatable_millicores: node.allocatable.cpuMillicores ?? null,
    capacity_millicores: node.capacity.cpuMillicores ?? null,
  };
}

function memoryOf(node: Node, load: NodeLoad, usage: UsageNow | undefined) {
  return {
    usage_bytes: usage?.memoryBytes ?? null,
    request_bytes: load.memoryRequest,
    limit_bytes: load.memoryLimit,
    allocatable_bytes: node.allocatable.memoryBytes ?? null,
    capacity_bytes: node.capacity.memoryBytes ?? null,
  };
}

function nodeItem(node: Node, load: NodeLoad, deps: UsageRouteDeps) {
  const u = deps.usage.node(node.name);
  return {
    name: node.name,
    ready: isNodeReady(node),
    unschedulable: node.unschedulable,
    roles: node.roles,
    zone: node.zone ?? null,
    instance_type: node.instanceType ?? null,
    kubelet_version: node.kubeletVersion ?? null,
    pods: { count: load.pods, allocatable: node.allocatable.pods ?? null },
    cpu: cpuOf(node, load, u),
    memory: memoryOf(node, load, u),
  };
}

/** Registers `GET /api/v1/nodes`. */
export function nodeRoutes(app: FastifyInstance, deps: UsageRouteDeps): void {
  app.get('/api/v1/nodes', async () => {
    const loads = loadByNode(deps.cluster);
    const items = [...deps.cluster.list('nodes')]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((n) => nodeItem(n, loads.get(n.name) ?? EMPTY, deps));
    return { items, total: items.length };
  });
}

const nodeSchema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    ready: { type: 'boolean' },
    unschedulable: { type: 'boolean' },
    roles: { type: 'array', items: { type: 'string' } },
    zone: nullableString,
    instance_type: nullableString,
    kubelet_version: nullableString,
    pods: { type: 'object', properties: { count: { type: 'integer' }, allocatable: nullableNumber } },
    cpu: {
      type: 'object',
      properties: { usage_millicores: nullableNumber, request_millicores: { type: 'number' }, limit_millicores: { type: 'number' }, allocatable_millicores: nullableNumber, capacity_millicores: nullableNumber },
    },
    memory: {
      type: 'object',
      properties: { usage_bytes: nullableNumber, request_bytes: { type: 'number' }, limit_bytes: { type: 'number' }, allocatable_bytes: nullableNumber, capacity_bytes: nullableNumber },
    },
  },
};

/** OpenAPI fragment of this module. */
export const nodesPaths: OpenApiPaths = {
  '/api/v1/nodes': {
    get: {
      summary: 'Nodes with allocatable resources, requests and limits of their pods, and usage',
      security: BEARER,
      responses: { '200': { description: 'Nodes sorted by name', content: json(listOf(nodeSchema)) }, ...API_ERRORS },
    },
  },
};
