// SPDX-License-Identifier: Apache-2.0
// The families history mode writes (history.ts), apart so that the CLI checks `--families` without loading the
// simulator: every `krm` command parses every command's options at start-up.
export const HISTORY_FAMILIES: ReadonlySet<string> = new Set([
  'container_cpu_usage_seconds_total',
  'container_memory_working_set_bytes',
  'container_memory_rss',
  'container_cpu_cfs_periods_total',
  'container_cpu_cfs_throttled_periods_total',
  'container_cpu_cfs_throttled_seconds_total',
  'container_network_receive_bytes_total',
  'container_network_transmit_bytes_total',
  'kube_pod_container_resource_requests',
  'kube_pod_container_resource_limits',
  'kube_pod_container_status_restarts_total',
  'kube_node_status_allocatable',
  'kube_resourcequota',
  'kubelet_volume_stats_used_bytes',
  'kubelet_volume_stats_capacity_bytes',
  'node_cpu_seconds_total',
  'node_memory_MemTotal_bytes',
  'node_memory_MemAvailable_bytes',
]);
