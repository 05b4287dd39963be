// SPDX-License-Identifier: Apache-2.0
// What the simulated API server needs from the simulation behind it. The HTTP layer knows nothing of scenarios,
// usage models or exporters: the simulation composes them and hands this interface over.
import type { ObjectStore } from '../model/object-store.ts';
import type { KubeObject } from '../model/kube-types.ts';

export interface LogQuery {
  namespace: string;
  pod: string;
  container?: string;
  previous: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  sinceTime?: string;
  timestamps: boolean;
  limitBytes?: number;
}

/** A text body, either whole or as chunks for streaming large answers (the cluster-wide /metrics). */
export interface TextBody {
  contentType: string;
  body: string | Iterable<string>;
}

export interface SimBackend {
  readonly store: ObjectStore;
  /** Scenario time in epoch milliseconds (accelerated in demos). */
  nowMs(): number;
  /** Log text of a container; throws StoreError (400/404) as the real kubelet/API server would. */
  podLogs(q: LogQuery): string;
  /** Lines logged after `afterMs` (scenario time), for `follow=true`. */
  followLogs(q: LogQuery, afterMs: number): string;
  /** `metrics.k8s.io/v1beta1` objects of running pods (one namespace or all) and of nodes. */
  podMetrics(namespace?: string): KubeObject[];
  nodeMetrics(): KubeObject[];
  /** The cluster-wide exporter endpoint (cAdvisor, kube-state-metrics, kubelet volume and node-exporter series). */
  clusterMetrics(): TextBody;
  /** Kubelet endpoints through the node proxy: `metrics/cadvisor`, `metrics/resource`, `stats/summary`. */
  nodeProxy(node: string, path: string): TextBody | undefined;
}
