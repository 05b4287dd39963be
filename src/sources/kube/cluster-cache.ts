// SPDX-License-Identifier: Apache-2.0
// The cluster's watched state: one store and one list/watch loop per kind, a shared relist gate, workload
// resolution and the pod lifecycle history, behind the domain's ClusterView read port.
import {
  KIND_NAMES,
  type ClusterView,
  type KindMap,
  type KindConnection,
  type KindName,
  type KindSyncStatus,
  type ObjectChanges,
  type PodHistoryQuery,
  type PodLifecycleEvent,
  type WorkloadRef,
} from '../../domain/kube-ports.ts';
import type { ObjectBase, Pod } from '../../domain/resources.ts';
import type { EventLogger } from '../../logging/events.ts';
import { systemClock, type Clock } from '../../runtime/clock.ts';
import type { Sleep } from '../../runtime/sleep.ts';
import { KindStore } from './kind-store.ts';
import type { KubeHttp } from './kube-http.ts';
import { resolveWorkload, type OwnerLookup } from './ownership.ts';
import { observePod, PodHistory } from './pod-history.ts';
import { objectKey } from './project-common.ts';
import { KIND_SPECS } from './projections.ts';
import { createSemaphore } from './semaphore.ts';
import { silentLogger } from './watch-log.ts';
import { createWatchLoop, type WatchLoop, type WatchLoopHooks, type WatchLoopState, type WatchTuning } from './watch-loop.ts';

export interface ClusterCacheOptions {
  /** The authenticated request function (`createKubeClient(...).request`). */
  readonly http: KubeHttp;
  /** Kinds to watch (default: all of KIND_NAMES). Unwatched kinds read as empty and do not gate readiness. */
  readonly kinds?: readonly KindName[];
  /** Lifecycle entries kept in memory (default 10,000). */
  readonly historyCapacity?: number;
  readonly log?: EventLogger;
  readonly clock?: Clock;
  readonly sleep?: Sleep;
  readonly random?: () => number;
  readonly tuning?: Partial<WatchTuning>;
  /** Callbacks of every loop, for self-metrics (the composition root binds them to the registry). */
  readonly hooks?: WatchLoopHooks;
}

function connectionOf(s: WatchLoopState): KindConnection {
  return {
    phase: s.phase,
    consecutiveFailures: s.consecutiveFailures,
    failingSinceMs: s.failingSinceMs,
    lastContactAtMs: s.lastContactAtMs,
    stalled: s.stalled,
    ...(s.lastError === undefined ? {} : { lastError: { code: s.lastError.code, message: s.lastError.message, atMs: s.lastError.atMs } }),
  };
}

type AnyStore = KindStore<ObjectBase>;

/**
 * Implements ClusterView from per-kind informer stores. Constructing it does no I/O; {@link ClusterCache.run}
 * starts the loops and {@link ClusterCache.whenReady} waits for the first sync of every gating kind.
 */
export class ClusterCache implements ClusterView {
  private readonly stores = new Map<KindName, AnyStore>();
  private readonly loops: WatchLoop[] = [];
  private readonly history: PodHistory;
  private readonly clock: Clock;
  private readyWaiters: Array<() => void> = [];
  private readonly lookup: OwnerLookup = {
    replicaSet: (ns, name) => this.get('replicasets', ns, name),
    job: (ns, name) => this.get('jobs', ns, name),
  };

  constructor(private readonly opts: ClusterCacheOptions) {
    this.clock = opts.clock ?? systemClock;
    this.history = new PodHistory(opts.historyCapacity);
    const relistGate = createSemaphore(1);
    for (const kind of opts.kinds ?? KIND_NAMES) {
      const store = this.createStore(kind);
      this.stores.set(kind, store);
      const spec = KIND_SPECS[kind];
      this.loops.push(
        createWatchLoop<ObjectBase>({
          kind,
          path: spec.path,
          http: opts.http,
          project: spec.project,
          sink: store,
          relistGate,
          log: opts.log ?? silentLogger,
          clock: this.clock,
          sleep: opts.sleep,
          random: opts.random,
          tuning: opts.tuning,
          hooks: opts.hooks,
        }),
      );
    }
  }

  /** Runs every loop until `signal` aborts; resolves when all have stopped. */
  async run(signal: AbortSignal): Promise<void> {
    await Promise.all(this.loops.map((l) => l.run(signal)));
  }

  /** Resolves once {@link isReady}; rejects with the signal's reason if aborted first. */
  whenReady(signal: AbortSignal): Promise<void> {
    if (this.isReady()) return Promise.resolve();
    if (signal.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const onAbort = (): void => reject(signal.reason);
      signal.addEventListener('abort', onAbort, { once: true });
      this.readyWaiters.push(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      });
    });
  }

  /** Observable state of every loop (for /api/status and self-metrics). */
  loopStates(): WatchLoopState[] {
    return this.loops.map((l) => l.state());
  }

  list<K extends KindName>(kind: K, namespace?: string): readonly KindMap[K][] {
    return this.storeOf(kind)?.list(namespace) ?? [];
  }

  changesSince(kind: KindName, revision?: number): ObjectChanges {
    return this.storeOf(kind)?.changesSince(revision) ?? { revision: 0 };
  }

  get<K extends KindName>(kind: K, namespace: string | undefined, name: string): KindMap[K] | undefined {
    const key = objectKey(KIND_SPECS[kind].namespaced ? namespace : undefined, name);
    return this.storeOf(kind)?.get(key);
  }

  workloadOf(pod: Pod): WorkloadRef {
    return resolveWorkload(pod, this.lookup);
  }

  podHistory(query?: PodHistoryQuery): readonly PodLifecycleEvent[] {
    return this.history.query(query);
  }

  counts(): Readonly<Record<KindName, number>> {
    const out = {} as Record<KindName, number>;
    for (const kind of KIND_NAMES) out[kind] = this.stores.get(kind)?.size ?? 0;
    return out;
  }

  syncStatus(): readonly KindSyncStatus[] {
    const loops = new Map(this.loops.map((l) => [l.kind, l]));
    return [...this.stores].map(([kind, store]) => {
      const loop = loops.get(kind);
      const status = { kind, synced: store.synced, objects: store.size, gatesReadiness: KIND_SPECS[kind].gatesReadiness };
      return loop === undefined ? status : { ...status, connection: connectionOf(loop.state()) };
    });
  }

  isReady(): boolean {
    return [...this.stores].every(([kind, store]) => store.synced || !KIND_SPECS[kind].gatesReadiness);
  }

  /** One cast, here: the map holds each kind's store under its own name. */
  private storeOf<K extends KindName>(kind: K): KindStore<KindMap[K]> | undefined {
    return this.stores.get(kind) as KindStore<KindMap[K]> | undefined;
  }

  private createStore(kind: KindName): AnyStore {
    const onReplace = (): void => this.checkReady();
    if (kind !== 'pods') return new KindStore<ObjectBase>({ onReplace });
    const onChange = (prev: Pod | undefined, next: Pod | undefined): void => {
      if (!next) return;
      const observations = observePod(prev, next);
      if (observations.length > 0) this.history.append(next, observations, { workload: this.workloadOf(next), nowMs: this.clock.now() });
    };
    return new KindStore<Pod>({ onChange, onReplace }) as unknown as AnyStore;
  }

  private checkReady(): void {
    if (!this.isReady() || this.readyWaiters.length === 0) return;
    const waiters = this.readyWaiters;
    this.readyWaiters = [];
    for (const w of waiters) w();
  }
}
