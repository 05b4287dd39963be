// SPDX-License-Identifier: Apache-2.0
// Wire types of the HTTP API (shared with the dashboard as types only) and the ports the API reads through that are
// not domain ports: the health provider. Field names of the health answers are a fixed contract (REQUIREMENTS §6.2).

/** Health of one component. */
export type ComponentStatus = 'healthy' | 'unhealthy';

/** Health of Prometheus: `disabled` when none is configured. */
export type PrometheusStatus = ComponentStatus | 'disabled';

/** Overall status of `/health`. */
export type OverallStatus = 'healthy' | 'degraded' | 'unhealthy';

/** Usage source in use, or `none` before the first choice. */
export type UsageSource = 'prometheus' | 'metrics-server' | 'kubelet' | 'none';

/**
 * State of the history database. `degraded`: open and serving reads, but writes fail (read-only file, full disk,
 * I/O errors). `unavailable`: not open, corrupt, or not answering.
 */
export type DatabaseState = 'ok' | 'degraded' | 'unavailable';

/** The last collection cycle as the provider reports it. Times are epoch ms. */
export interface LastCollection {
  readonly source: UsageSource;
  readonly startedAtMs: number;
  readonly finishedAtMs: number;
  readonly pods: number;
  readonly containers: number;
  readonly errors: number;
}

/** A full health check. The provider caches it (e.g. 5 s) so frequent probes do not hammer dependencies. */
export interface HealthReport {
  readonly database: DatabaseState;
  readonly kubernetes: ComponentStatus;
  readonly prometheus: PrometheusStatus;
  readonly usageSource: UsageSource;
  /**
   * Every readiness-gating kind has applied its first list. False makes the instance unhealthy (it has nothing
   * to serve); undefined counts as synced.
   */
  readonly initialSyncDone?: boolean;
  /** Undefined before the first cycle ended. */
  readonly lastCollection?: LastCollection;
  /** State of each scheduled analysis; absent when none is scheduled. */
  readonly analyses?: readonly AnalysisState[];
}

/** The latest run of one scheduled analysis. Times are epoch ms. */
export interface AnalysisState {
  readonly analysis: string;
  /** `pending` before the first run; `failed` when the run threw or timed out; else the run's own status. */
  readonly status: 'pending' | 'running' | 'ok' | 'degraded' | 'unavailable' | 'insufficient_data' | 'failed';
  readonly lastRunAtMs?: number;
  readonly durationMs?: number;
  readonly findings?: number;
  readonly message?: string;
}

/** One entry of `analyses` in `GET /health`. Times are RFC 3339 UTC. */
export interface AnalysisStateWire {
  analysis: string;
  status: AnalysisState['status'];
  last_run_at: string | null;
  duration_ms: number | null;
  findings: number | null;
  message: string | null;
}

/** Readiness inputs, read from memory only (no I/O). */
export interface ReadinessState {
  /** Every readiness-gating kind applied its first list. */
  readonly initialSyncDone: boolean;
  /** The database is open and migrated (a read-only or full database is still open). */
  readonly databaseOpen: boolean;
}

/** What the health routes read. Implemented by the composition root. */
export interface HealthProvider {
  check(): Promise<HealthReport>;
  readiness(): ReadinessState;
}

/** `last_collection` of `GET /health`. Times are RFC 3339 UTC. */
export interface LastCollectionWire {
  source: UsageSource;
  started_at: string;
  finished_at: string;
  duration_ms: number;
  pods: number;
  containers: number;
  errors: number;
}

/** Body of `GET /health` (HTTP 200 for healthy or degraded, 503 for unhealthy). */
export interface HealthResponse {
  status: OverallStatus;
  timestamp: string;
  database_status: ComponentStatus;
  kubernetes_status: ComponentStatus;
  prometheus_status: PrometheusStatus;
  usage_source: UsageSource;
  last_collection: LastCollectionWire | null;
  /** Present when analyses are scheduled. */
  analyses?: AnalysisStateWire[];
}

/** Body of `GET /health/liveness` and of a ready `GET /health/readiness`. */
export interface ProbeResponse {
  status: 'alive' | 'ready';
  timestamp: string;
}

/** The one error shape of the whole HTTP API. */
export interface ErrorResponse {
  error: {
    code: string;
    message: string;
    details?: Record<string, unknown>;
  };
}
