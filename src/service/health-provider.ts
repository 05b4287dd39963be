// SPDX-License-Identifier: Apache-2.0
// The HealthProvider of the running service: Kubernetes from the cluster cache's sync state, the database from the
// store's status, Prometheus and the usage source from the source selector, and the collector's last cycle. Every
// input is in memory, so no caching is needed.
import type { ComponentStatus, HealthProvider, HealthReport, LastCollection, PrometheusStatus } from '../api/contract.ts';
import type { ClusterView } from '../domain/kube-ports.ts';
import type { SampleStore } from '../domain/ports.ts';
import type { SourceSelector } from '../sources/usage/index.ts';

export interface HealthProviderDeps {
  readonly cluster: ClusterView;
  readonly store: SampleStore;
  readonly selector: SourceSelector;
  readonly lastCollection: () => LastCollection | undefined;
  /** False once the store was closed. */
  readonly storeOpen: () => boolean;
}

function prometheusStatus(selector: SourceSelector): PrometheusStatus {
  const prom = selector.state().sources.find((s) => s.name === 'prometheus');
  if (prom === undefined || prom.status === 'disabled') return 'disabled';
  return prom.status === 'unhealthy' ? 'unhealthy' : 'healthy';
}

function kubernetesStatus(cluster: ClusterView): ComponentStatus {
  return cluster.isReady() ? 'healthy' : 'unhealthy';
}

export function createHealthProvider(deps: HealthProviderDeps): HealthProvider {
  return {
    async check(): Promise<HealthReport> {
      const database = !deps.storeOpen() ? 'unavailable' : deps.store.status().writable ? 'ok' : 'degraded';
      const last = deps.lastCollection();
      return {
        database,
        kubernetes: kubernetesStatus(deps.cluster),
        prometheus: prometheusStatus(deps.selector),
        usageSource: deps.selector.state().active ?? 'none',
        ...(last === undefined ? {} : { lastCollection: last }),
      };
    },
    readiness: () => ({ initialSyncDone: deps.cluster.isReady(), databaseOpen: deps.storeOpen() }),
  };
}
