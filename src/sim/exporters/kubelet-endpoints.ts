// SPDX-License-Identifier: Apache-2.0
// The kubelet paths the simulator serves behind `/api/v1/nodes/{node}/proxy/...`, dispatched by path.
import type { ExporterBody } from './cluster-metrics.ts';
import type { ExporterContext } from './cluster-view.ts';
import { renderKubeletCadvisor, renderKubeletResourceMetrics } from './kubelet-metrics.ts';
import { renderKubeletStatsSummary } from './kubelet-summary.ts';
import { PROMETHEUS_TEXT_CONTENT_TYPE } from './prometheus-text.ts';

function textBody(body: Iterable<string> | undefined): ExporterBody | undefined {
  return body === undefined ? undefined : { contentType: PROMETHEUS_TEXT_CONTENT_TYPE, body };
}

/**
 * The response of a kubelet endpoint (`metrics/cadvisor`, `metrics/resource`, `stats/summary`; leading and trailing
 * slashes and a query string are ignored), or undefined for an unknown node or path (both 404 on a real cluster).
 */
export function kubeletEndpoint(ctx: ExporterContext, nodeName: string, path: string): ExporterBody | undefined {
  const clean = path.split('?')[0]?.replace(/^\/+|\/+$/g, '') ?? '';
  switch (clean) {
    case 'metrics/cadvisor':
      return textBody(renderKubeletCadvisor(ctx, nodeName));
    case 'metrics/resource':
      return textBody(renderKubeletResourceMetrics(ctx, nodeName));
    case 'stats/summary': {
      const json = renderKubeletStatsSummary(ctx, nodeName);
      return json === undefined ? undefined : { contentType: 'application/json', body: json };
    }
    default:
      return undefined;
  }
}
