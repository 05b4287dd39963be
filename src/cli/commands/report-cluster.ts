// SPDX-License-Identifier: Apache-2.0
// The cluster objects of a local `krm report` (`--db`, `--prometheus`): one sync of every kind with the monitor's own
// ClusterCache, after which the watch loops stop; the analyses then read the cache as they read the live one.
import { AppError } from '../../errors/app-error.ts';
import type { ErrorCode } from '../../errors/codes.ts';
import { ClusterCache, createKubeClient } from '../../sources/kube/index.ts';
import type { WorkloadResolver } from '../../sources/prometheus/series-reader-totals.ts';

/** How long the first sync of the readiness-gating kinds may take. */
export const SYNC_TIMEOUT_MS = 120_000;
/** How long to wait further for the kinds that do not gate readiness (CRDs a cluster may not serve). */
const OPTIONAL_KINDS_WAIT_MS = 5_000;

export interface SyncedCluster {
  readonly cache: ClusterCache;
  readonly contextName: string;
  /** Pod → `ns/Kind/name` of its top owner, for the Prometheus reader's workload totals. */
  readonly workloadOf: WorkloadResolver;
}

function syncFailure(cache: ClusterCache): AppError {
  const failing = cache.syncStatus().find((s) => !s.synced && s.connection?.lastError !== undefined);
  const last = failing?.connection?.lastError;
  const code: ErrorCode = (last?.code as ErrorCode | undefined) ?? 'KRM_KUBE_UNAVAILABLE';
  const why = last ? `${failing?.kind}: ${last.message}` : 'no answer';
  return new AppError(code, `the cluster did not sync within ${SYNC_TIMEOUT_MS / 1000} s (${why})`);
}

async function waitOptionalKinds(cache: ClusterCache, signal: AbortSignal): Promise<void> {
  const until = Date.now() + OPTIONAL_KINDS_WAIT_MS;
  const pending = (): boolean => cache.syncStatus().some((s) => !s.synced && s.connection?.lastError === undefined);
  while (pending() && Date.now() < until && !signal.aborted) await new Promise((r) => setTimeout(r, 50));
}

/** Lists every kind once through the kubeconfig (or in-cluster credentials) and stops the loops. */
export async function syncClusterOnce(o: { kubeconfig?: string; context?: string; signal: AbortSignal }): Promise<SyncedCluster> {
  const client = createKubeClient({ kubeconfigPath: o.kubeconfig, context: o.context });
  const cache = new ClusterCache({ http: client.request });
  const stop = new AbortController();
  const signal = AbortSignal.any([stop.signal, o.signal]);
  const running = cache.run(signal);
  try {
    await cache.whenReady(AbortSignal.any([signal, AbortSignal.timeout(SYNC_TIMEOUT_MS)]));
    await waitOptionalKinds(cache, signal);
  } catch (err) {
    o.signal.throwIfAborted();
    throw err instanceof AppError ? err : syncFailure(cache);
  } finally {
    stop.abort();
    await running.catch(() => undefined);
  }
  const workloadOf: WorkloadResolver = (namespace, pod) => {
    const p = cache.get('pods', namespace, pod);
    if (!p) return undefined;
    const w = cache.workloadOf(p);
    return `${w.namespace}/${w.kind}/${w.name}`;
  };
  return { cache, contextName: client.contextName, workloadOf };
}
