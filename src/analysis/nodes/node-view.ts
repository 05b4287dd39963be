// SPDX-License-Identifier: Apache-2.0
// Per-node usage and allocation (REQUIREMENTS §3.5, issue 5 item 10): usage ÷ allocatable, Σ requests and Σ limits
// of the non-terminated pods ÷ allocatable, each node's share of cluster CPU, and pods ÷ pod capacity.
import type { Node, Pod } from '../../domain/resources.ts';
import type { SeriesColumn } from '../../domain/series.ts';

export interface NodeUsageInput {
  readonly nodes: readonly Node[];
  readonly pods: readonly Pod[];
  /**
   * Per node name: CPU usage in millicores and memory working set in bytes, ascending, as columns (a day of 5-minute
   * means of 5,000 nodes is 2.9 million points: as objects they were most of the node step's garbage).
   */
  readonly cpu: ReadonlyMap<string, SeriesColumn>;
  readonly memory: ReadonlyMap<string, SeriesColumn>;
}

export interface Amounts {
  cpuMillicores: number;
  memoryBytes: number;
}

export interface NodeView {
  readonly node: string;
  readonly allocatable: Amounts;
  readonly requests: Amounts;
  readonly limits: Amounts;
  readonly pods: number;
  readonly podCapacity?: number;
  /** Latest usage; undefined without samples. */
  readonly cpuUsageMillicores?: number;
  readonly memoryUsageBytes?: number;
  /** Percentages of allocatable (0–100+). */
  readonly cpuPercent?: number;
  readonly memoryPercent?: number;
  readonly cpuRequestPercent?: number;
  readonly memoryRequestPercent?: number;
  readonly cpuLimitPercent?: number;
  readonly memoryLimitPercent?: number;
  /** usageₙ ÷ Σ usage × 100; 0 when the cluster uses nothing. */
  readonly cpuSharePercent: number;
}

export function isActive(p: Pod): boolean {
  return p.phase !== 'Succeeded' && p.phase !== 'Failed' && p.deletingAtMs === undefined;
}

/** Σ requests and Σ limits of a pod's containers (init containers are short-lived and not counted). */
export function podAmounts(p: Pod): { requests: Amounts; limits: Amounts } {
  const requests = { cpuMillicores: 0, memoryBytes: 0 };
  const limits = { cpuMillicores: 0, memoryBytes: 0 };
  for (const c of p.containers) {
    requests.cpuMillicores += c.requests.cpuMillicores ?? 0;
    requests.memoryBytes += c.requests.memoryBytes ?? 0;
    limits.cpuMillicores += c.limits.cpuMillicores ?? 0;
    limits.memoryBytes += c.limits.memoryBytes ?? 0;
  }
  return { requests, limits };
}

export function lastValue(column: SeriesColumn | undefined): number | undefined {
  if (column === undefined) return undefined;
  const { values } = column;
  for (let i = values.length - 1; i >= 0; i--) if (Number.isFinite(values[i])) return values[i];
  return undefined;
}

const percent = (v: number | undefined, of: number): number | undefined => (v === undefined || of <= 0 ? undefined : (v / of) * 100);

function sumsPerNode(pods: readonly Pod[]): Map<string, { requests: Amounts; limits: Amounts; pods: number }> {
  const out = new Map<string, { requests: Amounts; limits: Amounts; pods: number }>();
  for (const p of pods) {
    if (p.nodeName === undefined || !isActive(p)) continue;
    const s = out.get(p.nodeName) ?? { requests: { cpuMillicores: 0, memoryBytes: 0 }, limits: { cpuMillicores: 0, memoryBytes: 0 }, pods: 0 };
    const a = podAmounts(p);
    s.requests.cpuMillicores += a.requests.cpuMillicores;
    s.requests.memoryBytes += a.requests.memoryBytes;
    s.limits.cpuMillicores += a.limits.cpuMillicores;
    s.limits.memoryBytes += a.limits.memoryBytes;
    s.pods++;
    out.set(p.nodeName, s);
  }
  return out;
}

/** One view per node. */
export function nodeViews(input: NodeUsageInput): NodeView[] {
  const sums = sumsPerNode(input.pods);
  const cpuTotal = input.nodes.reduce((a, n) => a + (lastValue(input.cpu.get(n.name)) ?? 0), 0);
  return input.nodes.map((n) => {
    const s = sums.get(n.name) ?? { requests: { cpuMillicores: 0, memoryBytes: 0 }, limits: { cpuMillicores: 0, memoryBytes: 0 }, pods: 0 };
    const allocatable = { cpuMillicores: n.allocatable.cpuMillicores ?? 0, memoryBytes: n.allocatable.memoryBytes ?? 0 };
    const cpu = lastValue(input.cpu.get(n.name));
    const memory = lastValue(input.memory.get(n.name));
    return {
      node: n.name,
      allocatable,
      requests: s.requests,
      limits: s.limits,
      pods: s.pods,
      podCapacity: n.allocatable.pods,
      cpuUsageMillicores: cpu,
      memoryUsageBytes: memory,
      cpuPercent: percent(cpu, allocatable.cpuMillicores),
      memoryPercent: percent(memory, allocatable.memoryBytes),
      cpuRequestPercent: percent(s.requests.cpuMillicores, allocatable.cpuMillicores),
      memoryRequestPercent: percent(s.requests.memoryBytes, allocatable.memoryBytes),
      cpuLimitPercent: percent(s.limits.cpuMillicores, allocatable.cpuMillicores),
      memoryLimitPercent: percent(s.limits.memoryBytes, allocatable.memoryBytes),
      cpuSharePercent: cpuTotal > 0 ? ((cpu ?? 0) / cpuTotal) * 100 : 0,
    };
  });
}
