// SPDX-License-Identifier: Apache-2.0
// The node analyses (REQUIREMENTS §3.5): sustained CPU and memory rules, allocation, bottlenecks and hotspot
// containers, over one bulk read of every node's last 24 hours in 5-minute means. Hotspots use the latest usage of
// each container, gathered while the namespaces were analysed, so no container series is read twice.
import type { Finding, FindingEntity } from '../../analysis/findings.ts';
import { analyseNodes, type NodeFinding } from '../../analysis/nodes/index.ts';
import type { ClusterView } from '../../domain/kube-ports.ts';
import type { SeriesReader } from '../../domain/ports.ts';
import { METRIC, type SeriesColumn } from '../../domain/series.ts';
import { DAY_MS } from '../../domain/time.ts';

const FIVE_MIN_MS = 300_000;
const NO_VALUES = new Float64Array(0);

/** Latest usage per `namespace/pod/container`. */
export interface ContainerUsage {
  readonly cpu: Map<string, number>;
  readonly memory: Map<string, number>;
}

function entityOf(f: NodeFinding): FindingEntity {
  if (f.rule !== 'container-hotspot') return { kind: 'node', name: f.entity };
  const [namespace = '', pod = '', container = ''] = f.entity.split('/');
  return { kind: 'container', namespace, name: pod, container };
}

const TITLES: Record<NodeFinding['rule'], string> = {
  'cpu-high': 'Node CPU high',
  'cpu-low-scale-in': 'Node underused',
  'memory-high': 'Node memory high',
  'pods-near-capacity': 'Node near pod capacity',
  'limits-overcommit': 'Node overcommitted',
  bottleneck: 'Bottleneck node',
  'container-hotspot': 'Container at its limit',
};

function toFinding(f: NodeFinding, ctx: { clusterName: string; nowMs: number }): Finding {
  const entity = entityOf(f);
  const subject = entity.kind === 'node' ? `Node ${entity.name}` : `${entity.container ?? ''} in ${entity.name}`;
  return {
    cluster: ctx.clusterName,
    analysis: 'node',
    rule: f.rule,
    entity,
    severity: f.severity,
    title: TITLES[f.rule],
    explanation: `${subject}: ${f.text.charAt(0).toLowerCase()}${f.text.slice(1)}`,
    action: f.rule === 'container-hotspot' ? 'Raise the limit or reduce the load of the container.' : 'Rebalance or resize the node pool.',
    confidence: 'medium',
    evidence: { rule: f.rule },
    detectedAtMs: ctx.nowMs,
  };
}

/** Node findings of the cluster; `judged` counts the nodes with usage samples. */
export async function analyseNodeGroup(o: { cluster: ClusterView; history: SeriesReader; clusterName: string; nowMs: number; usage: ContainerUsage }): Promise<{ findings: Finding[]; judged: number; seen: number }> {
  const nodes = o.cluster.list('nodes');
  const res = await o.history.queryColumns({
    fields: ['mean'],
    selector: { cluster: o.clusterName, kind: 'node', metrics: [METRIC.cpuMillicores, METRIC.memoryWorkingSetBytes] },
    fromMs: o.nowMs - DAY_MS,
    toMs: o.nowMs + 1,
    stepMs: FIVE_MIN_MS,
    tier: '5m',
  });
  const cpu = new Map<string, SeriesColumn>();
  const memory = new Map<string, SeriesColumn>();
  for (const s of res.series) {
    const target = s.series.metric === METRIC.cpuMillicores ? cpu : memory;
    target.set(s.series.entity, { timestampsMs: s.timestampsMs, values: s.fields.mean ?? NO_VALUES });
  }
  const out = analyseNodes({ nodes, pods: o.cluster.list('pods'), cpu, memory, nowMs: o.nowMs, containerUsage: o.usage });
  return { findings: out.findings.map((f) => toFinding(f, o)), judged: new Set([...cpu.keys(), ...memory.keys()]).size, seen: nodes.length };
}
