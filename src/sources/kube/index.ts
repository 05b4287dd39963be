// SPDX-License-Identifier: Apache-2.0
// The kube adapter's public surface, for the composition root (service.ts) and the CLI.
export { createKubeClient, loadKubeConfig, SERVICE_ACCOUNT_DIR, TOKEN_REREAD_MS, type KubeClient, type KubeClientOptions } from './client.ts';
export { ClusterCache, type ClusterCacheOptions } from './cluster-cache.ts';
export { KubeApiError, type KubeErrorCode } from './kube-errors.ts';
export type { KubeHttp, KubeHttpRequest, KubeHttpResponse } from './kube-http.ts';
export { KIND_SPECS, type KindSpec } from './projections.ts';
export { createSemaphore, type Semaphore } from './semaphore.ts';
export {
  createWatchLoop,
  DEFAULT_WATCH_TUNING,
  type WatchLoop,
  type WatchLoopOptions,
  type WatchLoopState,
  type WatchPhase,
  type WatchSink,
  type WatchTuning,
} from './watch-loop.ts';
