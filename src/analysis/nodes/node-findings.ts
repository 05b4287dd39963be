// SPDX-License-Identifier: Apache-2.0
// Node rules, imbalance, hotspot containers and scale-down candidates (REQUIREMENTS §3.5, issue 5 item 10).
// A sustained rule holds when every sample of its window crosses the threshold and the samples reach back that far.
// A bottleneck is a node above 80 % that also exceeds the cluster mean by more than 20 points: a cluster that is
// uniformly busy needs more nodes, not a better spread. A scale-down candidate is a node under 20 % CPU for 24 h
// whose requested pods fit in the free allocatable of the other schedulable nodes.
import type { Node, Pod } from '../../domain/resources.ts';
import type { SeriesColumn } from '../../domain/series.ts';
import type { Severity } from '../severity.ts';
import { isActive, nodeViews, type NodeUsageInput, type NodeView } from './node-view.ts';

const MIN_MS = 60_000;

export interface NodeFinding {
  /** Node name, or `namespace/pod/container` for hotspots. */
  readonly entity: string;
  readonly rule: 'cpu-high' | 'cpu-low-scale-in' | 'memory-high' | 'pods-near-capacity' | 'limits-overcommit' | 'bottleneck' | 'container-hotspot';
  readonly severity: Severity;
  readonly text: string;
}

/**
 * True when all samples of the last `sustainMs` are above (or below) `threshold` of `of` and reach back that far.
 * `samples` ascend in time. Read from the end, it stops at the first sample older than the window or the first that
 * breaks the rule: four rules over a day of minutes for each of 5,000 nodes were seconds of a pass when each copied
 * the samples out first.
 */
export function sustainedRatio(samples: SeriesColumn | undefined, rule: { nowMs: number; sustainMs: number; of: number; above?: number; below?: number }): boolean {
  if (samples === undefined || rule.of <= 0) return false;
  const from = rule.nowMs - rule.sustainMs;
  const holds = rule.above !== undefined ? (r: number): boolean => r > (rule.above as number) : (r: number): boolean => r < (rule.below as number);
  const { timestampsMs, values } = samples;
  let inWindow = 0;
  let earliest = Infinity;
  for (let i = values.length - 1; i >= 0; i--) {
    const tsMs = timestampsMs[i] as number;
    const value = values[i] as number;
    if (!Number.isFinite(value) || tsMs > rule.nowMs) continue;
    // An older sample: the samples reach back past the window, and every one in it held.
    if (tsMs < from) return inWindow > 0;
    if (!holds(value / rule.of)) return false;
    inWindow++;
    earliest = tsMs;
  }
  return inWindow > 0 && earliest <= from;
}

interface RuleSpec {
  readonly rule: NodeFinding['rule'];
  readonly severity: Severity;
  readonly resource: 'cpu' | 'memory';
  readonly sustainMs: number;
  readonly above?: number;
  readonly below?: number;
  readonly text: string;
}

const NODE_RULES: readonly RuleSpec[] = [
  { rule: 'cpu-high', severity: 'medium', resource: 'cpu', sustainMs: 10 * MIN_MS, above: 0.8, text: 'CPU above 80 %: consider scaling out; identify CPU-intensive pods and optimise.' },
  { rule: 'cpu-low-scale-in', severity: 'info', resource: 'cpu', sustainMs: 24 * 60 * MIN_MS, below: 0.2, text: 'CPU below 20 % for 24 h: the node can be scaled in.' },
  { rule: 'memory-high', severity: 'high', resource: 'memory', sustainMs: 5 * MIN_MS, above: 0.9, text: 'Memory above 90 %.' },
  { rule: 'memory-high', severity: 'medium', resource: 'memory', sustainMs: 5 * MIN_MS, above: 0.85, text: 'Memory above 85 %: check the memory trend, look for leaks, add limits to high-memory pods.' },
];

function ruleFindings(input: NodeUsageInput & { nowMs: number }, v: NodeView): NodeFinding[] {
  const out: NodeFinding[] = [];
  for (const r of NODE_RULES) {
    if (out.some((f) => f.rule === r.rule)) continue;
    const samples = (r.resource === 'cpu' ? input.cpu : input.memory).get(v.node);
    const of = r.resource === 'cpu' ? v.allocatable.cpuMillicores : v.allocatable.memoryBytes;
    if (sustainedRatio(samples, { nowMs: input.nowMs, sustainMs: r.sustainMs, of, above: r.above, below: r.below })) out.push({ entity: v.node, rule: r.rule, severity: r.severity, text: r.text });
  }
  return [...out, ...allocationFindings(v)];
}

function allocationFindings(v: NodeView): NodeFinding[] {
  const out: NodeFinding[] = [];
  if (v.pods / (v.podCapacity ?? Infinity) > 0.95) out.push({ entity: v.node, rule: 'pods-near-capacity', severity: 'medium', text: 'Node is near its pod capacity.' });
  const over = Math.max(v.cpuLimitPercent ?? 0, v.memoryLimitPercent ?? 0);
  if (over > 150) out.push({ entity: v.node, rule: 'limits-overcommit', severity: 'info', text: `Σ limits are ${over.toFixed(0)} % of allocatable: the node is overcommitted.` });
  return out;
}

/** Bottlenecks: utilisation above 80 % and more than 20 points above the cluster mean (CPU and memory separately). */
export function bottlenecks(views: readonly NodeView[]): NodeFinding[] {
  const out: NodeFinding[] = [];
  for (const key of ['cpuPercent', 'memoryPercent'] as const) {
    const values = views.map((v) => v[key]).filter((x): x is number => x !== undefined);
    if (values.length === 0) continue;
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    for (const v of views) {
      const u = v[key];
      if (u === undefined || !(u > 80 && u - mean > 20)) continue;
      out.push({ entity: v.node, rule: 'bottleneck', severity: 'medium', text: `${key === 'cpuPercent' ? 'CPU' : 'Memory'} at ${u.toFixed(0)} % against a cluster mean of ${mean.toFixed(0)} %: identify bottleneck nodes and optimise load distribution.` });
    }
  }
  return out;
}

/** Containers above 80 % (medium) or 90 % (high) of their limit; `usage` maps `namespace/pod/container` to the latest value. */
export function hotspots(pods: readonly Pod[], usage: { cpu: ReadonlyMap<string, number>; memory: ReadonlyMap<string, number> }): NodeFinding[] {
  const out: NodeFinding[] = [];
  const containers = pods.filter(isActive).flatMap((p) => p.containers.map((c) => ({ entity: `${p.namespace}/${p.name}/${c.name}`, c })));
  for (const { entity, c } of containers) {
    const ratios = [
      { what: 'CPU', used: usage.cpu.get(entity), limit: c.limits.cpuMillicores },
      { what: 'Memory', used: usage.memory.get(entity), limit: c.limits.memoryBytes },
    ];
    for (const r of ratios) {
      const pct = ((r.used ?? Number.NaN) / (r.limit ?? Number.NaN)) * 100;
      // NaN (no usage or no limit) and ±Infinity (a zero limit) are not hotspots.
      if (!Number.isFinite(pct) || pct <= 80) continue;
      out.push({ entity, rule: 'container-hotspot', severity: pct > 90 ? 'high' : 'medium', text: `${r.what} at ${pct.toFixed(0)} % of its limit: consider optimising, or raise the limit.` });
    }
  }
  return out;
}

export interface ScaleDownCandidate {
  readonly node: string;
  readonly cpuPercent: number;
  /** The node's requested pods fit in the other schedulable nodes' free allocatable. */
  readonly podsFitElsewhere: boolean;
}

/** Nodes under 20 % CPU for 24 h, and whether their requests fit elsewhere. */
export function scaleDownCandidates(input: NodeUsageInput & { nowMs: number }, views: readonly NodeView[]): ScaleDownCandidate[] {
  const schedulable = new Set(input.nodes.filter((n: Node) => !n.unschedulable).map((n) => n.name));
  // The free room of all schedulable nodes is summed once and each candidate's own share taken out: summing the
  // others per candidate is quadratic (thousands of idle nodes at scale-150k). Integer amounts keep the sums exact.
  const freeOf = (o: NodeView): { cpu: number; mem: number } =>
    schedulable.has(o.node) ? { cpu: Math.max(0, o.allocatable.cpuMillicores - o.requests.cpuMillicores), mem: Math.max(0, o.allocatable.memoryBytes - o.requests.memoryBytes) } : { cpu: 0, mem: 0 };
  const total = views.reduce((a, o) => ({ cpu: a.cpu + freeOf(o).cpu, mem: a.mem + freeOf(o).mem }), { cpu: 0, mem: 0 });
  return views
    .filter((v) => sustainedRatio(input.cpu.get(v.node), { nowMs: input.nowMs, sustainMs: 24 * 60 * MIN_MS, of: v.allocatable.cpuMillicores, below: 0.2 }))
    .map((v) => {
      const own = freeOf(v);
      const freeCpu = total.cpu - own.cpu;
      const freeMem = total.mem - own.mem;
      return { node: v.node, cpuPercent: v.cpuPercent ?? 0, podsFitElsewhere: v.requests.cpuMillicores <= freeCpu && v.requests.memoryBytes <= freeMem };
    });
}

/** Every node analysis of one run, from one computation of the views. */
export function analyseNodes(input: NodeUsageInput & { nowMs: number; containerUsage: { cpu: ReadonlyMap<string, number>; memory: ReadonlyMap<string, number> } }): {
  views: NodeView[];
  findings: NodeFinding[];
  scaleDown: ScaleDownCandidate[];
} {
  const views = nodeViews(input);
  const findings = [...views.flatMap((v) => ruleFindings(input, v)), ...bottlenecks(views), ...hotspots(input.pods, input.containerUsage)];
  return { views, findings, scaleDown: scaleDownCandidates(input, views) };
}
