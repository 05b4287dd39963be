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
 * slashes are ignored; of the query, only `stats/summary`'s `only_cpu_and_memory=true` counts), or undefined for an unknown node or path (both 404 on a real cluster).
 */
export function kubeletEndpoint(ctx: ExporterContext, nodeName: string, path: string): ExporterBody | undefined {
  const [rawPath = '', query = ''] = path.split('?');
  const clean = rawPath.replace(/^\/+|\/+$/g, '');
  switch (clean) {
    case 'metrics/cadvisor':
      return textBody(renderKubeletCadvisor(ctx, nodeName));
    case 'metrics/resource':
      return textBody(renderKubeletResourceMetrics(ctx, nodeName));
    case 'stats/summary': {
      // As the kubelet parses it: exactly `true` selects the reduced form.
      const onlyCpuAndMemory = new URLSearchParams(query).getAll('only_cpu_and_memory').join() === 'true';
      const json = renderKubeletStatsSummary(ctx, nodeName, { onlyCpuAndMemory });
      return json === undefined ? undefined : { contentType: 'application/json', body: json };
    }
    default:
      return undefined;
  }
}
