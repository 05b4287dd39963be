// SPDX-License-Identifier: Apache-2.0
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ContainerSpec, Node, Pod } from '../../domain/resources.ts';
import { sampleColumn as col, type Sample } from '../../domain/series.ts';
import { analyseNodes, bottlenecks, hotspots, nMinusOne, nodesFor, nodeViews, sustainedRatio, type NodeView } from './index.ts';

const MIN = 60_000;
const GIB = 2 ** 30;
const NOW = Date.UTC(2026, 11, 5);
const base = { uid: 'u', labels: {}, annotations: {}, owners: [] };
const node = (name: string, cpu = 4000, mem = 16 * GIB): Node => ({
  ...base,
  key: name,
  name,
  unschedulable: false,
  taints: [],
  capacity: {},
  allocatable: { cpuMillicores: cpu, memoryBytes: mem, pods: 110 },
  conditions: [],
  roles: [],
});
const container = (name: string, req: number, more: { lim?: number; mem?: number } = {}): ContainerSpec => ({
  name,
  image: 'x',
  requests: { cpuMillicores: req, memoryBytes: more.mem },
  limits: { cpuMillicores: more.lim, memoryBytes: more.mem },
  livenessProbe: false,
  readinessProbe: false,
  startupProbe: false,
  privileged: false,
  preStopHook: false,
});
const pod = (name: string, nodeName: string, spec: { containers: ContainerSpec[]; phase?: string }): Pod =>
  ({ ...base, key: `ns/${name}`, name, namespace: 'ns', nodeName, phase: spec.phase ?? 'Running', hasAffinity: false, topologySpreadConstraints: 0, pvcNames: [], conditions: [], containers: spec.containers, initContainers: [], containerStatuses: [], initContainerStatuses: [] }) as Pod;
const sustained = (samples: readonly Sample[] | undefined, rule: Parameters<typeof sustainedRatio>[1]): boolean => sustainedRatio(samples === undefined ? undefined : col(samples), rule);
const flat = (minutes: number, value: number): Sample[] => Array.from({ length: minutes + 1 }, (_, i) => ({ tsMs: NOW - (minutes - i) * MIN, value }));

test('no nodes, no data: empty views, no findings, cluster share 0', () => {
  assert.deepEqual(nodeViews({ nodes: [], pods: [], cpu: new Map(), memory: new Map() }), []);
  const [v] = nodeViews({ nodes: [node('a')], pods: [], cpu: new Map(), memory: new Map() });
  assert.equal(v?.cpuPercent, undefined);
  assert.equal(v?.cpuSharePercent, 0);
  const r = analyseNodes({ nodes: [node('a')], pods: [], cpu: new Map(), memory: new Map(), nowMs: NOW, containerUsage: { cpu: new Map(), memory: new Map() } });
  assert.deepEqual(r.findings, []);
  assert.deepEqual(r.scaleDown, []);
});

test('views: requests and limits of active pods only, usage percentages and shares', () => {
  const pods = [pod('p1', 'a', { containers: [container('c', 1000, { lim: 2000, mem: GIB })] }), pod('done', 'a', { containers: [container('c', 3000)], phase: 'Succeeded' }), pod('p2', 'b', { containers: [container('c', 500)] })];
  const views = nodeViews({ nodes: [node('a'), node('b')], pods, cpu: new Map([['a', col(flat(1, 3000))], ['b', col(flat(1, 1000))]]), memory: new Map() });
  assert.equal(views[0]?.requests.cpuMillicores, 1000);
  assert.equal(views[0]?.cpuRequestPercent, 25);
  assert.equal(views[0]?.cpuLimitPercent, 50);
  assert.equal(views[0]?.cpuPercent, 75);
  assert.equal(views[0]?.cpuSharePercent, 75);
  assert.equal(views[1]?.pods, 1);
});

test('sustained rules need the whole window and data reaching back; a gap-free dip breaks it', () => {
  assert.equal(sustained(flat(10, 900), { nowMs: NOW, sustainMs: 10 * MIN, of: 1000, above: 0.8 }), true);
  assert.equal(sustained(flat(5, 900), { nowMs: NOW, sustainMs: 10 * MIN, of: 1000, above: 0.8 }), false);
  assert.equal(sustained([{ tsMs: NOW, value: 900 }], { nowMs: NOW, sustainMs: 10 * MIN, of: 1000, above: 0.8 }), false);
  const dip = flat(10, 900).map((s, i) => (i === 5 ? { ...s, value: 100 } : s));
  assert.equal(sustained(dip, { nowMs: NOW, sustainMs: 10 * MIN, of: 1000, above: 0.8 }), false);
  // Gaps are fine as long as the present samples hold.
  assert.equal(sustained(flat(10, 900).filter((_, i) => i % 3 === 0), { nowMs: NOW, sustainMs: 10 * MIN, of: 1000, above: 0.8 }), true);
  // Only the window counts: a dip before it does not break the rule; samples after `now` and non-finite ones are not read.
  const oldDip = [...flat(30, 900)].map((s, i) => (i === 0 ? { ...s, value: 100 } : s));
  assert.equal(sustained(oldDip, { nowMs: NOW, sustainMs: 10 * MIN, of: 1000, above: 0.8 }), true);
  const future = [...flat(10, 900), { tsMs: NOW + MIN, value: 0 }, { tsMs: NOW - 30_000, value: Number.NaN }].sort((a, b) => a.tsMs - b.tsMs);
  assert.equal(sustained(future, { nowMs: NOW, sustainMs: 10 * MIN, of: 1000, above: 0.8 }), true);
  // Below a share, and a window with no sample in it although data reaches back: false.
  assert.equal(sustained(flat(10, 100), { nowMs: NOW, sustainMs: 10 * MIN, of: 1000, below: 0.2 }), true);
  assert.equal(sustained(flat(10, 300), { nowMs: NOW, sustainMs: 10 * MIN, of: 1000, below: 0.2 }), false);
  assert.equal(sustained([{ tsMs: NOW - 20 * MIN, value: 900 }], { nowMs: NOW, sustainMs: 10 * MIN, of: 1000, above: 0.8 }), false);
  assert.equal(sustained(undefined, { nowMs: NOW, sustainMs: 10 * MIN, of: 1000, above: 0.8 }), false);
});

test('node rules: CPU > 80 % medium, memory > 90 % high (not also medium), scale-in after 24 h under 20 %', () => {
  const r = analyseNodes({
    nodes: [node('hot'), node('full'), node('idle')],
    pods: [],
    cpu: new Map([['hot', col(flat(15, 3500))], ['full', col(flat(15, 2000))], ['idle', col(flat(25 * 60, 100))]]),
    memory: new Map([['full', col(flat(10, 15 * GIB))]]),
    nowMs: NOW,
    containerUsage: { cpu: new Map(), memory: new Map() },
  });
  const rules = r.findings.map((f) => `${f.entity}:${f.rule}:${f.severity}`).sort();
  assert.deepEqual(rules, ['full:memory-high:high', 'hot:bottleneck:medium', 'hot:cpu-high:medium', 'idle:cpu-low-scale-in:info']);
  assert.deepEqual(r.scaleDown, [{ node: 'idle', cpuPercent: 2.5, podsFitElsewhere: true }]);
});

test('imbalance: above 80 % and more than 20 points over the mean; a uniformly busy cluster has no bottleneck', () => {
  const v = (node: string, cpuPercent: number) => ({ node, cpuPercent }) as NodeView;
  assert.deepEqual(bottlenecks([v('a', 90), v('b', 85), v('c', 88)]), []);
  assert.deepEqual(bottlenecks([v('a', 95), v('b', 40), v('c', 50)]).map((f) => f.entity), ['a']);
  assert.deepEqual(bottlenecks([v('a', 75), v('b', 10)]), []);
});

test('hotspots: > 80 % medium, > 90 % high, no limit no hotspot', () => {
  const pods = [pod('p', 'a', { containers: [container('a', 100, { lim: 1000 }), container('b', 100, { lim: 1000 }), container('nolimit', 100)] })];
  const f = hotspots(pods, { cpu: new Map([['ns/p/a', 850], ['ns/p/b', 950], ['ns/p/nolimit', 5000]]), memory: new Map() });
  assert.deepEqual(f.map((x) => `${x.entity}:${x.severity}`), ['ns/p/a:medium', 'ns/p/b:high']);
});

test('N − 1: fits, does not fit (extra nodes of the typical size), no nodes', () => {
  const nodes = [node('a', 8000, 32 * GIB), node('b', 4000, 16 * GIB), node('c', 4000, 16 * GIB)];
  const ok = nMinusOne(nodes, { cpuMillicores: 7000, memoryBytes: 20 * GIB });
  assert.equal(ok.fits, true);
  assert.equal(ok.largestNode, 'a');
  const tight = nMinusOne(nodes, { cpuMillicores: 12_000, memoryBytes: 20 * GIB });
  assert.equal(tight.fits, false);
  assert.equal(tight.cpuRatio, 1.5);
  assert.equal(tight.extraNodes, 1);
  assert.equal(nMinusOne([], { cpuMillicores: 1, memoryBytes: 0 }).fits, false);
  assert.equal(nodesFor({ cpuMillicores: 10_000, memoryBytes: 0 }, { cpuMillicores: 4000, memoryBytes: GIB }, 0.8), 4);
  assert.equal(nodesFor({ cpuMillicores: 0, memoryBytes: 0 }, { cpuMillicores: 4000, memoryBytes: GIB }), 0);
});
