// SPDX-License-Identifier: Apache-2.0
// The monitor's view of the cluster equals what the real kubectl reads from the same simulated cluster: every pod,
// node and workload, field by field, first in the watch cache the service holds and then through its HTTP API. The
// expected values come from kubectl's JSON alone (own quantity parser, own ownerReferences walk), never from the
// monitor's projections. Snapshots are taken while the cluster holds still (see consistentSnapshot).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { loadConfig } from '../../src/config/load.ts';
import type { ContainerResources, ContainerState, ContainerStatus, ContainerSpec, Node, NodeResources, Pod } from '../../src/domain/resources.ts';
import { createLogger } from '../../src/logging/logger.ts';
import { createLifecycle, type Lifecycle } from '../../src/runtime/lifecycle.ts';
import { startService, type RunningService } from '../../src/service.ts';
import { kubeconfigFor, startSimulationServer, type RunningSimulation } from '../../src/sim/index.ts';
import { wantNode, wantPod, wantWorkload } from '../support/kube-expect.ts';
import { consistentSnapshot, nodeRoles, quantity, workloadOfPod, type Consistent, type KContainer, type KNode, type KObject, type KPod, type KubeSnapshot } from '../support/kube-json.ts';
import { createEdgeCases, EDGE_NAMESPACE as NS } from '../support/edge-objects.ts';
import { writeKubeconfig } from '../support/kubectl.ts';

const dir = mkdtempSync(join(tmpdir(), 'krm-monitor-view-'));
const log = createLogger({ level: 'warn', destination: { write: () => undefined } });
let sim: RunningSimulation;
let lifecycle: Lifecycle;
let service: RunningService;
let kc: string;

before(async () => {
  // Real time: at speed 1 the demo changes a few objects a minute, so a still moment is easy to find.
  sim = await startSimulationServer({ scenario: 'demo', port: 0, speed: 1 });
  kc = writeKubeconfig({ server: sim.server.url });
  const config = loadConfig({ flags: { port: '0', host: '127.0.0.1', db: join(dir, 'krm.db') }, env: {}, cwd: dir, readFile: () => undefined });
  lifecycle = createLifecycle({ process: { on: () => undefined, removeListener: () => undefined, exit: () => undefined }, log });
  service = await startService({ config, log, lifecycle, kubeconfigYaml: kubeconfigFor(sim.server) });
  await service.cluster.whenReady(AbortSignal.timeout(30_000));
  // Added after the first sync, so they reach the monitor as watch events rather than in its initial list.
  await createEdgeCases({ kubeconfig: kc, dir });
});

after(async () => {
  await lifecycle.shutdown('test end');
  await sim.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Differences found, as `where: got … want …` lines, so one run reports every mismatch at once. */
class Mismatches {
  readonly lines: string[] = [];
  eq(where: string, got: unknown, want: unknown): void {
    if (!isDeepStrictEqual(got, want)) this.lines.push(`${where}: got ${JSON.stringify(got)} want ${JSON.stringify(want)}`);
  }
  /** The same names on both sides; reports only the differences, not two long lists. */
  sameKeys(where: string, got: Iterable<string>, want: Iterable<string>): void {
    const g = new Set(got);
    const w = new Set(want);
    const missing = [...w].filter((k) => !g.has(k));
    const extra = [...g].filter((k) => !w.has(k));
    if (missing.length > 0 || extra.length > 0) this.lines.push(`${where}: missing ${JSON.stringify(missing)} extra ${JSON.stringify(extra)}`);
  }
  assertNone(): void {
    assert.ok(this.lines.length === 0, `${this.lines.length} mismatches:\n${this.lines.slice(0, 40).join('\n')}`);
  }
}

const key = (o: { metadata: { namespace?: string; name: string } }): string => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;

// ---- the monitor's view, in the same shapes --------------------------------------------------------------------

const gotResources = (r: ContainerResources): unknown => ({ cpu: r.cpuMillicores, memory: r.memoryBytes, ephemeral: r.ephemeralStorageBytes });
const gotContainer = (c: ContainerSpec): unknown => ({ name: c.name, requests: gotResources(c.requests), limits: gotResources(c.limits) });

function gotState(s: ContainerState): unknown {
  if (s.kind === 'terminated') return { kind: s.kind, reason: s.reason, exitCode: s.exitCode };
  if (s.kind === 'waiting') return { kind: s.kind, reason: s.reason, exitCode: undefined };
  return { kind: s.kind, reason: undefined, exitCode: undefined };
}

function gotStatus(s: ContainerStatus): unknown {
  const last = s.lastTermination;
  return {
    name: s.name,
    ready: s.ready,
    restartCount: s.restartCount,
    state: gotState(s.state),
    lastTermination: last ? { reason: last.reason, exitCode: last.exitCode } : undefined,
  };
}

const gotConditions = (cs: Pod['conditions']): unknown => cs.map((c) => ({ type: c.type, status: c.status, reason: c.reason }));

function gotPod(p: Pod): unknown {
  const w = service.cluster.workloadOf(p);
  return {
    uid: p.uid,
    namespace: p.namespace,
    name: p.name,
    node: p.nodeName,
    phase: p.phase,
    qosClass: p.qosClass,
    labels: p.labels,
    createdAtMs: p.createdAtMs,
    conditions: gotConditions(p.conditions),
    containers: p.containers.map(gotContainer),
    initContainers: p.initContainers.map(gotContainer),
    containerStatuses: p.containerStatuses.map(gotStatus),
    initContainerStatuses: p.initContainerStatuses.map(gotStatus),
    workload: { kind: w.kind, name: w.name, resolved: w.resolved },
  };
}

const gotNodeResources = (r: NodeResources): unknown => ({ cpu: r.cpuMillicores, memory: r.memoryBytes, pods: r.pods, ephemeral: r.ephemeralStorageBytes });

function gotNode(n: Node): unknown {
  return {
    uid: n.uid,
    name: n.name,
    labels: n.labels,
    unschedulable: n.unschedulable,
    taints: n.taints.map((t) => ({ key: t.key, value: t.value, effect: t.effect })),
    capacity: gotNodeResources(n.capacity),
    allocatable: gotNodeResources(n.allocatable),
    conditions: gotConditions(n.conditions),
    zone: n.zone,
    instanceType: n.instanceType,
    roles: n.roles,
    kubeletVersion: n.kubeletVersion,
    internalIP: n.internalIP,
  };
}

/** Every watched controller as `Kind ns/name` → the fields wantWorkload computes. */
function gotWorkloads(): Map<string, unknown> {
  const c = service.cluster;
  const out = new Map<string, unknown>();
  const put = (kind: string, o: { namespace?: string; name: string; uid: string; labels: Readonly<Record<string, string>> }, fields: object): void => {
    out.set(`${kind} ${o.namespace ?? ''}/${o.name}`, { uid: o.uid, labels: o.labels, ...fields });
  };
  for (const d of c.list('deployments')) put('Deployment', d, { desired: d.replicas, ready: d.readyReplicas, available: d.availableReplicas, updated: d.updatedReplicas });
  for (const r of c.list('replicasets')) put('ReplicaSet', r, { desired: r.replicas, ready: r.readyReplicas, available: r.availableReplicas, updated: r.updatedReplicas });
  for (const s of c.list('statefulsets')) put('StatefulSet', s, { desired: s.replicas, ready: s.readyReplicas, current: s.currentReplicas, updated: s.updatedReplicas });
  for (const d of c.list('daemonsets')) {
    put('DaemonSet', d, { desired: d.desiredNumberScheduled, ready: d.numberReady, available: d.numberAvailable, misscheduled: d.numberMisscheduled });
  }
  for (const j of c.list('jobs')) put('Job', j, { completions: j.completions, parallelism: j.parallelism, active: j.active, succeeded: j.succeeded, failed: j.failed });
  for (const j of c.list('cronjobs')) put('CronJob', j, { schedule: j.schedule, suspend: j.suspend, active: j.active });
  return out;
}

interface CacheView {
  pods: Map<string, unknown>;
  nodes: Map<string, unknown>;
  workloads: Map<string, unknown>;
}

/** The watch cache is read synchronously, so the three maps are one moment of the monitor's state. */
async function cacheView(): Promise<CacheView> {
  const c = service.cluster;
  return {
    pods: new Map(c.list('pods').map((p) => [`${p.namespace}/${p.name}`, gotPod(p)])),
    nodes: new Map(c.list('nodes').map((n) => [`/${n.name}`, gotNode(n)])),
    workloads: gotWorkloads(),
  };
}

function compareMaps(m: Mismatches, what: string, maps: { got: Map<string, unknown>; want: Map<string, unknown> }): void {
  const { got, want } = maps;
  m.sameKeys(`${what}: names`, got.keys(), want.keys());
  for (const [k, w] of want) {
    const g = got.get(k);
    if (g === undefined) continue;
    for (const field of Object.keys(w as object)) {
      m.eq(`${what} ${k} .${field}`, (g as Record<string, unknown>)[field], (w as Record<string, unknown>)[field]);
    }
  }
}

const SETTLE = { settleMs: 300, tries: 8 };
const ROUNDS = 3;

/**
 * Compares a consistent snapshot with the monitor's view, and again on fresh snapshots while they differ (at most
 * ROUNDS times): a change the monitor had not applied yet when its view was captured cannot fail the test, while a
 * real difference shows in every round and is reported from the last.
 */
async function settled<V>(capture: () => Promise<V>, compare: (kube: KubeSnapshot, view: V) => Mismatches): Promise<Consistent<V> & { m: Mismatches }> {
  for (let round = 1; ; round++) {
    const c = await consistentSnapshot(kc, capture, SETTLE);
    const m = compare(c.kube, c.view);
    if (m.lines.length === 0 || round === ROUNDS) return { ...c, m };
    await new Promise((r) => setTimeout(r, 500));
  }
}

test('the watch cache holds every pod, node and workload kubectl lists, field by field', async () => {
  const { kube, view, attempts, m } = await settled(cacheView, (kube, view) => {
    const m = new Mismatches();
    compareMaps(m, 'pod', { got: view.pods, want: new Map(kube.pods.map((p) => [key(p), wantPod(p, kube)])) });
    compareMaps(m, 'node', { got: view.nodes, want: new Map(kube.nodes.map((n) => [key(n), wantNode(n)])) });
    compareMaps(m, 'workload', { got: view.workloads, want: new Map(kube.workloads.map((w) => [`${w.kind} ${key(w)}`, wantWorkload(w)])) });
    return m;
  });
  m.assertNone();

  // The comparison covers the cases that matter, not only healthy pods of one kind.
  const workloadKinds = new Set(kube.pods.map((p) => workloadOfPod(p, kube.workloads).kind));
  for (const kind of ['Deployment', 'StatefulSet', 'DaemonSet', 'CronJob', 'Pod']) assert.ok(workloadKinds.has(kind), `a pod of a ${kind}`);
  const statuses = kube.pods.flatMap((p) => p.status.containerStatuses ?? []);
  assert.ok(statuses.some((s) => s.state?.waiting?.reason === 'CrashLoopBackOff'), 'a crash-looping container');
  assert.ok(statuses.some((s) => s.lastState?.terminated?.reason === 'OOMKilled'), 'an OOM-killed last state');
  assert.ok(statuses.some((s) => s.restartCount > 0), 'restarted containers');
  assert.ok(kube.nodes.some((n) => (n.spec.taints ?? []).length > 0), 'a tainted node');
  assert.ok(new Set(kube.pods.map((p) => p.status.phase)).size >= 3, 'pods in several phases');
  assert.ok(kube.pods.length > 100 && attempts <= SETTLE.tries, `${kube.pods.length} pods after ${attempts} tries`);
  const edge = (name: string): unknown => (view.pods.get(`${NS}/${name}`) as { workload?: unknown } | undefined)?.workload;
  assert.deepEqual(edge('edge-db-0'), { kind: 'StatefulSet', name: 'edge-db', resolved: true }, 'the controller reference, not the first one');
  assert.deepEqual(edge('kube-proxy-ip-10-0-general-00'), { kind: 'Pod', name: 'kube-proxy-ip-10-0-general-00', resolved: true }, 'a static pod');
  assert.deepEqual(edge('orphan-5d8f-x1'), { kind: 'ReplicaSet', name: 'orphan-5d8f', resolved: true });
  assert.deepEqual(edge('frontend-legacy-abc12-p9'), { kind: 'Deployment', name: 'frontend', resolved: true }, 'through the cached ReplicaSet');
  assert.deepEqual(edge('adhoc-migrate-q2'), { kind: 'Job', name: 'adhoc-migrate', resolved: true });
});

// ---- the same through the HTTP API -------------------------------------------------------------------------------

interface ApiPod {
  namespace: string;
  name: string;
  node: string | null;
  phase: string;
  qos_class: string | null;
  workload: { kind: string; name: string };
  containers: number;
  restarts: number;
  created_at: string | null;
  cpu: { request_millicores: number; limit_millicores: number };
  memory: { request_bytes: number; limit_bytes: number };
}

interface ApiNode {
  name: string;
  ready: boolean;
  unschedulable: boolean;
  roles: string[];
  zone: string | null;
  instance_type: string | null;
  kubelet_version: string | null;
  pods: { count: number; allocatable: number | null };
  cpu: { request_millicores: number; limit_millicores: number; allocatable_millicores: number | null; capacity_millicores: number | null };
  memory: { request_bytes: number; limit_bytes: number; allocatable_bytes: number | null; capacity_bytes: number | null };
}

interface ApiCluster {
  nodes: { total: number; ready: number };
  pods: { total: number; by_phase: Record<string, number> };
  cpu: { request_millicores: number; limit_millicores: number; allocatable_millicores: number };
  memory: { request_bytes: number; limit_bytes: number; allocatable_bytes: number };
}

async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(service.url + path);
  assert.equal(res.status, 200, `GET ${path}`);
  return (await res.json()) as T;
}

interface ApiView {
  pods: ApiPod[];
  pages: number;
  nodes: ApiNode[];
  cluster: ApiCluster;
}

/** Every page of /api/v1/pods (small pages, so the cursor is followed many times), then nodes and the summary. */
async function apiView(): Promise<ApiView> {
  const pods: ApiPod[] = [];
  let pages = 0;
  let next: string | null = null;
  do {
    const page: { items: ApiPod[]; total: number; continue: string | null } = await getJson(`/api/v1/pods?limit=37${next === null ? '' : `&continue=${encodeURIComponent(next)}`}`);
    pods.push(...page.items);
    next = page.continue;
    pages++;
  } while (next !== null && pages < 1000);
  const nodes = (await getJson<{ items: ApiNode[] }>('/api/v1/nodes')).items;
  return { pods, pages, nodes, cluster: await getJson<ApiCluster>('/api/v1/cluster') };
}

interface Totals {
  cpuRequest: number;
  cpuLimit: number;
  memoryRequest: number;
  memoryLimit: number;
}

function containerTotals(c: KContainer): Totals {
  return {
    cpuRequest: quantity(c.resources?.requests?.cpu, 3) ?? 0,
    cpuLimit: quantity(c.resources?.limits?.cpu, 3) ?? 0,
    memoryRequest: quantity(c.resources?.requests?.memory) ?? 0,
    memoryLimit: quantity(c.resources?.limits?.memory) ?? 0,
  };
}

function maxTotals(a: Totals, b: Totals): Totals {
  return { cpuRequest: Math.max(a.cpuRequest, b.cpuRequest), cpuLimit: Math.max(a.cpuLimit, b.cpuLimit), memoryRequest: Math.max(a.memoryRequest, b.memoryRequest), memoryLimit: Math.max(a.memoryLimit, b.memoryLimit) };
}

/**
 * Kubernetes' pod resource rule (what `kubectl describe node` shows as allocated): the larger of all app containers
 * plus all sidecars, and each ordinary init container plus the sidecars started before it.
 */
function podTotals(p: KPod): Totals {
  let sidecars = ZERO;
  let initPeak = ZERO;
  for (const c of p.spec.initContainers ?? []) {
    if (c.restartPolicy === 'Always') sidecars = addTotals(sidecars, containerTotals(c));
    else initPeak = maxTotals(initPeak, addTotals(containerTotals(c), sidecars));
  }
  return maxTotals(p.spec.containers.map(containerTotals).reduce(addTotals, sidecars), initPeak);
}

/** kubectl's RESTARTS: app containers plus sidecars. */
function podRestartCount(p: KPod): number {
  const sidecars = new Set((p.spec.initContainers ?? []).filter((c) => c.restartPolicy === 'Always').map((c) => c.name));
  const sidecarRestarts = (p.status.initContainerStatuses ?? []).filter((s) => sidecars.has(s.name)).reduce((sum, s) => sum + s.restartCount, 0);
  return (p.status.containerStatuses ?? []).reduce((sum, c) => sum + c.restartCount, sidecarRestarts);
}

function addTotals(a: Totals, b: Totals): Totals {
  return { cpuRequest: a.cpuRequest + b.cpuRequest, cpuLimit: a.cpuLimit + b.cpuLimit, memoryRequest: a.memoryRequest + b.memoryRequest, memoryLimit: a.memoryLimit + b.memoryLimit };
}

const ZERO: Totals = { cpuRequest: 0, cpuLimit: 0, memoryRequest: 0, memoryLimit: 0 };
const active = (p: KPod): boolean => p.status.phase !== 'Succeeded' && p.status.phase !== 'Failed';

function wantApiPod(p: KPod, kube: KubeSnapshot): ApiPod {
  const t = podTotals(p);
  return {
    namespace: p.metadata.namespace ?? '',
    name: p.metadata.name,
    node: p.spec.nodeName ?? null,
    phase: p.status.phase ?? 'Unknown',
    qos_class: p.status.qosClass ?? null,
    workload: workloadOfPod(p, kube.workloads),
    containers: p.spec.containers.length,
    restarts: podRestartCount(p),
    created_at: p.metadata.creationTimestamp === undefined ? null : new Date(p.metadata.creationTimestamp).toISOString(),
    cpu: { request_millicores: t.cpuRequest, limit_millicores: t.cpuLimit },
    memory: { request_bytes: t.memoryRequest, limit_bytes: t.memoryLimit },
  };
}

function wantApiNode(n: KNode, kube: KubeSnapshot): ApiNode {
  const labels = n.metadata.labels ?? {};
  const onNode = kube.pods.filter((p) => p.spec.nodeName === n.metadata.name && active(p));
  const t = onNode.map(podTotals).reduce(addTotals, ZERO);
  return {
    name: n.metadata.name,
    ready: (n.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True'),
    unschedulable: n.spec.unschedulable ?? false,
    roles: nodeRoles(labels),
    zone: labels['topology.kubernetes.io/zone'] ?? null,
    instance_type: labels['node.kubernetes.io/instance-type'] ?? null,
    kubelet_version: n.status.nodeInfo?.kubeletVersion ?? null,
    pods: { count: onNode.length, allocatable: quantity(n.status.allocatable?.pods) ?? null },
    cpu: {
      request_millicores: t.cpuRequest,
      limit_millicores: t.cpuLimit,
      allocatable_millicores: quantity(n.status.allocatable?.cpu, 3) ?? null,
      capacity_millicores: quantity(n.status.capacity?.cpu, 3) ?? null,
    },
    memory: {
      request_bytes: t.memoryRequest,
      limit_bytes: t.memoryLimit,
      allocatable_bytes: quantity(n.status.allocatable?.memory) ?? null,
      capacity_bytes: quantity(n.status.capacity?.memory) ?? null,
    },
  };
}

/** Keeps only the fields `want` has, recursively, so fields the API adds (usage) do not enter the comparison. */
function pick(got: unknown, want: unknown): unknown {
  if (typeof want !== 'object' || want === null || Array.isArray(want) || typeof got !== 'object' || got === null) return got;
  const g = got as Record<string, unknown>;
  return Object.fromEntries(Object.entries(want).map(([k, w]) => [k, pick(g[k], w)]));
}

test('GET /api/v1/pods (every page), /api/v1/nodes and /api/v1/cluster match kubectl', async () => {
  const { view, m } = await settled(apiView, compareApi);
  m.assertNone();
  assert.ok(view.pages > 3, `${view.pages} pages of pods`);
});

function compareApi(kube: KubeSnapshot, view: ApiView): Mismatches {
  const m = new Mismatches();
  const apiPods = new Map<string, ApiPod>();
  for (const p of view.pods) {
    const k = `${p.namespace}/${p.name}`;
    if (apiPods.has(k)) m.lines.push(`pods: ${k} on two pages`);
    apiPods.set(k, p);
  }
  const wantPods = new Map(kube.pods.map((p) => [key(p), wantApiPod(p, kube)]));
  m.sameKeys('pods: names', apiPods.keys(), wantPods.keys());
  for (const [k, w] of wantPods) {
    const g = apiPods.get(k);
    if (!g) continue;
    for (const [field, value] of Object.entries(w)) m.eq(`api pod ${k} .${field}`, pick((g as unknown as Record<string, unknown>)[field], value), value);
  }

  const apiNodes = new Map(view.nodes.map((n) => [n.name, n]));
  m.sameKeys('nodes: names', apiNodes.keys(), kube.nodes.map((n) => n.metadata.name));
  for (const n of kube.nodes) {
    const w = wantApiNode(n, kube);
    const g = apiNodes.get(n.metadata.name);
    if (!g) continue;
    const got = g as unknown as Record<string, unknown>;
    for (const [field, value] of Object.entries(w)) m.eq(`api node ${n.metadata.name} .${field}`, pick(got[field], value), value);
  }

  const byPhase: Record<string, number> = { Pending: 0, Running: 0, Succeeded: 0, Failed: 0, Unknown: 0 };
  for (const p of kube.pods) byPhase[p.status.phase ?? 'Unknown'] = (byPhase[p.status.phase ?? 'Unknown'] ?? 0) + 1;
  const t = kube.pods.filter(active).map(podTotals).reduce(addTotals, ZERO);
  const sum = (f: (n: KNode) => number | undefined): number => kube.nodes.reduce((s, n) => s + (f(n) ?? 0), 0);
  const wantCluster: ApiCluster = {
    nodes: { total: kube.nodes.length, ready: kube.nodes.filter((n) => (n.status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True')).length },
    pods: { total: kube.pods.length, by_phase: byPhase },
    cpu: { request_millicores: t.cpuRequest, limit_millicores: t.cpuLimit, allocatable_millicores: sum((n) => quantity(n.status.allocatable?.cpu, 3)) },
    memory: { request_bytes: t.memoryRequest, limit_bytes: t.memoryLimit, allocatable_bytes: sum((n) => quantity(n.status.allocatable?.memory)) },
  };
  m.eq('cluster', pick(view.cluster, wantCluster), wantCluster);
  return m;
}

// ---- GET /api/v1/namespaces/{ns}/workloads -------------------------------------------------------------------------

interface ApiResources {
  cpu_millicores: number | null;
  memory_bytes: number | null;
}

interface ApiWorkload {
  namespace: string;
  kind: string;
  name: string;
  replicas: { desired: number; ready: number } | null;
  pods: number;
  containers: { name: string; requests: ApiResources; limits: ApiResources }[];
  cpu: { request_millicores: number; limit_millicores: number };
  memory: { request_bytes: number; limit_bytes: number };
  restarts: number;
}

/** Every namespace's workloads, every page (small pages, so the cursor is followed). */
async function apiWorkloads(): Promise<Map<string, ApiWorkload>> {
  const out = new Map<string, ApiWorkload>();
  for (const ns of service.cluster.list('namespaces')) {
    let next: string | null = null;
    let pages = 0;
    do {
      const page: { items: ApiWorkload[]; continue: string | null } = await getJson(
        `/api/v1/namespaces/${ns.name}/workloads?limit=7${next === null ? '' : `&continue=${encodeURIComponent(next)}`}`,
      );
      for (const w of page.items) out.set(`${w.namespace} ${w.kind}/${w.name}`, w);
      next = page.continue;
    } while (next !== null && ++pages < 1000);
  }
  return out;
}

const apiResources = (list: Record<string, string> | undefined): ApiResources => ({ cpu_millicores: quantity(list?.cpu, 3) ?? null, memory_bytes: quantity(list?.memory) ?? null });

/** The container specs of the newest pods (several when they were created in the same second). */
function newestContainers(pods: KPod[]): unknown[] {
  const created = (p: KPod): number => Date.parse(p.metadata.creationTimestamp ?? '1970-01-01T00:00:00Z');
  const newest = Math.max(...pods.map(created));
  return pods.filter((p) => created(p) === newest).map((p) => p.spec.containers.map((c) => ({ name: c.name, requests: apiResources(c.resources?.requests), limits: apiResources(c.resources?.limits) })));
}

function replicasOf(w: KObject | undefined): ApiWorkload['replicas'] {
  const spec = w?.spec ?? {};
  const st = w?.status ?? {};
  if (w?.kind === 'DaemonSet') return { desired: int(st.desiredNumberScheduled), ready: int(st.numberReady) };
  if (w?.kind === 'Deployment' || w?.kind === 'StatefulSet' || w?.kind === 'ReplicaSet') return { desired: typeof spec.replicas === 'number' ? spec.replicas : 1, ready: int(st.readyReplicas) };
  return null;
}

const int = (v: unknown): number => (typeof v === 'number' ? v : 0);

/** The workloads kubectl's JSON implies: the top of every pod's owner chain, and the controllers without pods. */
function wantWorkloads(kube: KubeSnapshot): Map<string, { want: Omit<ApiWorkload, 'containers'>; containers: unknown[] }> {
  const groups = new Map<string, { ns: string; kind: string; name: string; pods: KPod[] }>();
  const group = (ns: string, kind: string, name: string): KPod[] => {
    const k = `${ns} ${kind}/${name}`;
    if (!groups.has(k)) groups.set(k, { ns, kind, name, pods: [] });
    return groups.get(k)?.pods ?? [];
  };
  for (const p of kube.pods) {
    const w = workloadOfPod(p, kube.workloads);
    group(p.metadata.namespace ?? '', w.kind, w.name).push(p);
  }
  for (const w of kube.workloads) {
    const topLevel = ['Deployment', 'StatefulSet', 'DaemonSet', 'CronJob'].includes(w.kind) || (w.metadata.ownerReferences ?? []).length === 0;
    if (topLevel) group(w.metadata.namespace ?? '', w.kind, w.metadata.name);
  }
  const out = new Map<string, { want: Omit<ApiWorkload, 'containers'>; containers: unknown[] }>();
  for (const [k, g] of groups) {
    const t = g.pods.filter(active).map(podTotals).reduce(addTotals, ZERO);
    const controller = kube.workloads.find((w) => w.kind === g.kind && w.metadata.namespace === g.ns && w.metadata.name === g.name);
    out.set(k, {
      want: {
        namespace: g.ns,
        kind: g.kind,
        name: g.name,
        replicas: replicasOf(controller),
        pods: g.pods.length,
        cpu: { request_millicores: t.cpuRequest, limit_millicores: t.cpuLimit },
        memory: { request_bytes: t.memoryRequest, limit_bytes: t.memoryLimit },
        restarts: g.pods.map(podRestartCount).reduce((a, b) => a + b, 0),
      },
      containers: g.pods.length === 0 ? [[]] : newestContainers(g.pods),
    });
  }
  return out;
}

test('GET /api/v1/namespaces/{ns}/workloads (every page of every namespace) matches kubectl', async (t) => {
  const probe = await fetch(`${service.url}/api/v1/namespaces/${NS}/workloads`);
  if (probe.status === 404) {
    t.skip('the workloads route is not registered in this build');
    return;
  }
  const { kube, m } = await settled(apiWorkloads, (kube, view) => {
    const want = wantWorkloads(kube);
    const m = new Mismatches();
    m.sameKeys('workloads: names', view.keys(), want.keys());
    for (const [k, w] of want) {
      const g = view.get(k);
      if (!g) continue;
      for (const [field, value] of Object.entries(w.want)) m.eq(`api workload ${k} .${field}`, pick((g as unknown as Record<string, unknown>)[field], value), value);
      if (!w.containers.some((c) => isDeepStrictEqual(c, g.containers))) m.eq(`api workload ${k} .containers`, g.containers, w.containers[0]);
    }
    return m;
  });
  m.assertNone();
  assert.ok(wantWorkloads(kube).size > 30, `${wantWorkloads(kube).size} workloads`);
});
