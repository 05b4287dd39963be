// SPDX-License-Identifier: Apache-2.0
// The composition root of the simulated cluster: object store, scenario builder and dynamics, usage model, log
// generator and exporters, behind the SimBackend the API server serves. Scenario time runs from the scenario's
// start at `speed` times real time; a tick advances the usage model and the dynamics to "now".
import type { LogQuery, SimBackend, TextBody } from './api/backend.ts';
import { clusterMetricsBody, kubeletEndpoint, nodeMetrics, podMetrics, type ExporterContext } from './exporters/index.ts';
import type { KubeObject } from './model/kube-types.ts';
import { ObjectStore } from './model/object-store.ts';
import { PodsByNode } from './model/pods-by-node.ts';
import { buildCluster } from './model/scenario/build.ts';
import { loadDump } from './model/scenario/dump.ts';
import type { BuiltCluster } from './model/scenario/built-types.ts';
import { createDynamics, type Dynamics } from './model/scenario/dynamics.ts';
import type { Scenario } from './model/scenario/schema.ts';
import { podLogFollow, podLogText, type LogSources } from './pod-logs.ts';
import { UsageEngine } from './usage/engine.ts';

export interface SimulationOptions {
  scenario: Scenario;
  /** Overrides the scenario's seed. */
  seed?: number;
  /** Scenario seconds per real second (1 = real time, 60 = an hour a minute). */
  speed?: number;
  /** Scenario time at start, epoch ms (default: the scenario's startTime, else the current time). */
  startMs?: number;
  /** Changes retained for watches and continue tokens (the watch cache window). */
  eventWindow?: number;
  /** Real milliseconds between ticks of the usage model and dynamics. */
  tickMs?: number;
  /** Real clock, injectable for tests. */
  realNow?: () => number;
  /**
   * A real cluster's dump (`kubectl get nodes,pods,deploy,... -A -o json` text, JSON or YAML): its objects are loaded
   * as they are instead of the scenario's, then driven by the usage model. The scenario still gives seed and clock.
   */
  dump?: string;
}

export interface SimulationSummary {
  scenario: string;
  seed: number;
  nodes: number;
  pods: number;
  namespaces: number;
  runningContainers: number;
}

/**
 * Where the scenario clock starts when nothing says. Accelerated time runs ahead of the wall clock, and clients
 * that compute ages locally (`kubectl describe` prints event ages from its own clock) show `<invalid>` for times in
 * their future. So an accelerated scenario starts three days in the past: at 60x it stays behind the wall clock for
 * about 73 minutes of real time, longer than a demo usually runs.
 */
export const ACCELERATED_HEAD_START_MS = 3 * 86_400_000;

/** The scenario clock's start when neither the options nor the scenario give one. */
export function defaultStart(realNowMs: number, speed: number): number {
  return speed > 1 ? realNowMs - ACCELERATED_HEAD_START_MS : realNowMs;
}

export class Simulation implements SimBackend {
  readonly store: ObjectStore;
  readonly usage: UsageEngine;
  readonly built: BuiltCluster;
  private readonly dynamics: Dynamics;
  private readonly speed: number;
  private readonly realNow: () => number;
  private readonly realStart: number;
  private readonly simStart: number;
  private timer: NodeJS.Timeout | undefined;
  private readonly logSources: LogSources;
  /** The pods of each node for the per-node kubelet endpoints, following the store's changes. */
  private readonly podsByNode: PodsByNode;

  constructor(readonly scenario: Scenario, opts: Omit<SimulationOptions, 'scenario'> = {}) {
    const seed = opts.seed ?? scenario.seed;
    this.speed = opts.speed ?? 1;
    this.realNow = opts.realNow ?? Date.now;
    this.realStart = this.realNow();
    this.simStart = opts.startMs ?? (scenario.startTime ? Date.parse(scenario.startTime) : defaultStart(this.realStart, this.speed));
    this.store = new ObjectStore({ seed, now: () => this.nowMs(), eventWindow: opts.eventWindow });
    let onOom: Dynamics['onOomKill'] = () => undefined;
    this.usage = new UsageEngine({ seed, startMs: this.simStart, onOomKill: (e) => onOom(e) });
    const scenarioWithSeed = { ...scenario, seed };
    // A fresh API server has no change history to resume from: the initial objects are not watch events.
    let built: BuiltCluster | undefined;
    this.store.bulkLoad(() => {
      built = opts.dump
        ? loadDump(opts.dump, { store: this.store, nowMs: this.simStart, seed })
        : buildCluster({ scenario: scenarioWithSeed, store: this.store, nowMs: this.simStart });
    });
    this.built = built as BuiltCluster;
    this.registerUsage();
    this.podsByNode = new PodsByNode(this.store);
    this.dynamics = createDynamics({ store: this.store, scenario: scenarioWithSeed, built: this.built, usage: this.usage, seed });
    onOom = (e) => this.dynamics.onOomKill(e);
    this.logSources = { store: this.store, profileOf: (ns, pod, c) => this.built.logs.get(ns, pod, c) };
  }

  private registerUsage(): void {
    for (const n of this.built.nodes) {
      this.usage.addNode({ name: n.name, cpuCores: n.cpuCores, memoryBytes: n.memoryBytes, fsCapacityBytes: n.ephemeralStorageBytes, bootTimeMs: n.bootTimeMs });
    }
    for (const c of this.built.containers) this.usage.addContainer(c);
    for (const v of this.built.volumes) this.usage.addVolume(v);
  }

  /** Scenario time, epoch milliseconds. */
  nowMs(): number {
    return this.simStart + (this.realNow() - this.realStart) * this.speed;
  }

  /** Advances the usage model and the dynamics to the current scenario time. */
  tick(): void {
    this.advanceTo(this.nowMs());
  }

  /** Advances the usage model and the dynamics to a scenario time (history mode drives this directly). */
  advanceTo(nowMs: number): void {
    this.usage.advance(nowMs);
    this.dynamics.tick(nowMs);
  }

  /** Starts ticking in real time; `stop()` ends it. */
  start(tickMs = 1000): void {
    if (this.timer) return;
    this.tick();
    this.timer = setInterval(() => this.tick(), tickMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  summary(): SimulationSummary {
    return {
      scenario: this.scenario.name,
      seed: this.built.seed,
      nodes: this.store.count('nodes'),
      pods: this.store.count('pods'),
      namespaces: this.store.count('namespaces'),
      runningContainers: this.built.containers.length,
    };
  }

  private exporterContext(): ExporterContext {
    return { store: this.store, usage: this.usage, nowMs: this.usage.nowMs(), podsOnNode: (node) => this.podsByNode.podsOn(node) };
  }

  podLogs(q: LogQuery): string {
    return podLogText(this.logSources, q, this.nowMs());
  }

  followLogs(q: LogQuery, afterMs: number): string {
    return podLogFollow(this.logSources, q, { afterMs, nowMs: this.nowMs() });
  }

  podMetrics(namespace?: string): KubeObject[] {
    return podMetrics(this.exporterContext(), namespace);
  }

  nodeMetrics(): KubeObject[] {
    return nodeMetrics(this.exporterContext());
  }

  clusterMetrics(): TextBody {
    return clusterMetricsBody(this.exporterContext());
  }

  nodeProxy(node: string, path: string): TextBody | undefined {
    return kubeletEndpoint(this.exporterContext(), node, path);
  }
}
