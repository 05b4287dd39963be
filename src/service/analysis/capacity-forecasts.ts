// SPDX-License-Identifier: Apache-2.0
// The cluster-wide capacity step of the analysis pass (issue 5 item 7, REQUIREMENTS §3.8): every scope of
// `capacityScopes` (the cluster, each node pool, namespace and quota; CPU and memory) gets a seasonal forecast of its
// usage and of its Σ requests with prediction intervals, the days until requests reach 90 % of allocatable (a quota:
// its hard) and usage the allocatable, the nodes needed for the forecast growth and for losing the largest node.
// Usage comes from the stored totals (cluster and namespace series, a pool's node series summed); requests from the
// pod history (requests-history.ts). What has too little history says `insufficient_data` rather than guessing.
import type { Finding, FindingEntity } from '../../analysis/findings.ts';
import { capacityOutlook, capacityScopes, columnInput, type CapacityOutlook, type CapacityScope, type Forecast, type ForecastInput, type ModelMemory, type RegularSeries } from '../../analysis/forecast/index.ts';
import { inlineForecaster, type Forecaster } from './forecast-pool.ts';
import type { Severity } from '../../analysis/severity.ts';
import type { ClusterView } from '../../domain/kube-ports.ts';
import type { HistoryStore, SeriesReader } from '../../domain/ports.ts';
import type { EntityKind, Sample } from '../../domain/series.ts';
import { readRequestsGrid, requestsSeries, type RequestsGrid } from './requests-history.ts';
import { DEFAULT_FORECAST_HORIZON_MS, DEFAULT_NODE_POOL_LABEL, type CapacityReport } from './types.ts';
import { readUsageColumns, type UsageColumnsByEntity } from './usage-means.ts';
import { yieldToEventLoop } from '../../runtime/yield.ts';
import { HOUR_MS, DAY_MS } from '../../domain/time.ts';

/** History a forecast is fitted on: two weeks of hourly means carry the daily and the day-of-week season. */
const HISTORY_MS = 14 * DAY_MS;

export interface CapacityStepOptions {
  readonly cluster: ClusterView;
  readonly history: SeriesReader;
  readonly lifecycle?: HistoryStore;
  readonly clusterName: string;
  readonly nowMs: number;
  readonly horizonMs?: number;
  readonly poolLabel?: string;
  readonly signal?: AbortSignal;
  /** Models kept from earlier passes (AnalyseClusterOptions.models); updated with this pass's. */
  readonly models?: ModelMemory;
  /** Where the forecasts run (AnalyseClusterOptions.forecaster); default the calling thread. */
  readonly forecaster?: Forecaster;
}

export interface CapacityStepResult {
  readonly report: CapacityReport;
  readonly findings: Finding[];
  /** Scopes with a usable usage or requests forecast, of `seen`. */
  readonly judged: number;
  readonly seen: number;
}

function readUsage(o: CapacityStepOptions, kind: EntityKind): Promise<UsageColumnsByEntity> {
  o.signal?.throwIfAborted();
  return readUsageColumns(o.history, { cluster: o.clusterName, kind, fromMs: o.nowMs - HISTORY_MS, toMs: o.nowMs + 1, stepMs: HOUR_MS });
}

/** A pool's usage: its nodes' hourly means summed, only at the hours every node of the pool has a point. */
export function poolUsage(nodes: UsageColumnsByEntity, names: readonly string[], resource: 'cpu' | 'memory'): Sample[] {
  const sums = new Map<number, { value: number; count: number }>();
  for (const name of names) {
    const column = nodes.get(name)?.[resource];
    if (column === undefined) continue;
    for (let i = 0; i < column.values.length; i++) {
      const tsMs = column.timestampsMs[i] as number;
      const e = sums.get(tsMs) ?? { value: 0, count: 0 };
      e.value += column.values[i] as number;
      e.count++;
      sums.set(tsMs, e);
    }
  }
  return [...sums].filter(([, e]) => e.count === names.length).sort(([a], [b]) => a - b).map(([tsMs, e]) => ({ tsMs, value: e.value }));
}

interface Inputs {
  /** The pass's time: the usage columns end by it. */
  readonly nowMs: number;
  /** The cluster's and each namespace's usage as the forecasts take it ({@link inputsOf}). */
  readonly cluster: ForecastUsage;
  readonly namespaces: ForecastUsage;
  /** Each node pool's usage by `pool:resource` ({@link poolUsage}), summed as the nodes are read. */
  readonly pools: ReadonlyMap<string, Sample[]>;
  readonly requests?: RequestsGrid;
}

const poolKey = (pool: string, resource: 'cpu' | 'memory'): string => `${pool}:${resource}`;

/** A scope's usage as the forecast takes it: samples, or the hourly series a column already is. */
type Usage = readonly Sample[] | RegularSeries;

type ForecastUsage = ReadonlyMap<string, { readonly cpu: Usage; readonly memory: Usage }>;

/**
 * The columns as the forecasts take them, made once as they are read: the query's columns (timestamps beside every
 * value, about 0.1 GB for 10,000 namespaces over 14 days) are dropped before the forecasts run, when a pass's memory
 * peaks, and only the values on the hourly grid are kept (about half); a quota's scope takes its namespace's series
 * without making it again.
 */
function inputsOf(columns: UsageColumnsByEntity, nowMs: number): ForecastUsage {
  const out = new Map<string, { cpu: Usage; memory: Usage }>();
  const at = { stepMs: HOUR_MS, nowMs };
  for (const [entity, c] of columns) out.set(entity, { cpu: columnInput(c.cpu, at), memory: columnInput(c.memory, at) });
  return out;
}

/** An entity's usage of one resource; none when the entity has no stored usage. */
const usageIn = (usage: ForecastUsage, entity: string, r: 'cpu' | 'memory'): Usage => usage.get(entity)?.[r] ?? [];

/**
 * The usage of every node pool of `scopes`, from the nodes' columns. Only these sums are kept: the nodes' own columns
 * (some 50 MB of hourly means at 5,000 nodes) are dropped before the forecasts run, when a pass's memory peaks.
 */
function poolsOf(scopes: readonly CapacityScope[], nodes: UsageColumnsByEntity): Map<string, Sample[]> {
  const out = new Map<string, Sample[]>();
  for (const scope of scopes) {
    if (scope.level !== 'nodepool') continue;
    out.set(poolKey(scope.entity, scope.resource), poolUsage(nodes, (scope.nodes ?? []).map((n) => n.name), scope.resource));
  }
  return out;
}

/** The stored usage of a scope, the pod-history keys of its requests and the name of that pair of series. */
function usageOf(scope: CapacityScope, inputs: Inputs): { usage: Usage; keys: string[]; source: string } {
  const r = scope.resource;
  if (scope.level === 'cluster') return { usage: usageIn(inputs.cluster, scope.entity, r), keys: ['cluster'], source: `cluster:${scope.entity}:${r}` };
  if (scope.level === 'nodepool') {
    const keys = (scope.nodes ?? []).map((n) => `node:${n.name}`);
    return { usage: inputs.pools.get(poolKey(scope.entity, r)) ?? [], keys, source: `pool:${scope.entity}:${r}` };
  }
  // A quota's entity is `namespace/quota`: its usage and requests are its namespace's.
  const namespace = scope.level === 'quota' ? (scope.entity.split('/')[0] ?? '') : scope.entity;
  return { usage: usageIn(inputs.namespaces, namespace, r), keys: [`ns:${namespace}`], source: `ns:${namespace}:${r}` };
}

function seriesOf(scope: CapacityScope, inputs: Inputs): { usage: Usage; requests: Sample[] | RegularSeries; source: string } {
  const { usage, keys, source } = usageOf(scope, inputs);
  // Without a requests history the forecast is insufficient_data, but requests already at the limit still count as
  // exhausted now: the outlook needs a requests series, even an empty one, to say so.
  const requests = inputs.requests === undefined ? undefined : requestsSeries(inputs.requests, { keys, resource: scope.resource });
  return { usage, requests: requests ?? [], source };
}

/**
 * Forecasts by series: a quota's usage and requests are its namespace's, so the two scopes share their forecasts
 * (at the scale envelope half of the 40,000 scopes are quotas, and a forecast is most of a scope's cost). With a model
 * memory, each series is fitted with its kept model when it has one, and the memory keeps what was used.
 */
function sharedForecasts(o: { readonly models?: ModelMemory; readonly nowMs: number; readonly forecaster: Forecaster; readonly signal?: AbortSignal }) {
  const done = new Map<string, Promise<Forecast>>();
  const of = (source: string, which: 'usage' | 'requests', input: ForecastInput): Promise<Forecast> => {
    const key = `${source}:${which}`;
    let f = done.get(key);
    if (f !== undefined) return f;
    const reuse = o.models?.get(key, o.nowMs);
    f = o.forecaster.forecast(reuse === undefined ? input : { ...input, reuse }).then((forecast) => {
      // A forecast of a pass that was stopped (its worker answering later) must not touch the next pass's memory.
      if (o.signal?.aborted !== true) o.models?.remember(key, { choice: forecast.choice, reused: reuse, nowMs: o.nowMs });
      return forecast;
    });
    done.set(key, f);
    return f;
  };
  // Series not forecast this pass (a namespace or pool that went) are forgotten by the memory.
  return { of, forgetOthers: () => o.models?.sweep(new Set(done.keys())) };
}

function entityOf(o: CapacityOutlook, cluster: string): FindingEntity {
  if (o.level === 'quota') {
    const [namespace = '', name = ''] = o.entity.split('/');
    return { kind: 'quota', namespace, name };
  }
  if (o.level === 'nodepool') return { kind: 'cluster', name: `${cluster}/nodepool/${o.entity}` };
  return { kind: 'cluster', name: o.entity };
}

/** Severity by days left: a day or less critical, a week high, later within the horizon medium. */
export function severityForDays(days: number): Severity {
  if (days <= 1) return 'critical';
  if (days <= 7) return 'high';
  return 'medium';
}

/** `are at <limit> already`, or `reach <limit> in 3.5 days` (singular: `is at`, `reaches`). */
function when(days: number, w: { limit: string; plural: boolean }): string {
  if (days === 0) return `${w.plural ? 'are' : 'is'} at ${w.limit} already`;
  return `${w.plural ? 'reach' : 'reaches'} ${w.limit} in ${days < 1 ? 'less than a day' : `${days.toFixed(1)} days`}`;
}

/** No allocatable (no nodes yet, or nodes that report none) is no capacity to run out of. */
const hasCapacity = (o: CapacityOutlook): boolean => (o.capacity ?? 0) > 0;

interface FindingContext {
  readonly base: Pick<Finding, 'cluster' | 'analysis' | 'entity' | 'detectedAtMs'>;
  /** How the scope reads in a sentence: `cluster`, `node pool gp`, `quota shop/q`. */
  readonly what: string;
}

function scopeWords(o: CapacityOutlook): string {
  if (o.level === 'quota') return `quota ${o.entity}`;
  return o.level === 'cluster' ? 'cluster' : `node pool ${o.entity}`;
}

/** Words of a requests finding: a quota runs out at its hard, a cluster or pool at 90 % of allocatable. */
const REQUESTS_TEXT = {
  quota: { title: 'Quota running out', limit: 'its hard limit', action: 'Raise the quota or reduce the requests in the namespace.' },
  nodes: { title: 'Requests near allocatable', limit: '90 % of allocatable', action: 'Add nodes or reduce requests before new pods stop scheduling.' },
};

function requestsFinding(o: CapacityOutlook, ctx: FindingContext): Finding | undefined {
  const days = o.requestsExhaustion?.expectedDays;
  if (days === undefined || !hasCapacity(o)) return undefined;
  const text = REQUESTS_TEXT[o.level === 'quota' ? 'quota' : 'nodes'];
  return {
    ...ctx.base,
    rule: `${o.resource}-requests-exhaustion`,
    severity: severityForDays(days),
    title: text.title,
    explanation: `${o.resource} requests of the ${ctx.what} ${when(days, { limit: text.limit, plural: true })}.`,
    action: text.action,
    confidence: o.requests?.confidence ?? 'low',
    evidence: { level: o.level, resource: o.resource, days: round(days), earliest_days: nullable(o.requestsExhaustion?.earliestDays), current_requests: o.currentRequests, capacity: o.capacity ?? null },
  };
}

function usageFinding(o: CapacityOutlook, ctx: FindingContext): Finding | undefined {
  const days = o.usageExhaustion?.expectedDays;
  // A quota limits requests, not usage: usage above a quota's hard is no exhaustion.
  if (days === undefined || o.level === 'quota' || !hasCapacity(o)) return undefined;
  return {
    ...ctx.base,
    rule: `${o.resource}-usage-exhaustion`,
    severity: severityForDays(days),
    title: 'Usage near capacity',
    explanation: `${o.resource} usage of the ${ctx.what} ${when(days, { limit: 'its allocatable', plural: false })}.`,
    action: 'Add nodes or reduce load; the usage forecast leaves no headroom.',
    confidence: o.usage.confidence,
    evidence: { level: o.level, resource: o.resource, days: round(days), earliest_days: nullable(o.usageExhaustion?.earliestDays), capacity: o.capacity ?? null },
  };
}

function nMinusOneFinding(o: CapacityOutlook, ctx: FindingContext): Finding | undefined {
  const n = o.nMinusOne;
  // Without nodes there is no node to lose (a view before the sync, or a cluster of virtual nodes only).
  if (n === undefined || n.fits || n.largestNode === undefined) return undefined;
  const ratio = o.resource === 'cpu' ? n.cpuRatio : n.memoryRatio;
  const share = Number.isFinite(ratio) ? `${Math.round(ratio * 100)} % of what is left` : 'left with no node';
  return {
    ...ctx.base,
    rule: `${o.resource}-n-minus-one`,
    severity: 'medium',
    title: 'No room to lose a node',
    explanation: `${o.resource} requests of the ${ctx.what} would be ${share} without node ${n.largestNode}.`,
    action: Number.isFinite(n.extraNodes) ? `Add ${n.extraNodes} node(s) so that the requests fit when the largest node fails.` : 'Add nodes so that the requests fit when the largest node fails.',
    confidence: 'high',
    evidence: { level: o.level, resource: o.resource, ratio: nullable(ratio), largest_node: n.largestNode, extra_nodes: Number.isFinite(n.extraNodes) ? n.extraNodes : null },
  };
}

/** Findings of one outlook: requests or usage exhausted within the horizon, and no room to lose the largest node. */
export function exhaustionFindings(o: CapacityOutlook, at: { clusterName: string; nowMs: number }): Finding[] {
  const ctx: FindingContext = { base: { cluster: at.clusterName, analysis: 'capacity', entity: entityOf(o, at.clusterName), detectedAtMs: at.nowMs }, what: scopeWords(o) };
  return [requestsFinding(o, ctx), usageFinding(o, ctx), nMinusOneFinding(o, ctx)].filter((f): f is Finding => f !== undefined);
}

const round = (x: number): number => Math.round(x * 100) / 100;
const nullable = (x: number | undefined): number | null => (x === undefined || !Number.isFinite(x) ? null : round(x));

async function readInputs(o: CapacityStepOptions, scopes: readonly CapacityScope[]): Promise<Inputs> {
  const [cluster, namespaces] = [inputsOf(await readUsage(o, 'cluster'), o.nowMs), inputsOf(await readUsage(o, 'namespace'), o.nowMs)];
  const pools = poolsOf(scopes, await readUsage(o, 'node'));
  if (o.lifecycle === undefined) return { nowMs: o.nowMs, cluster, namespaces, pools };
  const requests = await readRequestsGrid({ lifecycle: o.lifecycle, cluster: o.clusterName, fromMs: o.nowMs - HISTORY_MS, toMs: o.nowMs, stepMs: HOUR_MS, ...(o.signal === undefined ? {} : { signal: o.signal }) });
  return { nowMs: o.nowMs, cluster, namespaces, pools, requests };
}

/** What the capacity step has read: its scopes and their history. */
export interface CapacityInputs {
  readonly scopes: readonly CapacityScope[];
  readonly inputs: Inputs;
}

/** Reads what the capacity step forecasts: the scopes of the cluster view and their stored history. */
export async function readCapacityInputs(o: CapacityStepOptions): Promise<CapacityInputs> {
  const scopes = capacityScopes({ nodes: o.cluster.list('nodes'), pods: o.cluster.list('pods'), quotas: o.cluster.list('resourcequotas'), cluster: o.clusterName, poolLabel: o.poolLabel ?? DEFAULT_NODE_POOL_LABEL });
  return { scopes, inputs: await readInputs(o, scopes) };
}

/** Blocks of scopes whose forecasts are asked for before the oldest is waited for: the forecaster is never idle. */
const BLOCKS_IN_FLIGHT = 2;

/**
 * Forecasts every scope read by {@link readCapacityInputs} and the findings of exhaustion within the horizon. Scopes
 * go to the forecaster a block at a time, the pass's event loop getting a turn between blocks.
 */
export async function capacityStep(o: CapacityStepOptions, read: CapacityInputs): Promise<CapacityStepResult> {
  const horizonMs = o.horizonMs ?? DEFAULT_FORECAST_HORIZON_MS;
  const forecaster = o.forecaster ?? inlineForecaster;
  const forecasts = sharedForecasts({ nowMs: o.nowMs, forecaster, ...(o.models === undefined ? {} : { models: o.models }), ...(o.signal === undefined ? {} : { signal: o.signal }) });
  const at = { nowMs: o.nowMs, horizonMs };
  const outlookOf = async (scope: CapacityScope): Promise<CapacityOutlook> => {
    const { usage, requests, source } = seriesOf(scope, read.inputs);
    const [u, r] = await Promise.all([forecasts.of(source, 'usage', { samples: usage, ...at }), forecasts.of(source, 'requests', { samples: requests, ...at })]);
    return capacityOutlook(scope, { usage, requests, ...at, forecast: (which) => (which === 'usage' ? u : r) });
  };
  const outlooks: CapacityOutlook[] = [];
  const inFlight: Promise<CapacityOutlook[]>[] = [];
  for (let i = 0; i < read.scopes.length; i += forecaster.batch) {
    o.signal?.throwIfAborted();
    const block = Promise.all(read.scopes.slice(i, i + forecaster.batch).map(outlookOf));
    // Waited for below, in order; until then a failure must not count as unhandled.
    block.catch(() => undefined);
    inFlight.push(block);
    if (inFlight.length >= BLOCKS_IN_FLIGHT) outlooks.push(...(await (inFlight.shift() as Promise<CapacityOutlook[]>)));
    await yieldToEventLoop();
  }
  for (const block of inFlight) outlooks.push(...(await block));
  forecasts.forgetOthers();
  const findings = outlooks.flatMap((outlook) => exhaustionFindings(outlook, { clusterName: o.clusterName, nowMs: o.nowMs }));
  const judged = outlooks.filter((x) => x.usage.status === 'ok' || x.requests?.status === 'ok').length;
  const report: CapacityReport = { computedAtMs: o.nowMs, horizonMs, requestsHistory: requestsHistoryState(read.inputs.requests), outlooks };
  return { report, findings, judged, seen: read.scopes.length };
}

/** Forecasts every capacity scope of the cluster and the findings of exhaustion within the horizon. */
export async function analyseCapacityForecasts(o: CapacityStepOptions): Promise<CapacityStepResult> {
  return capacityStep(o, await readCapacityInputs(o));
}

function requestsHistoryState(grid: RequestsGrid | undefined): CapacityReport['requestsHistory'] {
  if (grid === undefined) return 'unavailable';
  if (grid.truncated) return 'truncated';
  return grid.startMs === undefined ? 'empty' : 'ok';
}
