// SPDX-License-Identifier: Apache-2.0
// CPU throttling from each kubelet's /metrics/cadvisor through the API server's node proxy (REQUIREMENTS §1.5.4,
// §3.4). The summary API has no CFS counters, so the kubelet source reads them here: the ratio is the increase of
// `container_cpu_cfs_throttled_periods_total` over the increase of `container_cpu_cfs_periods_total` between two
// collects, per container, as `rate(throttled) / rate(periods)` is on Prometheus. Only containers with a CPU limit
// have CFS counters, so only they get a ratio; a container's first collect, and one after its counters reset (a
// restart), have none rather than a made-up 0.

/** Cumulative CFS counters of one container. */
export interface CfsCounters {
  readonly periods: number;
  readonly throttledPeriods: number;
}

const PERIODS = 'container_cpu_cfs_periods_total';
const THROTTLED = 'container_cpu_cfs_throttled_periods_total';
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function cadvisorPath(node: string): string {
  return `/api/v1/nodes/${encodeURIComponent(node)}/proxy/metrics/cadvisor`;
}

/** `namespace/pod/container` of a sample's label set; undefined for pod- and node-level cgroups (no container). */
function containerKey(labels: string): string | undefined {
  let namespace = '';
  let pod = '';
  let container = '';
  for (const m of labels.matchAll(LABEL)) {
    const value = m[2] ?? '';
    if (m[1] === 'namespace') namespace = value;
    else if (m[1] === 'pod') pod = value;
    else if (m[1] === 'container') container = value;
  }
  return container === '' || pod === '' ? undefined : `${namespace}/${pod}/${container}`;
}

/** The value after the label set (a timestamp may follow it). */
function valueOf(rest: string): number {
  const text = rest.trim().split(/\s+/)[0] ?? '';
  return Number(text);
}

/** The family a line belongs to, when it is one of the two counters (other families are skipped unparsed). */
function familyOf(line: string): typeof PERIODS | typeof THROTTLED | undefined {
  if (line.startsWith(PERIODS) && line[PERIODS.length] === '{') return PERIODS;
  if (line.startsWith(THROTTLED) && line[THROTTLED.length] === '{') return THROTTLED;
  return undefined;
}

/** One counter sample of a container: its key and value, or undefined for other lines and non-container cgroups. */
function sampleOf(line: string): { family: string; key: string; value: number } | undefined {
  const family = familyOf(line);
  const close = line.lastIndexOf('}');
  if (family === undefined || close < 0) return undefined;
  const key = containerKey(line.slice(family.length + 1, close));
  const value = valueOf(line.slice(close + 1));
  return key === undefined || !Number.isFinite(value) ? undefined : { family, key, value };
}

/** The CFS counters per `namespace/pod/container` in one /metrics/cadvisor text. */
export function parseCfsCounters(text: string): Map<string, CfsCounters> {
  const partial = new Map<string, { periods?: number; throttledPeriods?: number }>();
  for (const line of text.split('\n')) {
    const s = sampleOf(line);
    if (s === undefined) continue;
    const entry = partial.get(s.key) ?? {};
    if (s.family === PERIODS) entry.periods = s.value;
    else entry.throttledPeriods = s.value;
    partial.set(s.key, entry);
  }
  const out = new Map<string, CfsCounters>();
  for (const [key, c] of partial) {
    if (c.periods !== undefined && c.throttledPeriods !== undefined) out.set(key, { periods: c.periods, throttledPeriods: c.throttledPeriods });
  }
  return out;
}

/** Throttled share of the periods between two readings; undefined without progress or after a reset. */
export function throttledRatio(previous: CfsCounters | undefined, current: CfsCounters): number | undefined {
  if (previous === undefined) return undefined;
  const periods = current.periods - previous.periods;
  const throttled = current.throttledPeriods - previous.throttledPeriods;
  if (!(periods > 0) || throttled < 0) return undefined;
  return Math.min(1, throttled / periods);
}

/**
 * Keeps each node's last counters and turns a new reading into ratios. A node's entry is replaced on every reading,
 * so containers that went away are forgotten with it; a node that failed keeps its last reading for the next one.
 */
export class ThrottleTracker {
  private readonly lastByNode = new Map<string, Map<string, CfsCounters>>();

  /** Ratios per `namespace/pod/container` since the node's previous reading. */
  update(node: string, counters: Map<string, CfsCounters>): Map<string, number> {
    const previous = this.lastByNode.get(node);
    this.lastByNode.set(node, counters);
    const out = new Map<string, number>();
    for (const [key, c] of counters) {
      const ratio = throttledRatio(previous?.get(key), c);
      if (ratio !== undefined) out.set(key, ratio);
    }
    return out;
  }

  /** Drops the nodes not in `nodes` (deleted from the cluster). */
  retain(nodes: ReadonlySet<string>): void {
    for (const node of this.lastByNode.keys()) if (!nodes.has(node)) this.lastByNode.delete(node);
  }
}
