// SPDX-License-Identifier: Apache-2.0
// Client configuration for the simulated cluster: a kubeconfig for kubectl and client libraries, and a Prometheus
// scrape configuration for its metrics endpoint.
import { stringify } from 'yaml';

export interface ServedAt {
  url: string;
  caCert?: string;
}

export function kubeconfigFor(server: ServedAt, token?: string): string {
  const cluster: Record<string, string> = { server: server.url };
  if (server.caCert) cluster['certificate-authority-data'] = Buffer.from(server.caCert).toString('base64');
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'krm-sim', cluster }],
    users: [{ name: 'krm-sim', user: token ? { token } : {} }],
    contexts: [{ name: 'krm-sim', context: { cluster: 'krm-sim', user: 'krm-sim' } }],
    'current-context': 'krm-sim',
  });
}

/**
 * One job scrapes the simulator's cluster-wide endpoint. `honor_labels` keeps the series' own `instance` and `node`
 * labels (the endpoint stands for every kubelet and node-exporter of the cluster at once).
 */
export function prometheusScrapeConfig(url: string, opts: { interval?: string; token?: string } = {}): string {
  const u = new URL(url);
  const job: Record<string, unknown> = {
    job_name: 'krm-sim',
    honor_labels: true,
    scheme: u.protocol.replace(':', ''),
    metrics_path: '/metrics',
    static_configs: [{ targets: [u.host] }],
  };
  if (u.protocol === 'https:') job.tls_config = { insecure_skip_verify: true };
  if (opts.token) job.authorization = { type: 'Bearer', credentials: opts.token };
  return stringify({ global: { scrape_interval: opts.interval ?? '15s', evaluation_interval: opts.interval ?? '15s' }, scrape_configs: [job] });
}
