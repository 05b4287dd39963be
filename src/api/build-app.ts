// SPDX-License-Identifier: Apache-2.0
// Builds the HTTP app (not listening): error translation, optional bearer auth on /api/*, self-metrics, health
// probes, /metrics and /openapi.json. Everything it reads is injected, so tests drive it with `app.inject()`.
import { LogController, fastify, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { ClusterView } from '../domain/kube-ports.ts';
import type { FindingStore, HistoryStore, SampleStore } from '../domain/ports.ts';
import type { Logger } from '../logging/logger.ts';
import type { SelfMetrics } from '../metrics/registry.ts';
import { installBearerAuth } from './auth.ts';
import type { HealthProvider } from './contract.ts';
import { installErrorHandler } from './error-handler.ts';
import { installHttpMetrics } from './http-metrics.ts';
import { startLoopLagMonitor } from './loop-lag.ts';
import { openApiDocument } from './openapi.ts';
import { clusterRoutes } from './routes/cluster.ts';
import { costsRoutes, type CostsRouteDeps } from './routes/costs.ts';
import { eventsRoutes } from './routes/events.ts';
import { findingsRoutes } from './routes/findings.ts';
import { forecastsRoutes, type ForecastsRouteDeps } from './routes/forecasts.ts';
import { healthRoutes } from './routes/health.ts';
import { namespaceRoutes } from './routes/namespaces.ts';
import { nodeRoutes } from './routes/nodes.ts';
import { podRoutes, type LatestUsage } from './routes/pods.ts';
import { seriesRoutes } from './routes/series.ts';
import { workloadRoutes } from './routes/workloads.ts';

/** What the app reads. */
export interface AppDeps {
  readonly clusterView?: ClusterView;
  readonly sampleStore?: SampleStore;
  /** Usage of the last collection; with `clusterView`, enables /api/v1/cluster, nodes, namespaces, workloads and pods. */
  readonly latestUsage?: LatestUsage;
  /** Persisted object and event history; enables /api/v1/events. */
  readonly historyStore?: HistoryStore;
  /** Findings and recommendations of the analyses; enables /api/v1/findings and /api/v1/recommendations. */
  readonly findingStore?: FindingStore;
  /** The latest capacity forecasts; enables /api/v1/forecasts. */
  readonly forecasts?: ForecastsRouteDeps['forecasts'];
  /** Showback over a window; enables /api/v1/costs. */
  readonly costs?: CostsRouteDeps['costs'];
  /** `cluster.name`: whose stored series and history rows are served (default `default`). */
  readonly clusterName?: string;
  readonly health: HealthProvider;
  readonly metrics: SelfMetrics;
  readonly log: Logger;
  /** `token`: bearer token required on /api/* (unset: no auth). */
  readonly config: { readonly token?: string };
  /** Current time in epoch ms; default `Date.now`. */
  readonly now?: () => number;
  /** Worst recent event-loop delay in ms; default a `monitorEventLoopDelay` monitor stopped on close. */
  readonly eventLoopLagMs?: () => number;
  /** Version in /openapi.json; default `0.0.0`. */
  readonly version?: string;
}

function lagSource(app: FastifyInstance, deps: AppDeps): () => number {
  if (deps.eventLoopLagMs !== undefined) return deps.eventLoopLagMs;
  const monitor = startLoopLagMonitor();
  app.addHook('onClose', async () => monitor.stop());
  return () => monitor.readMaxMs();
}

/** The routes over the stores: series, events, findings and recommendations, each when its store is wired. */
function storeRoutes(app: FastifyInstance, deps: AppDeps, now: () => number): void {
  const cluster = deps.clusterName ?? 'default';
  if (deps.sampleStore !== undefined) seriesRoutes(app, { store: deps.sampleStore, cluster, now });
  if (deps.historyStore !== undefined) eventsRoutes(app, { history: deps.historyStore, cluster, now });
  if (deps.findingStore !== undefined) findingsRoutes(app, { findings: deps.findingStore, cluster });
  if (deps.forecasts !== undefined) forecastsRoutes(app, { forecasts: deps.forecasts });
  if (deps.costs !== undefined) costsRoutes(app, { costs: deps.costs });
}

/** Creates the fastify app. Call `listen()` or `inject()` on it, and `close()` when done. */
export function buildApp(deps: AppDeps): FastifyInstance {
  const app = fastify({
    // Typed as fastify's base logger so the app is a plain FastifyInstance for the route modules.
    loggerInstance: deps.log.child({ component: 'api' }) as FastifyBaseLogger,
    // No per-request lines: the self-metrics count requests and the error handler logs failures.
    logController: new LogController({ disableRequestLogging: true }),
    // Route templates keep their trailing-slash variants apart; `/health/` is not `/health`.
    routerOptions: { ignoreTrailingSlash: false },
  });
  installErrorHandler(app);
  installBearerAuth(app, deps.config.token);
  installHttpMetrics(app, deps.metrics);
  const now = deps.now ?? Date.now;
  healthRoutes(app, { health: deps.health, now, eventLoopLagMs: lagSource(app, deps) });
  app.get('/metrics', async (_request, reply) => {
    const text = await deps.metrics.registry.metrics();
    return reply.type(deps.metrics.registry.contentType).send(text);
  });
  const usageRoutes = deps.clusterView !== undefined && deps.latestUsage !== undefined;
  if (deps.clusterView !== undefined && deps.latestUsage !== undefined) {
    const usageDeps = { cluster: deps.clusterView, usage: deps.latestUsage };
    clusterRoutes(app, usageDeps);
    nodeRoutes(app, usageDeps);
    namespaceRoutes(app, usageDeps);
    workloadRoutes(app, usageDeps);
    podRoutes(app, usageDeps);
  }
  storeRoutes(app, deps, now);
  const document = openApiDocument(deps.version ?? '0.0.0', {
    usageRoutes,
    seriesRoute: deps.sampleStore !== undefined,
    eventsRoute: deps.historyStore !== undefined,
    findingsRoutes: deps.findingStore !== undefined,
    forecastsRoute: deps.forecasts !== undefined,
    costsRoute: deps.costs !== undefined,
  });
  app.get('/openapi.json', async () => document);
  return app;
}
