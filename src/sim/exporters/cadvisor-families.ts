// SPDX-License-Identifier: Apache-2.0
// cAdvisor's container_* families as the kubelet's /metrics/cadvisor serves them (names, HELP texts, TYPEs and
// label names of the Kubernetes 1.35 capture), in name order as client_golang writes them. Usage families are
// stamped with the collection time; spec and start-time families are not, as in the capture.
import { cgroupRows, type CadvisorSource, type CgroupRow } from './cadvisor-rows.ts';
import { defineFamily, withSortedLabel, type FamilyCollector, type FamilyDef, type Labels, type Sample } from './series.ts';

/** The block device of the node's root filesystem and its first partition, as in the capture. */
const ROOT_DISK = '/dev/vda';
const ROOT_PARTITION = '/dev/vda1';
const POD_INTERFACE = 'eth0';

type Pick = (row: CgroupRow) => number | undefined;

function* rowSamples(src: CadvisorSource, pick: Pick, extra?: (labels: Labels) => Labels): Generator<Sample> {
  for (const row of cgroupRows(src)) {
    const value = pick(row);
    if (value === undefined) continue;
    yield { labels: extra ? extra(row.labels) : row.labels, value };
  }
}

function rowFamily(def: FamilyDef, pick: Pick, extra?: (labels: Labels) => Labels): FamilyCollector<CadvisorSource> {
  return defineFamily(def, (src: CadvisorSource) => rowSamples(src, pick, extra));
}

const withCpuTotal = (l: Labels): Labels => withSortedLabel(l, 'cpu', 'total');
const withDisk = (l: Labels): Labels => withSortedLabel(l, 'device', ROOT_DISK);
const withPartition = (l: Labels): Labels => withSortedLabel(l, 'device', ROOT_PARTITION);
const withInterface = (l: Labels): Labels => withSortedLabel(l, 'interface', POD_INTERFACE);

function counter(name: string, help: string): FamilyDef {
  return { name, help, type: 'counter', stamped: true };
}

function gauge(name: string, help: string, stamped = true): FamilyDef {
  return { name, help, type: 'gauge', stamped };
}

/** All cAdvisor families, sorted by name. */
export const CADVISOR_FAMILIES: readonly FamilyCollector<CadvisorSource>[] = [
  rowFamily(counter('container_cpu_cfs_periods_total', 'Number of elapsed enforcement period intervals.'), (r) => r.cfs?.periodsTotal),
  rowFamily(counter('container_cpu_cfs_throttled_periods_total', 'Number of throttled period intervals.'), (r) => r.cfs?.throttledPeriodsTotal),
  rowFamily(
    counter('container_cpu_cfs_throttled_seconds_total', 'Total time duration the container has been throttled.'),
    (r) => r.cfs?.throttledSecondsTotal,
  ),
  rowFamily(counter('container_cpu_usage_seconds_total', 'Cumulative cpu time consumed in seconds.'), (r) => r.cpuSecondsTotal, withCpuTotal),
  rowFamily(counter('container_fs_reads_bytes_total', 'Cumulative count of bytes read'), (r) => r.fsIo?.readsBytesTotal, withDisk),
  rowFamily(
    gauge('container_fs_usage_bytes', 'Number of bytes that are consumed by the container on this filesystem.'),
    (r) => r.fsUsageBytes,
    withPartition,
  ),
  rowFamily(counter('container_fs_writes_bytes_total', 'Cumulative count of bytes written'), (r) => r.fsIo?.writesBytesTotal, withDisk),
  rowFamily(gauge('container_memory_rss', 'Size of RSS in bytes.'), (r) => r.memoryRssBytes),
  rowFamily(
    gauge('container_memory_usage_bytes', 'Current memory usage in bytes, including all memory regardless of when it was accessed'),
    (r) => r.memoryUsageBytes,
  ),
  rowFamily(gauge('container_memory_working_set_bytes', 'Current working set in bytes.'), (r) => r.memoryWorkingSetBytes),
  rowFamily(counter('container_network_receive_bytes_total', 'Cumulative count of bytes received'), (r) => r.network?.rxBytesTotal, withInterface),
  rowFamily(
    counter('container_network_receive_errors_total', 'Cumulative count of errors encountered while receiving'),
    (r) => r.network?.rxErrorsTotal,
    withInterface,
  ),
  rowFamily(counter('container_network_transmit_bytes_total', 'Cumulative count of bytes transmitted'), (r) => r.network?.txBytesTotal, withInterface),
  rowFamily(
    counter('container_network_transmit_errors_total', 'Cumulative count of errors encountered while transmitting'),
    (r) => r.network?.txErrorsTotal,
    withInterface,
  ),
  rowFamily(counter('container_oom_events_total', 'Count of out of memory events observed for the container'), (r) => r.oomEventsTotal),
  rowFamily(gauge('container_spec_cpu_quota', 'CPU quota of the container.', false), (r) => r.cfs?.quota),
  rowFamily(gauge('container_spec_memory_limit_bytes', 'Memory limit for the container.', false), (r) => r.memoryLimitBytes),
  rowFamily(gauge('container_start_time_seconds', 'Start time of the container since unix epoch in seconds.', false), (r) => r.startTimeSec),
];
