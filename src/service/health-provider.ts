// SPDX-License-Identifier: Apache-2.0
// The HealthProvider of the running service: Kubernetes from the cluster cache's sync state and its loops'
// connections, the database from the store's status, Prometheus and the usage source from the source selector,
// and the collector's last cycle. Every input is in memory, so no caching is needed. The mapping is documented in
// docs/health.md.
import type { ComponentStatus, HealthProvider, HealthReport, LastCollection, PrometheusStatus } from '../api/contract.ts';
import type { ClusterView, KindConnection } from '../domain/kube-ports.ts';
import type { SampleStore } from '../domain/ports.ts';
import type { SourceSelector } from '../sources/usage/index.ts';

/**
 * A kind whose loop failed this many attempts in a row without an answer from the API server makes Kubernetes
 * unhealthy: one failure is a dropped connection that the next attempt usually repairs; the second means the
 * retry after the backoff failed too.
 */
export const KUBE_UNHEALTHY_AFTER_FAILURES = 2;

/** A kind failing for this long (its retry still pending or hanging) makes Kubernetes unhealthy too. */
export const KUBE_UNHEALTHY_AFTER_MS = 30_000;

export interface HealthProviderDeps {
  readonly cluster: ClusterView;
  readonly store: SampleStore;
  readonly selector: SourceSelector;
  readonly lastCollection: () => LastCollection | undefined;
  /** False once the store was closed. */
  readonly storeOpen: () => boolean;
  /** Epoch ms; default Date.now. */
  readonly now?: () => number;
}

function prometheusStatus(selector: SourceSelector): PrometheusStatus {
  const prom = selector.state().sources.find((s) => s.name === 'prometheus');
  if (prom === undefined || prom.status === 'disabled') return 'disabled';
  return prom.status === 'unhealthy' ? 'unhealthy' : 'healthy';
}

/** The API server does not serve this kind: repeated failures, a failure older than the grace, or a stalled watch. */
export function connectionFailing(c: KindConnection, nowMs: number): boolean {
  if (c.stalled || c.consecutiveFailures >= KUBE_UNHEALTHY_AFTER_FAILURES) return true;
  return c.failingSinceMs !== undefined && nowMs - c.failingSinceMs >= KUBE_UNHEALTHY_AFTER_MS;
}

/** Unhealthy before the first sync, or while any readiness-gating kind's connection is failing. */
export function kubernetesStatus(cluster: ClusterView, nowMs: number): ComponentStatus {
  if (!cluster.isReady()) return 'unhealthy';
  const failing = cluster.syncStatus().some((s) => s.gatesReadiness && s.connection !== undefined && connectionFailing(s.connection, nowMs));
  return failing ? 'unhealthy' : 'healthy';
}

export function createHealthProvider(deps: HealthProviderDeps): HealthProvider {
  const now = deps.now ?? Date.now;
  return {
    async check(): Promise<HealthReport> {
      const database = !deps.storeOpen() ? 'unavailable' : deps.store.status().writable ? 'ok' : 'degraded';
      const last = deps.lastCollection();
      return {
        database,
        kubernetes: kubernetesStatus(deps.cluster, now()),
        initialSyncDone: deps.cluster.isReady(),
        prometheus: prometheusStatus(deps.selector),
        usageSource: deps.selector.state().active ?? 'none',
        ...(last === undefined ? {} : { lastCollection: last }),
      };
    },
    readiness: () => ({ initialSyncDone: deps.cluster.isReady(), databaseOpen: deps.storeOpen() }),
  };
}
