// SPDX-License-Identifier: Apache-2.0
// The simulator's one /metrics endpoint: what a Prometheus would collect from the kubelets' cAdvisor endpoints,
// kube-state-metrics, the kubelets' volume stats and node-exporter, for the whole cluster in one exposition.
//
// Differences from scraping the real components, all forced by there being a single target:
// - cAdvisor and kubelet volume series carry a `node` label (a real scrape gets it by relabeling the target);
// - node-exporter series carry `instance="<InternalIP>:9100"` and `node` themselves, so the scrape job needs
//   `honor_labels: true` or Prometheus renames the exposed `instance` to `exported_instance`;
// - samples have no timestamps: scenario time may run ahead of or behind wall-clock time, and Prometheus rejects
//   samples too far from its own clock, so the scrape time is left to Prometheus (the per-node kubelet endpoints,
//   which krm reads itself, do carry cAdvisor's millisecond timestamps).
import { CADVISOR_FAMILIES } from './cadvisor-families.ts';
import { createCadvisorSource } from './cadvisor-rows.ts';
import { ClusterView, type ExporterContext } from './cluster-view.ts';
import { KSM_CLUSTER_FAMILIES } from './ksm-cluster-families.ts';
import { KSM_POD_FAMILIES } from './ksm-pod-families.ts';
import { KSM_WORKLOAD_FAMILIES } from './ksm-workload-families.ts';
import { KUBELET_VOLUME_FAMILIES } from './kubelet-volume-families.ts';
import { NODE_EXPORTER_FAMILIES } from './node-exporter-families.ts';
import { PROMETHEUS_TEXT_CONTENT_TYPE, renderPrometheusText } from './prometheus-text.ts';
import { bindFamilies, type MetricFamily } from './series.ts';

/** A response body the HTTP layer can send whole or stream chunk by chunk. */
export interface ExporterBody {
  readonly contentType: string;
  readonly body: string | Iterable<string>;
}

/** The exporters the cluster-wide endpoint stands in for. */
export type MetricsSection = 'cadvisor' | 'kube-state-metrics' | 'kubelet' | 'node-exporter';

export const ALL_METRICS_SECTIONS: readonly MetricsSection[] = ['cadvisor', 'kube-state-metrics', 'kubelet', 'node-exporter'];

/**
 * Every family of the cluster-wide endpoint (or of some of its sections) bound to one instant. Both the scrape
 * endpoint and the OpenMetrics history writer render these, so a series exists in history exactly as Prometheus
 * would have scraped it. Sections allow serving node-exporter on a path of its own, as a real cluster does: its
 * upstream names (node_memory_MemTotal_bytes, …) are the only ones `promtool check metrics` lints.
 */
export function clusterMetricFamilies(ctx: ExporterContext, sections: readonly MetricsSection[] = ALL_METRICS_SECTIONS): MetricFamily[] {
  const view = new ClusterView(ctx);
  const out: MetricFamily[] = [];
  if (sections.includes('cadvisor')) {
    out.push(...bindFamilies(CADVISOR_FAMILIES, createCadvisorSource(view, { nodes: view.nodes(), pods: () => view.pods(), nodeLabel: true })));
  }
  if (sections.includes('kube-state-metrics')) {
    out.push(...bindFamilies([...KSM_POD_FAMILIES, ...KSM_CLUSTER_FAMILIES, ...KSM_WORKLOAD_FAMILIES], view));
  }
  if (sections.includes('kubelet')) out.push(...bindFamilies(KUBELET_VOLUME_FAMILIES, view));
  if (sections.includes('node-exporter')) out.push(...bindFamilies(NODE_EXPORTER_FAMILIES, view));
  return out;
}

/** The cluster-wide /metrics text (format 0.0.4) as a stream of chunks. */
export function* renderClusterMetrics(ctx: ExporterContext, sections: readonly MetricsSection[] = ALL_METRICS_SECTIONS): Generator<string> {
  yield* renderPrometheusText(clusterMetricFamilies(ctx, sections));
}

/** The cluster-wide /metrics response: content type plus a lazily rendered chunk stream. */
export function clusterMetricsBody(ctx: ExporterContext, sections: readonly MetricsSection[] = ALL_METRICS_SECTIONS): ExporterBody {
  return { contentType: PROMETHEUS_TEXT_CONTENT_TYPE, body: renderClusterMetrics(ctx, sections) };
}
