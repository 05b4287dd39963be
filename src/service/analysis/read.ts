// SPDX-License-Identifier: Apache-2.0
// Bulk, bounded reads of one namespace's history: one query per window and metric set, never one per series or per
// sample. Long windows read coarse rollups (1 h points over the rightsizing window, 5 min means over the leak
// window); only the last minutes are read raw.
import type { ColumnField, ColumnQueryResult, Sample, SeriesColumn, SeriesColumns, SeriesQuery } from '../../domain/series.ts';
import { columnSamples, METRIC } from '../../domain/series.ts';
import { mapIn } from '../../domain/maps.ts';
import type { SeriesReader } from '../../domain/ports.ts';
import type { AnalysisSettings } from './types.ts';
import { HOUR_MS } from '../../domain/time.ts';

/** Hourly points below which a series is read again finely (rightsizing's minimum of samples). */
const YOUNG_POINTS = 100;
const FIVE_MIN_MS = 300_000;

/** One series' steps as columns: timestamps and the one value per step an analysis reads. */
export type Column = SeriesColumn;

/** Columns per entity, then per metric. */
export type EntitySeries = Map<string, Map<string, Column>>;

export interface NamespaceHistory {
  /** Hourly points over the rightsizing window: CPU as the hour's p95, working set as the hour's maximum. */
  readonly long: EntitySeries;
  /** 5-minute means (working set) and maxima (`peak`) over the leak window. */
  readonly leak: EntitySeries;
  readonly leakPeaks: EntitySeries;
  /** Raw samples of the recent window (working set, throttling, CPU). */
  readonly recent: EntitySeries;
  /** PVC used and capacity bytes, 5-minute means over 7 days. */
  readonly pvc: EntitySeries;
}

interface ReadOpts {
  readonly history: SeriesReader;
  readonly cluster: string;
  readonly namespace: string;
  readonly nowMs: number;
  readonly settings: AnalysisSettings;
  readonly signal?: AbortSignal;
}

const NO_VALUES = new Float64Array(0);

/** The values column of a series' answer. */
type Pick = (s: SeriesColumns) => Float64Array;

const mean: Pick = (s) => s.fields.mean ?? NO_VALUES;
const max: Pick = (s) => s.fields.max ?? NO_VALUES;
// CPU: the hour's p95 (the first quantile asked); memory: the hour's peak, since an OOM kill follows the peak.
const longPick: Pick = (s) => (s.series.metric === METRIC.cpuMillicores ? (s.quantiles[0] ?? mean(s)) : max(s));

function put(target: EntitySeries, key: { entity: string; metric: string }, samples: Column): void {
  mapIn(target, key.entity).set(key.metric, samples);
}

/**
 * A query of the namespace's series (by kind and metrics) or of given series ids, answered in the columns `fields`;
 * `into` collects the result.
 */
type ReadQuery = Omit<SeriesQuery, 'selector'> & {
  fields: readonly ColumnField[];
  kind?: 'container' | 'pvc';
  metrics?: string[];
  into?: EntitySeries;
};

/** Asks one query; its answer is put into maps by {@link putInto}. Async, so that a refusal is a rejection. */
async function ask(o: ReadOpts, q: ReadQuery): Promise<ColumnQueryResult> {
  o.signal?.throwIfAborted();
  const { kind, metrics, into: _into, ...query } = q;
  const selector = kind === undefined ? {} : { selector: { cluster: o.cluster, kind, entityPrefix: `${o.namespace}/`, ...(metrics === undefined ? {} : { metrics }) } };
  return o.history.queryColumns({ ...query, ...selector });
}

/** The container metrics the pass reads. */
const CONTAINER_METRICS = [METRIC.cpuMillicores, METRIC.memoryWorkingSetBytes, METRIC.throttleRatio];

/**
 * The namespace's container series, found once for the pass's five container queries, which then ask by ids: a find
 * per query searched the series index for the same namespace five times (some 50,000 finds a pass at the scale
 * envelope). Ids ascend, as a find by selector answers them, so the answers come in the same order. The find names the
 * metrics read: a reader over Prometheus (`krm report`) queries what a find names, and reads no other metric for it.
 */
async function containerIds(o: ReadOpts): Promise<(metrics: readonly string[]) => number[]> {
  const all = await o.history.findSeries({ cluster: o.cluster, kind: 'container', entityPrefix: `${o.namespace}/`, metrics: CONTAINER_METRICS });
  return (metrics) => all.filter((s) => metrics.includes(s.metric)).map((s) => s.id);
}

/** Each of `picks` makes its own column of every series of an answer, in its own map; `ids` collects the series ids. */
function putInto(res: ColumnQueryResult, picks: ReadonlyArray<readonly [EntitySeries, Pick]>, ids?: Map<string, number>): void {
  for (const s of res.series) {
    ids?.set(`${s.series.entity}|${s.series.metric}`, s.series.id);
    for (const [into, pick] of picks) put(into, s.series, { timestampsMs: s.timestampsMs, values: pick(s) });
  }
}

async function read(o: ReadOpts, q: ReadQuery, pick: Pick): Promise<EntitySeries> {
  const into = q.into ?? new Map<string, Map<string, Column>>();
  putInto(await ask(o, q), [[into, pick]]);
  return into;
}

/**
 * Series too young for hourly points to show their history (rightsizing counts points: it needs 100) are read
 * again in 5-minute means over the few days they exist, so that a container of half a day gets a recommendation.
 * Only young series are, so the read stays bounded; and each over no more than its age rounded up to a power of two
 * hours (one query per such window), since a query's cost is its steps times its series, data or not.
 */
async function refineYoung(o: ReadOpts, long: EntitySeries, ids: ReadonlyMap<string, number>): Promise<void> {
  const byWindow = new Map<number, number[]>();
  for (const [entity, byMetric] of long) {
    for (const [metric, column] of byMetric) {
      const id = ids.get(`${entity}|${metric}`);
      if (id === undefined || column.values.length >= YOUNG_POINTS) continue;
      const windowMs = youngWindowMs(o.nowMs, column);
      const group = byWindow.get(windowMs);
      if (group === undefined) byWindow.set(windowMs, [id]);
      else group.push(id);
    }
  }
  for (const [windowMs, young] of byWindow) {
    await read(o, { seriesIds: young, fields: ['mean'], fromMs: o.nowMs - windowMs, toMs: o.nowMs + 1, stepMs: FIVE_MIN_MS, tier: '5m', into: long }, mean);
  }
}

/** The window a young series is read again over: its age (from its first hourly point) rounded up, at most 100 h. */
function youngWindowMs(nowMs: number, column: Column): number {
  const longest = YOUNG_POINTS * HOUR_MS;
  const first = column.timestampsMs[0];
  if (first === undefined) return longest;
  const ageHours = Math.max(1, Math.ceil((nowMs + 1 - first) / HOUR_MS));
  return Math.min(longest, 2 ** Math.ceil(Math.log2(ageHours)) * HOUR_MS);
}

/** The hourly window of the rightsizing reads. */
function longWindow(o: ReadOpts) {
  return { fromMs: o.nowMs - o.settings.rightsizingWindowMs, toMs: o.nowMs + 1, stepMs: HOUR_MS, tier: '1h' as const };
}

/**
 * Reads every window one namespace's analyses need, in six queries (seven with young series). They are all asked at
 * once (a store with a read worker reads them while the pass judges the namespace before) and their answers put
 * into the maps in one fixed order, so that the maps are the same whichever answer comes first.
 */
export async function readNamespace(o: ReadOpts): Promise<NamespaceHistory> {
  const { nowMs, settings } = o;
  const toMs = nowMs + 1;
  const memory = [METRIC.memoryWorkingSetBytes];
  // Tiers are forced to the step: the automatic choice falls back to daily rollups when a window starts before the
  // series do (a young container), and these windows are within the 1 h and 5 min tiers' retention.
  // The ids of the series read, keyed by entity and metric, for the young series' second read.
  const ids = new Map<string, number>();
  const window = longWindow(o);
  const idsOf = await containerIds(o);
  const recentQuery = { fields: ['max'] as const, fromMs: nowMs - settings.recentWindowMs, toMs, stepMs: 1000, tier: 'raw' as const };
  const asked = [
    // CPU asks only the hour's p95 (no field: the sums behind a mean are not decoded); memory only its maximum, so
    // its sketches are not decoded.
    ask(o, { ...window, fields: [], seriesIds: idsOf([METRIC.cpuMillicores]), quantiles: [0.95] }),
    ask(o, { ...window, fields: ['max'], seriesIds: idsOf(memory) }),
    ask(o, { fields: ['mean', 'max'], seriesIds: idsOf(memory), fromMs: nowMs - settings.leakWindowMs, toMs, stepMs: FIVE_MIN_MS, tier: '5m' }),
    ask(o, { ...recentQuery, seriesIds: idsOf([METRIC.memoryWorkingSetBytes, METRIC.cpuMillicores]) }),
    // Throttling must be shown to hold over the whole recent window, which takes the ratio in force at its start: one
    // sample from before it (a source that reads a node once per turn gives one ratio every 20 minutes at 5,000 nodes).
    ask(o, { ...recentQuery, seriesIds: idsOf([METRIC.throttleRatio]), fromMs: recentQuery.fromMs - THROTTLE_LOOKBACK_MS }),
    ask(o, { kind: 'pvc', fields: ['mean'], metrics: [METRIC.usedBytes, METRIC.capacityBytes], fromMs: nowMs - 7 * 24 * HOUR_MS, toMs, stepMs: FIVE_MIN_MS, tier: '5m' }),
  ] as const;
  // Waited for in order below; until then a failure must not count as unhandled.
  for (const p of asked) p.catch(() => undefined);
  const [cpuLong, memLong, leakRes, recentRes, throttleRes, pvcRes] = asked;
  const long: EntitySeries = new Map();
  putInto(await cpuLong, [[long, longPick]], ids);
  putInto(await memLong, [[long, longPick]], ids);
  await refineYoung(o, long, ids);
  const leak: EntitySeries = new Map();
  const leakPeaks: EntitySeries = new Map();
  putInto(await leakRes, [
    [leak, mean],
    [leakPeaks, max],
  ]);
  const recent: EntitySeries = new Map();
  putInto(await recentRes, [[recent, max]]);
  putInto(await throttleRes, [[recent, max]]);
  const pvc: EntitySeries = new Map();
  putInto(await pvcRes, [[pvc, mean]]);
  return { long, leak, leakPeaks, recent, pvc };
}

/** How far before the recent window the throttling ratio in force at its start is looked for. */
const THROTTLE_LOOKBACK_MS = HOUR_MS;

const NO_COLUMN: Column = { timestampsMs: NO_VALUES, values: NO_VALUES };

/** The column of one entity's metric, or an empty one. */
export function columnOf(series: EntitySeries, entity: string, metric: string): Column {
  return series.get(entity)?.get(metric) ?? NO_COLUMN;
}

/** The samples of one entity's metric, or none. */
export function samplesOf(series: EntitySeries, entity: string, metric: string): Sample[] {
  return columnSamples(columnOf(series, entity, metric));
}
