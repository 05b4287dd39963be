// SPDX-License-Identifier: Apache-2.0
// buildCluster: turns a scenario into the objects of a running cluster, as `kubectl get -o json` of a real one
// would show them. Planning (namespaces, workloads, pods), placement (the scheduler), then creation in the order
// the store lists keys (cluster-scoped kinds, nodes, then namespace by namespace), so sorted inserts are appends.
// Time flows one way: everything is dated before `nowMs`; node condition scripts due at `nowMs` are applied last.
import type { ObjectStoreApi } from '../object-store.ts';
import type { NodeConditionScript, Scenario } from './schema.ts';
import type { BuiltCluster, ChurnGroup, CronJobRuntime, RunningJob } from './built-types.ts';
import type { FailureScript, NodeConditionRuntimeScript } from './failures/types.ts';
import type { NodeRecord } from './node-record.ts';
import type { RunningContainer, BuiltVolume } from './built-types.ts';
import { EventRecorder } from './events.ts';
import { LogProfileIndex } from './log-index.ts';
import { Rng, subSeed } from './rng.ts';
import { TemplateCache } from './pod-template.ts';
import { Scheduler } from './scheduler.ts';
import { expandNamespaces } from './expand.ts';
import { planNamespace } from './plan-workloads.ts';
import { placePods } from './place-pods.ts';
import { createNode, nodeLease, planNodes } from './build-nodes.ts';
import { namespaceObject } from './build-namespaces.ts';
import { buildNamespace } from './build-namespace.ts';
import type { NamespaceBuildEnv } from './build-context.ts';
import { storageClassObject } from './build-storage.ts';
import { ClusterIpAllocator } from './build-services.ts';
import { clusterRbac } from './rbac.ts';
import { createSystemExtras } from './build-system.ts';
import { NodeConditionDriver } from './dynamics-nodes.ts';
import { clearIsoCache } from './time.ts';
import type { PlanContext } from './plan-helpers.ts';
import type { PodOwnerInfo } from './built-types.ts';
import { builtNodeFromRecord } from './dump-nodes.ts';
import { MINUTE_MS, DAY_MS } from '../../../domain/time.ts';

export interface BuildClusterOptions {
  scenario: Scenario;
  store: ObjectStoreApi;
  /** Scenario time of the build, epoch ms: objects are dated before it; scripts count minutes from it. */
  nowMs: number;
  /** Overrides scenario.seed. */
  seed?: number;
}

function conditionScript(c: NodeConditionScript, node: NodeRecord | undefined, nowMs: number): NodeConditionRuntimeScript | undefined {
  if (!node) return undefined;
  return { kind: 'node-condition', node: node.name, condition: c.condition, fromMs: nowMs + c.fromMinute * MINUTE_MS, ...(c.untilMinute !== undefined ? { untilMs: nowMs + c.untilMinute * MINUTE_MS } : {}), state: 'pending' };
}

function badIndex(pool: string, i: number): never {
  throw new Error(`node pool ${pool} has no node index ${i}`);
}

function nodeScripts(s: Scenario, nodes: readonly NodeRecord[], nowMs: number): NodeConditionRuntimeScript[] {
  const out: NodeConditionRuntimeScript[] = [];
  for (const pool of s.nodePools) {
    const poolNodes = nodes.filter((n) => n.pool === pool.name).sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const c of pool.conditions ?? []) out.push(...c.nodes.map((i) => conditionScript(c, poolNodes[i], nowMs) ?? badIndex(pool.name, i)));
  }
  return out;
}

function createClusterScoped(store: ObjectStoreApi, s: Scenario, clusterCreatedMs: number): void {
  for (const sc of [...s.storageClasses].sort((a, b) => (a.name < b.name ? -1 : 1))) store.create(storageClassObject(sc, clusterCreatedMs + 120_000));
  for (const o of clusterRbac(clusterCreatedMs)) store.create(o);
}

function createNodes(store: ObjectStoreApi, s: Scenario, ctx: { nodes: readonly NodeRecord[]; nowMs: number; rng: Rng }): void {
  const { nodes } = ctx;
  const pools = new Map(s.nodePools.map((p) => [p.name, p]));
  for (const rec of nodes) {
    const pool = pools.get(rec.pool);
    if (!pool) continue;
    const heartbeatMs = ctx.nowMs - ctx.rng.between(5, 240) * 1000;
    createNode(store, { rec, scenario: s, pool, active: new Map(), heartbeatMs });
  }
  for (const rec of nodes) {
    const node = store.get('nodes', undefined, rec.name);
    if (node) store.create(nodeLease(node as Parameters<typeof nodeLease>[0], ctx.nowMs - ctx.rng.between(0, 9) * 1000));
  }
}

/** Builds every object of the scenario into the store and returns what the runtime needs. */
export function buildCluster(opts: BuildClusterOptions): BuiltCluster {
  const { scenario: s, store, nowMs } = opts;
  const seed = opts.seed ?? s.seed;
  const rng = new Rng(subSeed(seed, 'build'));
  const recorder = new EventRecorder(store);
  const nodes = planNodes(s, nowMs, new Rng(subSeed(seed, 'nodes')));
  const namespaces = expandNamespaces(s, nowMs, new Rng(subSeed(seed, 'namespaces')));
  const cache = new TemplateCache();
  const defaultClass = s.storageClasses.find((c) => c.default)?.name;
  const ctx: PlanContext = { nowMs, rng, seed, cache, storageClasses: new Set(s.storageClasses.map((c) => c.name)), ...(defaultClass ? { defaultStorageClass: defaultClass } : {}) };
  for (const ns of namespaces) planNamespace(ns, ctx);
  placePods(namespaces, { nodes, scheduler: new Scheduler(nodes), ctx });

  const clusterCreatedMs = nowMs - s.cluster.ageDays * DAY_MS;
  createClusterScoped(store, s, clusterCreatedMs);
  createNodes(store, s, { nodes, nowMs, rng });
  for (const ns of namespaces) store.create(namespaceObject(ns));

  const scripts: FailureScript[] = [];
  const containers: RunningContainer[] = [];
  const volumes: BuiltVolume[] = [];
  const churn: ChurnGroup[] = [];
  const jobs: RunningJob[] = [];
  const cronJobs: CronJobRuntime[] = [];
  const logs = new LogProfileIndex();
  const owners = new Map<string, PodOwnerInfo>();
  const classes = new Map(s.storageClasses.map((c) => [c.name, c]));
  const env: NamespaceBuildEnv = {
    store, nowMs, rng, recorder, scripts, containers, logs, churn, jobs, cronJobs,
    storage: { store, classes, ...(defaultClass ? { defaultClass } : {}), recorder, scripts, volumes, rng, nowMs },
    ips: new ClusterIpAllocator(rng),
    churnEnabled: s.churn.podsPerSecond > 0,
    owners,
    templateFor: (w) => cache.get(w.template, { instanceName: w.name, limitRange: w.ns.body.limitRange, sharedClaims: w.sharedClaims }),
  };
  for (const ns of namespaces) {
    buildNamespace(env, ns);
    createSystemExtras(env, ns, clusterCreatedMs);
  }

  const conditionScripts = nodeScripts(s, nodes, nowMs);
  scripts.push(...conditionScripts);
  new NodeConditionDriver({ store, recorder, nodes, scripts: conditionScripts, nowMs, leaseBudget: 0 }).tick(nowMs);

  clearIsoCache();
  const pendingPods = namespaces.reduce((a, ns) => a + ns.workloads.reduce((b, w) => b + w.groups.reduce((c, g) => c + g.pods.filter((p) => p.state === 'unschedulable').length, 0), 0), 0);
  return {
    nowMs,
    seed,
    nodes: nodes.map(builtNodeFromRecord),
    containers,
    volumes,
    logs,
    scripts,
    churn,
    jobs,
    cronJobs,
    recorder,
    nodeRecords: nodes,
    owners,
    stats: { namespaces: namespaces.length, nodes: nodes.length, pods: store.count('pods'), pendingPods, runningContainers: containers.length, events: recorder.size() },
  };
}
