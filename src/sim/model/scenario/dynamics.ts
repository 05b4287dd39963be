// SPDX-License-Identifier: Apache-2.0
// The runtime driver of a built scenario: on every tick it plays the failure scripts up to "now" (crash loops,
// liveness restarts, repeated warnings), switches node conditions, churns pods, completes Jobs and fires CronJobs,
// renews node leases and expires old events. OOM kills come from the usage model through onOomKill. All changes go
// through the store's copy-on-write patch, so watchers see MODIFIED events as from a real cluster.
import type { Pod } from '../kube-types.ts';
import type { ObjectStoreApi } from '../object-store.ts';
import type { BuiltCluster, RunningContainer, RunningJob } from './built-types.ts';
import type { CrashLoopScript, FailureScript, LivenessScript, NodeConditionRuntimeScript, RecurringEventScript } from './failures/types.ts';
import type { Scenario } from './schema.ts';
import { advanceCrashLoop, advanceLiveness, applyOomKill, type OomKill } from './dynamics-containers.ts';
import { ChurnDriver } from './dynamics-churn.ts';
import { completeJob, fireCronJob, type JobEnv } from './dynamics-jobs.ts';
import { NodeConditionDriver } from './dynamics-nodes.ts';
import { Rng, subSeed } from './rng.ts';
import { objectRef } from './events.ts';

/** The part of the usage engine the dynamics drive (UsageEngine satisfies it). */
export interface DynamicsUsage {
  addContainer(c: RunningContainer): void;
  removePod(namespace: string, pod: string): boolean;
  restartContainer(r: { namespace: string; pod: string; container: string; atMs: number }): boolean;
}

export interface DynamicsOptions {
  store: ObjectStoreApi;
  scenario: Scenario;
  built: BuiltCluster;
  usage?: DynamicsUsage;
  seed?: number;
  /** Most node lease renewals per tick (default 2,000). */
  leaseBudget?: number;
}

export interface Dynamics {
  /** Advances every script to `nowMs` (scenario time, epoch ms). Calls with an earlier time are ignored. */
  tick(nowMs: number): void;
  /** The usage model OOM-killed a container: record it on the pod as the kubelet would. */
  onOomKill(e: OomKill): void;
  /** Counters for tests and the status page. */
  stats(): DynamicsStats;
}

export interface DynamicsStats {
  nowMs: number;
  /** Pods recreated elsewhere after the taint eviction controller marked them for deletion. */
  podsReplaced: number;
  podsDeleted: number;
  podsCreated: number;
  oomKills: number;
  jobsCompleted: number;
  jobsCreated: number;
  events: number;
}

function recurring(env: JobEnv, s: RecurringEventScript, nowMs: number): boolean {
  const n = Math.floor((nowMs - s.lastMs) / s.periodMs);
  if (n <= 0) return true;
  const inv = s.event.involved;
  if (inv.kind === 'Pod' && !env.store.get('pods', inv.namespace, inv.name)) return false;
  if (inv.kind === 'PersistentVolumeClaim' && !env.store.get('persistentvolumeclaims', inv.namespace, inv.name)) return false;
  s.lastMs += n * s.periodMs;
  env.recorder.record({ ...s.event, atMs: s.lastMs, count: n, firstMs: undefined });
  return true;
}

class ScenarioDynamics implements Dynamics {
  private readonly env: JobEnv;
  private readonly nodes: NodeConditionDriver;
  private readonly churn: ChurnDriver;
  private scripts: FailureScript[];
  private runningJobs: RunningJob[];
  private lastMs: number;
  private lastExpiryMs = 0;
  private oomKills = 0;
  private podsReplaced = 0;
  private jobsCompleted = 0;
  private jobsCreated = 0;

  constructor(private readonly o: DynamicsOptions) {
    const { built, store } = o;
    const rng = new Rng(subSeed(o.seed ?? built.seed, 'dynamics'));
    const nodeScripts = built.scripts.filter((s): s is NodeConditionRuntimeScript => s.kind === 'node-condition');
    this.nodes = new NodeConditionDriver({
      store,
      recorder: built.recorder,
      nodes: built.nodeRecords,
      scripts: nodeScripts,
      nowMs: built.nowMs,
      ...(o.leaseBudget !== undefined ? { leaseBudget: o.leaseBudget } : {}),
      onEvict: (pod, atMs) => this.onEvicted(pod, atMs),
    });
    this.env = {
      store,
      recorder: built.recorder,
      rng,
      logs: built.logs,
      ...(o.usage ? { usage: o.usage } : {}),
      emitEvents: o.scenario.churn.events,
      nodes: built.nodeRecords,
      isNotReady: (n) => this.nodes.isNotReady(n),
    };
    this.churn = new ChurnDriver(this.env, built.churn, { podsPerSecond: o.scenario.churn.podsPerSecond, startMs: built.nowMs });
    this.scripts = built.scripts.filter((s) => s.kind !== 'node-condition');
    this.runningJobs = [...built.jobs];
    this.lastMs = built.nowMs;
  }

  tick(nowMs: number): void {
    if (nowMs < this.lastMs) return;
    this.nodes.tick(nowMs);
    this.scripts = this.scripts.filter((s) => this.advance(s, nowMs));
    this.churn.tick(nowMs);
    this.tickJobs(nowMs);
    // The API server's TTL sweep need not run every tick; once a simulated minute keeps ticks cheap.
    if (nowMs - this.lastExpiryMs >= 60_000) {
      this.o.built.recorder.expire(nowMs);
      this.lastExpiryMs = nowMs;
    }
    this.lastMs = nowMs;
  }

  private advance(s: FailureScript, nowMs: number): boolean {
    switch (s.kind) {
      case 'recurring-event':
        return recurring(this.env, s, nowMs);
      case 'crashloop':
        return advanceCrashLoop(this.env, s as CrashLoopScript, nowMs);
      case 'liveness':
        return advanceLiveness(this.env, s as LivenessScript, nowMs);
      default:
        return false;
    }
  }

  private tickJobs(nowMs: number): void {
    const due = this.runningJobs.filter((j) => j.endMs <= nowMs);
    if (due.length) {
      this.runningJobs = this.runningJobs.filter((j) => j.endMs > nowMs);
      for (const j of due) completeJob(this.env, j);
      this.jobsCompleted += due.length;
    }
    for (const c of this.o.built.cronJobs) {
      for (let guard = 0; c.nextMs <= nowMs && guard < 1000; guard++) {
        const job = fireCronJob(this.env, c, c.nextMs);
        if (!job) continue;
        this.jobsCreated++;
        this.runningJobs.push(job);
      }
    }
  }

  /** A pod marked for deletion by the taint eviction controller: it stops reporting, its ReplicaSet replaces it. */
  private onEvicted(pod: Pod, atMs: number): void {
    const ns = pod.metadata.namespace ?? '';
    this.o.usage?.removePod(ns, pod.metadata.name);
    const ref = pod.metadata.ownerReferences?.[0];
    const owner = ref?.kind === 'ReplicaSet' ? this.o.built.owners.get(ref.uid) : undefined;
    if (!owner || !ref) return;
    const name = this.churn.replace(owner, pod.metadata.name, atMs);
    if (!name) return;
    this.podsReplaced++;
    const rs = this.o.store.get('replicasets.apps', ns, ref.name);
    if (rs) this.env.recorder.record({ involved: objectRef(rs), reason: 'SuccessfulCreate', message: `Created pod: ${name}`, type: 'Normal', component: 'replicaset-controller', atMs });
  }

  onOomKill(e: OomKill): void {
    if (applyOomKill(this.env, e)) this.oomKills++;
  }

  stats(): DynamicsStats {
    return { nowMs: this.lastMs, podsReplaced: this.podsReplaced, podsDeleted: this.churn.deleted, podsCreated: this.churn.created, oomKills: this.oomKills, jobsCompleted: this.jobsCompleted, jobsCreated: this.jobsCreated, events: this.o.built.recorder.size() };
  }
}

/** Creates the runtime driver for a built scenario. */
export function createDynamics(opts: DynamicsOptions): Dynamics {
  return new ScenarioDynamics(opts);
}
