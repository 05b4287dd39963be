// SPDX-License-Identifier: Apache-2.0
// The usage adapters' public surface, for the composition root (service.ts).
export type { CollectError, CollectRequest, ContainerUsage, MetricsSource, NodeUsage, UsageSnapshot, UsageSourceName, VolumeUsage } from './types.ts';
export { containerCount } from './types.ts';
export { createMetricsServerSource, type MetricsServerSourceOptions } from './metrics-server.ts';
export { createKubeletSummarySource, KUBELET_CONCURRENCY, KUBELET_TIMEOUT_MS, type KubeletSummarySourceOptions } from './kubelet-summary.ts';
export { createDecodePool, type DecodePool } from './decode-pool.ts';
export type { UsageDecoder } from './decoder.ts';
export { createPrometheusSource, type PrometheusSource, type PrometheusSourceOptions } from './prometheus.ts';
export {
  createSourceSelector,
  type SelectedSnapshot,
  type SelectionState,
  type SourceHealth,
  type SourceMode,
  type SourceSelector,
  type SourceSelectorOptions,
  type SourceStatus,
} from './select-source.ts';
