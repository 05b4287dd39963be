// SPDX-License-Identifier: Apache-2.0
// `GET /api/v1/costs`: showback per namespace or per tenant (REQUIREMENTS §3.11, issue 5 items 9 and 11). The cost is
// computed when asked, over the window asked, from the stored series: it is a read of history, not the verdict of an
// analysis pass, so it needs no pass to have run. The route only validates and shapes; the service computes.
import type { FastifyInstance } from 'fastify';
import type { CostRecord } from '../../analysis/quota/showback.ts';
import { API_ERRORS, BEARER, json, nullableNumber, queryParam, timestamp, type OpenApiPaths } from '../openapi-common.ts';
import { enumParam, stringParam, type RawQuery } from './query-params.ts';

export const COST_WINDOWS = { '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 } as const;
export type CostWindow = keyof typeof COST_WINDOWS;
const WINDOWS = Object.keys(COST_WINDOWS) as CostWindow[];
export const COST_GROUPS = ['namespace', 'tenant'] as const;
export type CostGroupBy = (typeof COST_GROUPS)[number];

/**
 * Cost of one namespace or tenant over the window: the showback record's hours, costs and waste (hours are
 * resource-hours billed at max(request, usage)), plus the requested and used hours behind the waste ratios.
 */
export interface CostItem extends Omit<CostRecord, 'namespace'> {
  /** The namespace, or the tenant. */
  readonly name: string;
  readonly namespaces: readonly string[];
  /** Requested and used core-hours and GiB-hours over the window. */
  readonly cpuRequestedCoreHours: number;
  readonly cpuUsedCoreHours: number;
  readonly memoryRequestedGiBHours: number;
  readonly memoryUsedGiBHours: number;
}

export interface CostReportView {
  readonly fromMs: number;
  readonly toMs: number;
  readonly prices: { readonly cpuCoreHour: number; readonly memoryGiBHour: number; readonly storageGiBHour: number };
  /** `history`: requests averaged from the pod history; `current`: no pod history, the live requests. */
  readonly requestsBasis: 'history' | 'current';
  readonly items: readonly CostItem[];
}

export interface CostQuery {
  readonly windowMs: number;
  readonly groupBy: CostGroupBy;
}

export interface CostsRouteDeps {
  readonly costs: (q: CostQuery) => Promise<CostReportView>;
}

const r4 = (x: number): number => Math.round(x * 10_000) / 10_000;
const ratio = (x: number | undefined): number | null => (x === undefined ? null : r4(x));

function costItem(c: CostItem, groupBy: CostGroupBy) {
  return {
    [groupBy]: c.name,
    tenant: c.tenant,
    namespaces: c.namespaces,
    cpu_core_hours: r4(c.cpuCoreHours),
    memory_gib_hours: r4(c.memoryGiBHours),
    storage_gib_hours: r4(c.storageGiBHours),
    cpu_cost: r4(c.cpuCost),
    memory_cost: r4(c.memoryCost),
    storage_cost: r4(c.storageCost),
    idle_cost: r4(c.idleCost),
    total_cost: r4(c.totalCost),
    requested: { cpu_core_hours: r4(c.cpuRequestedCoreHours), memory_gib_hours: r4(c.memoryRequestedGiBHours) },
    used: { cpu_core_hours: r4(c.cpuUsedCoreHours), memory_gib_hours: r4(c.memoryUsedGiBHours) },
    waste_ratio: { cpu: ratio(c.cpuWaste), memory: ratio(c.memoryWaste) },
  };
}

/** Registers `GET /api/v1/costs`. */
export function costsRoutes(app: FastifyInstance, deps: CostsRouteDeps): void {
  app.get('/api/v1/costs', async (request) => {
    const query = request.query as RawQuery;
    const window = enumParam(query, 'window', { allowed: WINDOWS, fallback: '24h' }) as CostWindow;
    const groupBy = enumParam(query, 'group_by', { allowed: COST_GROUPS, fallback: 'namespace' }) as CostGroupBy;
    const only = stringParam(query, groupBy);
    const report = await deps.costs({ windowMs: COST_WINDOWS[window], groupBy });
    const items = report.items.filter((i) => only === undefined || i.name === only);
    return {
      window,
      group_by: groupBy,
      from: new Date(report.fromMs).toISOString(),
      to: new Date(report.toMs).toISOString(),
      basis: 'max(request, usage)',
      requests_basis: report.requestsBasis,
      prices: { cpu_core_hour: report.prices.cpuCoreHour, memory_gib_hour: report.prices.memoryGiBHour, storage_gib_hour: report.prices.storageGiBHour },
      total_cost: r4(items.reduce((a, i) => a + i.totalCost, 0)),
      items: items.map((i) => costItem(i, groupBy)),
    };
  });
}

const num = { type: 'number' };
const hours = { type: 'object', properties: { cpu_core_hours: num, memory_gib_hours: num } };
const costItemSchema = {
  type: 'object',
  required: ['tenant', 'namespaces', 'total_cost', 'cpu_cost', 'memory_cost', 'storage_cost', 'idle_cost', 'requested', 'used', 'waste_ratio'],
  properties: {
    namespace: { type: 'string', description: 'With group_by=namespace.' },
    tenant: { type: 'string', description: 'Value of the tenant label; an unlabelled namespace is its own tenant.' },
    namespaces: { type: 'array', items: { type: 'string' } },
    cpu_core_hours: num,
    memory_gib_hours: num,
    storage_gib_hours: num,
    cpu_cost: num,
    memory_cost: num,
    storage_cost: num,
    idle_cost: { ...num, description: "Share of the nodes' unallocated capacity cost, by allocated cost." },
    total_cost: num,
    requested: hours,
    used: hours,
    waste_ratio: { type: 'object', description: '(requested − used) ÷ requested over the window; null without requests.', properties: { cpu: nullableNumber, memory: nullableNumber } },
  },
};

/** OpenAPI paths of this route, for openapi.ts. */
export const costsPaths: OpenApiPaths = {
  '/api/v1/costs': {
    get: {
      summary: 'Cost showback per namespace or tenant over a window',
      security: BEARER,
      parameters: [
        queryParam('window', { type: 'string', enum: WINDOWS, default: '24h' }, 'Window the stored series are integrated over.'),
        queryParam('group_by', { type: 'string', enum: COST_GROUPS, default: 'namespace' }, 'One item per namespace or per tenant.'),
        queryParam('namespace', { type: 'string' }, 'With group_by=namespace: only this namespace.'),
        queryParam('tenant', { type: 'string' }, 'With group_by=tenant: only this tenant.'),
      ],
      responses: {
        '200': {
          description: 'Costs, most expensive first',
          content: json({
            type: 'object',
            required: ['window', 'group_by', 'from', 'to', 'prices', 'total_cost', 'items'],
            properties: {
              window: { type: 'string', enum: WINDOWS },
              group_by: { type: 'string', enum: COST_GROUPS },
              from: timestamp,
              to: timestamp,
              basis: { type: 'string', description: 'Billing basis: max(request, usage), as OpenCost.' },
              requests_basis: { type: 'string', enum: ['history', 'current'], description: '`history`: requests averaged from the pod history; `current`: the live requests.' },
              prices: { type: 'object', properties: { cpu_core_hour: num, memory_gib_hour: num, storage_gib_hour: num } },
              total_cost: num,
              items: { type: 'array', items: costItemSchema },
            },
          }),
        },
        ...API_ERRORS,
      },
    },
  },
};
