// SPDX-License-Identifier: Apache-2.0
// Health endpoints (REQUIREMENTS §6.2): `/health` (full check), `/health/liveness` (event loop alive) and
// `/health/readiness` (initial sync done and database open). Never behind the API token.
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../errors/app-error.ts';
import { errorResponse, json, type OpenApiPaths } from '../openapi-common.ts';
import type { AnalysisState, AnalysisStateWire, HealthProvider, HealthReport, HealthResponse, LastCollection, LastCollectionWire, OverallStatus, ProbeResponse } from '../contract.ts';

/** Liveness fails when the event loop lagged longer than this. */
export const MAX_LOOP_LAG_MS = 5000;

/** Inputs of the health routes. */
export interface HealthRouteDeps {
  readonly health: HealthProvider;
  /** Current time in epoch ms. */
  readonly now: () => number;
  /** Worst event-loop delay observed recently, in ms. */
  readonly eventLoopLagMs: () => number;
}

/**
 * Overall status (docs/health.md): an unavailable database or a cluster never synced makes the instance unhealthy;
 * a degraded database (read-only, full), an unreachable Kubernetes API after the sync or an unhealthy Prometheus
 * makes it degraded (cached data is still served); else healthy.
 */
export function overallStatus(report: HealthReport): OverallStatus {
  if (report.database === 'unavailable' || report.initialSyncDone === false) return 'unhealthy';
  const degraded = report.database === 'degraded' || report.kubernetes === 'unhealthy' || report.prometheus === 'unhealthy';
  return degraded ? 'degraded' : 'healthy';
}

function toWire(c: LastCollection): LastCollectionWire {
  return {
    source: c.source,
    started_at: new Date(c.startedAtMs).toISOString(),
    finished_at: new Date(c.finishedAtMs).toISOString(),
    duration_ms: c.finishedAtMs - c.startedAtMs,
    pods: c.pods,
    containers: c.containers,
    errors: c.errors,
  };
}

function analysisWire(a: AnalysisState): AnalysisStateWire {
  return {
    analysis: a.analysis,
    status: a.status,
    last_run_at: a.lastRunAtMs === undefined ? null : new Date(a.lastRunAtMs).toISOString(),
    duration_ms: a.durationMs ?? null,
    findings: a.findings ?? null,
    message: a.message ?? null,
  };
}

/** The `/health` body of a report. */
export function healthResponse(report: HealthReport, nowMs: number): HealthResponse {
  return {
    status: overallStatus(report),
    timestamp: new Date(nowMs).toISOString(),
    database_status: report.database === 'ok' ? 'healthy' : 'unhealthy',
    kubernetes_status: report.kubernetes,
    prometheus_status: report.prometheus,
    usage_source: report.usageSource,
    last_collection: report.lastCollection === undefined ? null : toWire(report.lastCollection),
    ...(report.analyses === undefined ? {} : { analyses: report.analyses.map(analysisWire) }),
  };
}

function notReadyReason(state: { initialSyncDone: boolean; databaseOpen: boolean }): string | undefined {
  if (!state.databaseOpen) return 'database_not_open';
  if (!state.initialSyncDone) return 'initial_sync_pending';
  return undefined;
}

/** Registers the three health routes. */
export function healthRoutes(app: FastifyInstance, deps: HealthRouteDeps): void {
  app.get('/health', async (_request, reply) => {
    const body = healthResponse(await deps.health.check(), deps.now());
    return reply.code(body.status === 'unhealthy' ? 503 : 200).send(body);
  });
  app.get('/health/liveness', async (_request, reply) => {
    const lagMs = deps.eventLoopLagMs();
    if (lagMs > MAX_LOOP_LAG_MS) {
      throw new AppError('KRM_API_NOT_READY', 'The event loop is blocked.', { details: { event_loop_lag_ms: Math.round(lagMs) } });
    }
    const body: ProbeResponse = { status: 'alive', timestamp: new Date(deps.now()).toISOString() };
    return reply.send(body);
  });
  app.get('/health/readiness', async (_request, reply) => {
    const reason = notReadyReason(deps.health.readiness());
    if (reason !== undefined) throw new AppError('KRM_API_NOT_READY', 'The instance is not ready.', { details: { reason } });
    const body: ProbeResponse = { status: 'ready', timestamp: new Date(deps.now()).toISOString() };
    return reply.send(body);
  });
}

const health = { $ref: '#/components/schemas/Health' };
const probe = { $ref: '#/components/schemas/Probe' };

/** OpenAPI fragment of this module (the probes stay open when auth is on). */
export const healthPaths: OpenApiPaths = {
  '/health': {
    get: {
      summary: 'Full health check of every component',
      responses: { '200': { description: 'Healthy or degraded', content: json(health) }, '503': { description: 'Unhealthy', content: json(health) } },
    },
  },
  '/health/liveness': {
    get: {
      summary: 'The process and its event loop are alive',
      responses: { '200': { description: 'Alive', content: json(probe) }, '503': errorResponse('Event loop blocked (KRM_API_NOT_READY)') },
    },
  },
  '/health/readiness': {
    get: {
      summary: 'Initial sync done and database open',
      responses: { '200': { description: 'Ready', content: json(probe) }, '503': errorResponse('Not ready (KRM_API_NOT_READY)') },
    },
  },
};
