// SPDX-License-Identifier: Apache-2.0
// The exporters' public surface: renderers over { store, usage, nowMs } for the cluster-wide /metrics endpoint,
// the kubelet endpoints behind the node proxy, metrics.k8s.io objects and OpenMetrics history.
export type { ExporterContext } from './cluster-view.ts';
export {
  ALL_METRICS_SECTIONS,
  clusterMetricFamilies,
  clusterMetricsBody,
  renderClusterMetrics,
  type ExporterBody,
  type MetricsSection,
} from './cluster-metrics.ts';
export { kubeletEndpoint } from './kubelet-endpoints.ts';
export { renderKubeletCadvisor, renderKubeletResourceMetrics } from './kubelet-metrics.ts';
export { kubeletStatsSummary, renderKubeletStatsSummary } from './kubelet-summary.ts';
export type { StatsSummary } from './kubelet-summary-types.ts';
export { nodeMetrics, podMetrics, type NodeMetrics, type PodMetrics } from './metrics-api.ts';
export { createOpenMetricsWriter, OPENMETRICS_CONTENT_TYPE, type OpenMetricsWriter } from './openmetrics-writer.ts';
export { PROMETHEUS_TEXT_CONTENT_TYPE, renderPrometheusText } from './prometheus-text.ts';
export type { MetricFamily, Sample } from './series.ts';
