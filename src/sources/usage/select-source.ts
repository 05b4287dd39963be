// SPDX-License-Identifier: Apache-2.0
// Usage-source selection and fallback (REQUIREMENTS §1.5.1). `auto` prefers Prometheus (configured, reachable, and
// holding the cAdvisor families), then metrics-server, then the kubelet. Every collect walks the candidates in that
// order, so a failing active source falls back on the same collect and the preferred one is taken back as soon as
// it answers again. The state (active source, why, each candidate's health) is observable for /health.
import type { Clock } from '../../runtime/clock.ts';
import { systemClock } from '../../runtime/clock.ts';
import type { PrometheusSource } from './prometheus.ts';
import { containerCount, type CollectRequest, type MetricsSource, type UsageSnapshot, type UsageSourceName } from './types.ts';
import { HOUR_MS } from '../../domain/time.ts';

export type SourceMode = 'auto' | UsageSourceName;

/** `disabled`: not configured or not allowed by the mode; `unknown`: not tried yet. */
export type SourceStatus = 'healthy' | 'unhealthy' | 'disabled' | 'unknown';

export interface SourceHealth {
  readonly name: UsageSourceName;
  readonly status: SourceStatus;
  /** Why it is unhealthy or disabled (an error code and message, missing families). */
  readonly reason?: string;
  readonly checkedAtMs?: number;
}

export interface SelectionState {
  readonly mode: SourceMode;
  /** The source of the last successful collect; undefined before one or when every candidate failed. */
  readonly active?: UsageSourceName;
  readonly reason: string;
  readonly sources: readonly SourceHealth[];
}

export interface SourceSelectorOptions {
  readonly mode?: SourceMode;
  /** Configured Prometheus, if any. */
  readonly prometheus?: PrometheusSource;
  readonly metricsServer?: MetricsSource;
  /** The kubelet source when enabled. */
  readonly kubelet?: MetricsSource;
  /** How often the §1.8 family check is repeated while Prometheus is healthy (default hourly). */
  readonly familyCheckMs?: number;
  readonly clock?: Clock;
  /** Called when the active source changes (log it, raise an info finding). */
  readonly onSwitch?: (change: { from?: UsageSourceName; to?: UsageSourceName; reason: string }) => void;
}

export interface SelectedSnapshot {
  /** Undefined when no candidate could collect; `state.sources` says why. */
  readonly snapshot?: UsageSnapshot;
  readonly state: SelectionState;
}

export interface SourceSelector {
  collect(req: CollectRequest): Promise<SelectedSnapshot>;
  state(): SelectionState;
}

const ORDER: readonly UsageSourceName[] = ['prometheus', 'metrics-server', 'kubelet'];

function errorText(err: unknown): string {
  const e = err instanceof Error ? err : new Error(String(err));
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' ? `${code}: ${e.message}` : e.message;
}

/** A snapshot with errors and no data at all (every kubelet failed) counts as a failed collect. */
function emptyFailure(s: UsageSnapshot): string | undefined {
  if (s.errors.length === 0 || containerCount(s) + s.nodes.length > 0) return undefined;
  const first = s.errors[0];
  return first ? `${first.code}: every target failed (${first.target} …)` : undefined;
}

/**
 * §1.8 for usage: Prometheus must hold the cAdvisor families. Checked hourly while Prometheus is healthy and before
 * every retry of an unhealthy one (the label-values call doubles as the reachability probe).
 */
function createFamilyGate(prom: PrometheusSource, opts: { clock: Clock; everyMs: number }): (signal: AbortSignal, healthy: boolean) => Promise<string | undefined> {
  let checkedAtMs = Number.NEGATIVE_INFINITY;
  return async (signal, healthy) => {
    if (healthy && opts.clock.now() - checkedAtMs < opts.everyMs) return undefined;
    const presence = await prom.presentFamilies({ signal });
    const missing = presence.find((p) => p.provider === 'cAdvisor')?.missing ?? [];
    checkedAtMs = opts.clock.now();
    return missing.length > 0 ? `missing families ${missing.join(', ')} (scrape the kubelets' cAdvisor endpoint)` : undefined;
  };
}

function initialHealth(mode: SourceMode, sources: Partial<Record<UsageSourceName, MetricsSource>>): Map<UsageSourceName, SourceHealth> {
  const health = new Map<UsageSourceName, SourceHealth>();
  for (const name of ORDER) {
    if (!sources[name]) health.set(name, { name, status: 'disabled', reason: 'not configured' });
    else if (mode !== 'auto' && mode !== name) health.set(name, { name, status: 'disabled', reason: `mode is ${mode}` });
    else health.set(name, { name, status: 'unknown' });
  }
  return health;
}

function whyChosen(name: UsageSourceName, ctx: { mode: SourceMode; skipped: readonly UsageSourceName[]; health: ReadonlyMap<UsageSourceName, SourceHealth> }): string {
  if (ctx.mode !== 'auto') return `${ctx.mode} forced by configuration`;
  if (ctx.skipped.length === 0) return `${name} is the first available source`;
  return `${name}; fell back from ${ctx.skipped.map((s) => `${s} (${ctx.health.get(s)?.reason ?? 'unhealthy'})`).join(', ')}`;
}

/**
 * One source's view of the request, and the end of its attempt: its parts count only while its collect runs. A source
 * that failed may still be reading (a body streaming in after its other request failed), and what it reports then
 * belongs to no snapshot.
 */
function attemptOf(req: CollectRequest): { req: CollectRequest; end: () => void } {
  const onContainers = req.onContainers;
  if (onContainers === undefined) return { req, end: () => undefined };
  let live = true;
  return { req: { ...req, onContainers: (parts) => void (live && onContainers(parts)) }, end: () => (live = false) };
}

export function createSourceSelector(opts: SourceSelectorOptions): SourceSelector {
  const mode = opts.mode ?? 'auto';
  const clock = opts.clock ?? systemClock;
  const sources: Partial<Record<UsageSourceName, MetricsSource>> = { prometheus: opts.prometheus, 'metrics-server': opts.metricsServer, kubelet: opts.kubelet };
  const health = initialHealth(mode, sources);
  const familyGate = opts.prometheus ? createFamilyGate(opts.prometheus, { clock, everyMs: opts.familyCheckMs ?? HOUR_MS }) : undefined;
  let active: UsageSourceName | undefined;
  let reason = 'no collect yet';

  const allowed = (name: UsageSourceName): boolean => health.get(name)?.status !== 'disabled';
  const mark = (name: UsageSourceName, status: SourceStatus, why?: string): void => {
    health.set(name, { name, status, ...(why !== undefined ? { reason: why } : {}), checkedAtMs: clock.now() });
  };

  async function tryOne(name: UsageSourceName, req: CollectRequest): Promise<UsageSnapshot | undefined> {
    const source = sources[name] as MetricsSource;
    const attempt = attemptOf(req);
    try {
      const gate = name === 'prometheus' ? familyGate : undefined;
      const ineligible = gate ? await gate(req.signal, health.get(name)?.status === 'healthy') : undefined;
      if (ineligible !== undefined) return void mark(name, 'unhealthy', ineligible);
      req.onAttempt?.(name);
      const snapshot = await source.collect(attempt.req);
      const failure = emptyFailure(snapshot);
      if (failure !== undefined) return void mark(name, 'unhealthy', failure);
      mark(name, 'healthy');
      return snapshot;
    } catch (err) {
      req.signal.throwIfAborted();
      mark(name, 'unhealthy', errorText(err));
      return undefined;
    } finally {
      attempt.end();
    }
  }

  function activate(name: UsageSourceName | undefined, why: string): void {
    const previous = active;
    active = name;
    reason = why;
    if (previous !== name) opts.onSwitch?.({ from: previous, to: name, reason: why });
  }

  const state = (): SelectionState => ({ mode, ...(active ? { active } : {}), reason, sources: ORDER.map((n) => health.get(n) as SourceHealth) });

  return {
    async collect(req) {
      const skipped: UsageSourceName[] = [];
      for (const name of ORDER.filter(allowed)) {
        const snapshot = await tryOne(name, req);
        if (snapshot) {
          activate(name, whyChosen(name, { mode, skipped, health }));
          return { snapshot, state: state() };
        }
        skipped.push(name);
      }
      activate(undefined, skipped.length === 0 ? 'no usage source is configured' : 'every usage source failed');
      return { state: state() };
    },
    state,
  };
}
