// SPDX-License-Identifier: Apache-2.0
// The usage model of the simulated cluster: containers, pods, nodes and volumes with usage that follows their
// profiles, integrated in fixed steps on the scenario clock. Writers (the cluster model) add and remove entities
// and advance time; readers (exporters, metrics.k8s.io, kubelet endpoints) see `UsageView`.
import { ContainerTable } from './container-table.ts';
import { NodeTable } from './node-table.ts';
import { PodTable } from './pod-table.ts';
import { hashSeed } from './random.ts';
import { findContainerSlot, readContainer, readNode, readPodNetwork } from './read-usage.ts';
import { resolveProfile } from './resolve-profile.ts';
import { StepContext } from './step-context.ts';
import { StepKernel } from './step-kernel.ts';
import { VolumeTable } from './volume-table.ts';
import type { ResourceAmounts } from './resolve-profile.ts';
import type { UsageProfile } from './profiles.ts';
import type { ContainerUsage, NodeUsage, PodNetworkUsage, UsageView, VolumeUsage } from './types.ts';
import type { NodeSpec } from './node-table.ts';
import type { VolumeSpec } from './volume-table.ts';

/** An OOM kill decided by the engine: the container's working set reached its memory limit at `atMs`. */
export interface OomKillEvent {
  namespace: string;
  pod: string;
  container: string;
  /** Epoch ms of the step at which the limit was reached; the new incarnation starts then. */
  atMs: number;
  /** Working set at the kill, bytes (at least the limit). */
  memoryBytes: number;
}

/** A restart decided outside the engine (crash loop, failed liveness probe); `atMs` is epoch ms. */
export interface ContainerRestart {
  namespace: string;
  pod: string;
  container: string;
  atMs: number;
}

/** Options of {@link UsageEngine}. */
export interface UsageEngineOptions {
  /** Scenario seed: the same seed, entities and `advance` calls give the same numbers. */
  seed: number;
  /** Scenario time the engine starts at, epoch ms. */
  startMs: number;
  /** Integration step in ms (default 15,000). `advance` steps on the grid `startMs + k × stepMs`. */
  stepMs?: number;
  /** Called after the step in which a container was OOM-killed (it is already restarted). */
  onOomKill?: (e: OomKillEvent) => void;
  /** Expected number of containers, to size the tables once instead of growing them. */
  capacityHint?: number;
}

/** A container to simulate. CPU in cores, memory in bytes, times in epoch ms; absent or 0 means "not set". */
export interface ContainerSpec {
  namespace: string;
  pod: string;
  container: string;
  profile: UsageProfile;
  requests: ResourceAmounts;
  limits: ResourceAmounts;
  startedAtMs: number;
  /** Node name; the node may be declared later with `addNode`. */
  node: string;
}

/** Options of {@link UsageEngine.runHistory}. */
export interface HistoryOptions {
  /** Start of the history, epoch ms; the engine must not be past it. */
  fromMs: number;
  /** End of the history, epoch ms. */
  toMs: number;
  /** Sampling and integration step, ms (default: the engine's step). */
  stepMs?: number;
  /** Called after each step with the engine at `nowMs`; read values through the `UsageView` methods. */
  onStep: (nowMs: number) => void;
}

const DEFAULT_STEP_MS = 15_000;

/** The usage model. See the file comment; all methods are synchronous and deterministic. */
export class UsageEngine implements UsageView {
  private now: number;
  private readonly seed: number;
  private readonly startMs: number;
  private readonly stepMs: number;
  private readonly onOomKill: ((e: OomKillEvent) => void) | undefined;
  private readonly containers: ContainerTable;
  private readonly pods: PodTable;
  private readonly nodes = new NodeTable();
  private readonly volumes: VolumeTable;
  private readonly ctx = new StepContext();
  private readonly kernel: StepKernel;

  constructor(opts: UsageEngineOptions) {
    const stepMs = opts.stepMs ?? DEFAULT_STEP_MS;
    if (!(stepMs > 0)) throw new RangeError(`stepMs must be positive, got ${stepMs}`);
    this.seed = opts.seed;
    this.startMs = opts.startMs;
    this.now = opts.startMs;
    this.stepMs = stepMs;
    this.onOomKill = opts.onOomKill;
    const capacity = opts.capacityHint ?? 1024;
    this.containers = new ContainerTable(capacity);
    this.pods = new PodTable(Math.ceil(capacity / 1.5));
    this.volumes = new VolumeTable(opts.seed);
    this.kernel = new StepKernel({ containers: this.containers, pods: this.pods, nodes: this.nodes }, this.ctx);
    this.ctx.prepare(this.now, 0);
  }

  /** Scenario time of the current values, epoch ms. */
  nowMs(): number {
    return this.now;
  }

  /** Number of containers tracked. */
  get containerCount(): number {
    return this.containers.count;
  }

  /**
   * Starts simulating a container. Re-adding an existing container replaces it (fresh counters). Its rate and
   * working set are set at once; a container that started before now gets counters for its past at its mean level.
   */
  addContainer(spec: ContainerSpec): void {
    const c = this.containers;
    const p = this.podSlot(spec.namespace, spec.pod);
    const first = this.pods.firstContainer[p]!;
    const existing = findContainerSlot(c, first, spec.container);
    if (existing >= 0) this.unlinkContainer(p, existing);
    const seed = hashSeed(this.seed, spec.namespace, spec.pod, spec.container);
    const resolved = resolveProfile(spec.profile, spec, seed);
    const i = c.add(
      {
        pod: p,
        node: this.nodeSlot(spec.node),
        name: spec.container,
        seed,
        startedAtMs: spec.startedAtMs,
        cpuLimitCores: Math.max(0, spec.limits.cpuCores ?? 0),
        memoryLimitBytes: Math.max(0, spec.limits.memoryBytes ?? 0),
      },
      resolved,
    );
    c.nextInPod[i] = this.pods.firstContainer[p]!;
    this.pods.firstContainer[p] = i;
    this.kernel.backfill(i);
    this.kernel.prime(i);
  }

  private podSlot(namespace: string, pod: string): number {
    const p = this.pods.find(namespace, pod);
    return p >= 0 ? p : this.pods.findOrAdd(namespace, pod, hashSeed(this.seed, namespace, pod));
  }

  private nodeSlot(name: string): number {
    const n = this.nodes.find(name);
    return n >= 0 ? n : this.nodes.findOrAdd(name, hashSeed(this.seed, 'node', name));
  }

  private unlinkContainer(p: number, slot: number): void {
    const c = this.containers;
    const first = this.pods.firstContainer[p]!;
    if (first === slot) {
      this.pods.firstContainer[p] = c.nextInPod[slot]!;
    } else {
      let prev = first;
      while (c.nextInPod[prev] !== slot) prev = c.nextInPod[prev]!;
      c.nextInPod[prev] = c.nextInPod[slot]!;
    }
    c.remove(slot);
  }

  /** Stops simulating a pod and all its containers; returns whether it existed. */
  removePod(namespace: string, pod: string): boolean {
    const p = this.pods.find(namespace, pod);
    if (p < 0) return false;
    const c = this.containers;
    for (let i = this.pods.firstContainer[p]!; i >= 0; ) {
      const next = c.nextInPod[i]!;
      c.remove(i);
      i = next;
    }
    this.pods.remove(p);
    return true;
  }

  /**
   * Restarts a container for a reason decided elsewhere (crash loop, liveness probe): counters and memory start
   * again from zero as for a new container, and `startedAtMs` becomes `atMs`. Returns whether it exists.
   */
  restartContainer(restart: ContainerRestart): boolean {
    const i = this.findContainer(restart.namespace, restart.pod, restart.container);
    if (i < 0) return false;
    this.containers.resetCounters(i);
    this.containers.startedAtMs[i] = restart.atMs;
    this.kernel.prime(i);
    return true;
  }

  /** Declares a node (CPU in cores, bytes, boot time in epoch ms). Re-declaring updates its capacity. */
  addNode(spec: NodeSpec): void {
    this.nodes.declare(spec, this.now, hashSeed(this.seed, 'node', spec.name));
  }

  /** Declares a persistent volume; it fills linearly from now on, capped at its capacity. */
  addVolume(spec: VolumeSpec): void {
    this.volumes.add(spec, this.now);
  }

  /** Removes a persistent volume; returns whether it existed. */
  removeVolume(namespace: string, claim: string): boolean {
    return this.volumes.remove(namespace, claim);
  }

  /**
   * Integrates from now to `toMs` (epoch ms) in steps on the grid `startMs + k × stepMs`; a last partial step ends
   * exactly at `toMs`. Calls to `onOomKill` happen inside. Throws a RangeError if `toMs` is in the past.
   */
  advance(toMs: number): void {
    this.advanceOnGrid(toMs, this.stepMs, this.startMs);
  }

  private advanceOnGrid(toMs: number, stepMs: number, originMs: number): void {
    if (!(toMs >= this.now)) throw new RangeError(`cannot advance to ${toMs}: the engine is at ${this.now}`);
    while (this.now < toMs) {
      const gridNext = originMs + (Math.floor((this.now - originMs) / stepMs) + 1) * stepMs;
      this.step(Math.min(toMs, gridNext));
    }
  }

  private step(tMs: number): void {
    const dtSec = (tMs - this.now) / 1000;
    this.ctx.prepare(tMs, dtSec);
    this.nodes.beginStep();
    this.kernel.run();
    this.nodes.finishStep(tMs, dtSec);
    this.now = tMs;
    this.dispatchOomKills();
  }

  /** Events are sorted by identity so that their order does not depend on the order containers were added. */
  private dispatchOomKills(): void {
    const { oomSlots, oomBytes } = this.kernel;
    if (oomSlots.length === 0) return;
    const events = oomSlots.map((slot, k): OomKillEvent => {
      const p = this.containers.pod[slot]!;
      return {
        namespace: this.pods.namespace[p] ?? '',
        pod: this.pods.name[p] ?? '',
        container: this.containers.name[slot] ?? '',
        atMs: this.now,
        memoryBytes: oomBytes[k] ?? 0,
      };
    });
    oomSlots.length = 0;
    oomBytes.length = 0;
    events.sort(compareIdentity);
    for (const e of events) this.onOomKill?.(e);
  }

  /**
   * Steps from `fromMs` to `toMs` every `stepMs` (the sampling step is also the integration step, so 14 days at
   * 60 s cost 20,160 steps whatever the engine's live step), yielding the time after each step; the first yield is
   * `fromMs + stepMs`, the last `toMs`. The engine must not be past `fromMs`; it jumps there in one step if before.
   */
  *history(fromMs: number, toMs: number, stepMs: number = this.stepMs): Generator<number, void, undefined> {
    if (!(stepMs > 0)) throw new RangeError(`stepMs must be positive, got ${stepMs}`);
    if (this.now > fromMs) throw new RangeError(`history from ${fromMs}: the engine is already at ${this.now}`);
    if (this.now < fromMs) this.step(fromMs);
    while (this.now < toMs) {
      this.step(Math.min(toMs, this.now + stepMs));
      yield this.now;
    }
  }

  /** Callback form of {@link UsageEngine.history}. */
  runHistory(opts: HistoryOptions): void {
    for (const t of this.history(opts.fromMs, opts.toMs, opts.stepMs)) opts.onStep(t);
  }

  private findContainer(namespace: string, pod: string, container: string): number {
    const p = this.pods.find(namespace, pod);
    return p < 0 ? -1 : findContainerSlot(this.containers, this.pods.firstContainer[p]!, container);
  }

  /** Usage of a container as of the last step (allocates the returned object), or undefined if unknown. */
  container(namespace: string, pod: string, container: string): ContainerUsage | undefined {
    const i = this.findContainer(namespace, pod, container);
    return i < 0 ? undefined : readContainer(this.containers, i, this.now);
  }

  /** Network counters of a pod (bytes and errors since its sandbox started), or undefined if unknown. */
  podNetwork(namespace: string, pod: string): PodNetworkUsage | undefined {
    const p = this.pods.find(namespace, pod);
    return p < 0 ? undefined : readPodNetwork(this.pods, p);
  }

  /** Usage of a declared node as of the last step; undefined for unknown or never-declared nodes. */
  node(name: string): NodeUsage | undefined {
    const n = this.nodes.find(name);
    return n < 0 || this.nodes.declared[n] === 0 ? undefined : readNode(this.nodes, n);
  }

  /** Usage of a claim's volume at now, or undefined if unknown. */
  volume(namespace: string, claim: string): VolumeUsage | undefined {
    return this.volumes.read(namespace, claim, this.now);
  }
}

function compareIdentity(a: OomKillEvent, b: OomKillEvent): number {
  if (a.namespace !== b.namespace) return a.namespace < b.namespace ? -1 : 1;
  if (a.pod !== b.pod) return a.pod < b.pod ? -1 : 1;
  return a.container < b.container ? -1 : a.container > b.container ? 1 : 0;
}
