// SPDX-License-Identifier: Apache-2.0
// A SeriesReader over Prometheus for one time range: what the one-shot `krm report` analyses read instead of the
// SQLite store. It answers `findSeries` and `query` under the collector's series keys by running the backfill's
// aggregated range queries (one per metric and namespace, or one per metric for every namespace cut into time
// slices, series-reader-slices.ts; cluster-wide for nodes and PVCs; never one per container)
// on one grid at the collection step, lazily for what a selector needs, and keeping the matrices in memory. Points
// are folded locally like the store's raw tier (exact quantiles), so an analysis cannot tell the two apart; the
// workload, namespace and cluster totals are summed from the container series and cost no query.
import { lowerBound } from '../../domain/sorted.ts';
import type { SeriesReader } from '../../domain/ports.ts';
import type { ColumnQuery, ColumnQueryResult, QueriedSeries, SeriesInfo, SeriesQuery, SeriesQueryResult, SeriesSelector } from '../../domain/series.ts';
import { pointColumns, rawPoints } from '../../store/raw-points.ts';
import { namespacesWithContainers, toImported, type RangeJob } from './range-import.ts';
import type { QueryLabels } from './queries.ts';
import type { RangeQuerier } from './range-query.ts';
import { MAX_POINTS_PER_SERIES } from './range-query.ts';
import { clusterContainerJobs, clusterJobsFor, containerJobs, containerMetricsFor, namespacesFor, needsTotals } from './series-reader-plan.ts';
import { joinSlices, limiter, sliceGrid } from './series-reader-slices.ts';
import { deriveTotals, type Grid, type GridSeries, type TotalsScope, type WorkloadResolver } from './series-reader-totals.ts';

/** Points per series when a query gives no step (as the store). */
const DEFAULT_POINTS = 300;
/** Upper bound on output points per series (as the store). */
const MAX_POINTS = 20_000;

export interface PrometheusSeriesReaderOptions {
  readonly querier: RangeQuerier;
  /** The `cluster` of every series key. */
  readonly cluster: string;
  /** History range `[fromMs, toMs)`. */
  readonly fromMs: number;
  readonly toMs: number;
  /** Grid step of the range queries (the collection interval; widened so that no series exceeds Prometheus's cap). */
  readonly stepMs: number;
  /** Only these namespaces (`krm report -n`); default every namespace with containers in the range. */
  readonly namespaces?: readonly string[];
  readonly labels?: QueryLabels;
  /** Range queries in flight at once (default 4). */
  readonly concurrency?: number;
  readonly signal?: AbortSignal;
  /** Maps a pod to its workload for the workload totals; without it only namespace and cluster totals exist. */
  readonly workloadOf?: WorkloadResolver;
  /**
   * One container query per metric for every namespace rather than one per namespace (not with `namespaces`):
   * a handful of requests whatever the number of namespaces, for a read that covers them all (the one-shot report).
   */
  readonly clusterWide?: boolean;
  /**
   * Time slices the range's queries are split into (default 1; proportionally fewer for a metric read over the
   * end of the range only), run concurrently. Prometheus evaluates every series a query selects at every step of
   * its range, whether or not the series has samples there; a slice selects only the series of its own days, so
   * pods that lived for an hour (rollouts, jobs, churn) are not walked over the whole window, and one large query
   * no longer runs on one core.
   */
  readonly slices?: number;
  /** Metrics read only from this time on (ms), e.g. throttling, which the analyses judge over the last minutes. */
  readonly metricFromMs?: Readonly<Record<string, number>>;
}

/** What the reader asked Prometheus, for the benchmark and the report's summary. */
export interface SeriesReaderStats {
  /** HTTP requests: range queries plus the one label-values lookup of the namespaces. */
  readonly queries: number;
  readonly series: number;
  readonly samples: number;
}

interface Stored {
  readonly info: SeriesInfo;
  readonly data: GridSeries;
}

/** The evaluation grid: `[fromMs, toMs)` at `stepMs`, widened to stay under Prometheus's points per series. */
export function readerGrid(o: { fromMs: number; toMs: number; stepMs: number }): Grid {
  const span = Math.max(0, o.toMs - 1 - o.fromMs);
  const stepMs = Math.max(o.stepMs, Math.ceil(span / (MAX_POINTS_PER_SERIES - 1) / 1000) * 1000);
  const startMs = Math.ceil(o.fromMs / stepMs) * stepMs;
  const points = startMs < o.toMs ? Math.floor((o.toMs - 1 - startMs) / stepMs) + 1 : 0;
  return { startMs, stepMs, points };
}

/** The samples of a series inside `[fromMs, toMs)`, as views of its arrays. */
function windowOf(data: GridSeries, range: { fromMs: number; toMs: number }): { timestampsMs: Float64Array; values: Float64Array } {
  const lo = lowerBound(data.timestampsMs, range.fromMs);
  const hi = Math.max(lo, lowerBound(data.timestampsMs, range.toMs));
  return { timestampsMs: data.timestampsMs.subarray(lo, hi), values: data.values.subarray(lo, hi) };
}

/** The series without its NaN and infinite samples (a ratio of no periods), which no analysis folds. */
function finiteOnly(s: GridSeries): GridSeries {
  const { timestampsMs, values } = s;
  let kept = 0;
  for (let i = 0; i < values.length; i++) if (Number.isFinite(values[i])) kept++;
  if (kept === values.length) return s;
  const ts = new Float64Array(kept);
  const vs = new Float64Array(kept);
  for (let i = 0, k = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) continue;
    ts[k] = timestampsMs[i] as number;
    vs[k++] = values[i] as number;
  }
  return { ...s, timestampsMs: ts, values: vs };
}

function matches(s: SeriesInfo, sel: SeriesSelector): boolean {
  if (sel.cluster !== undefined && s.cluster !== sel.cluster) return false;
  if (sel.kind !== undefined && s.kind !== sel.kind) return false;
  if (sel.entity !== undefined && s.entity !== sel.entity) return false;
  if (sel.entityPrefix !== undefined && !s.entity.startsWith(sel.entityPrefix)) return false;
  return sel.metrics === undefined || sel.metrics.includes(s.metric);
}

export class PrometheusSeriesReader implements SeriesReader {
  readonly grid: Grid;
  private readonly byKey = new Map<string, Stored>();
  private readonly byId: Stored[] = [];
  private readonly jobs = new Map<string, Promise<void>>();
  private readonly totals = new Map<string, Promise<void>>();
  private namespaceList: Promise<string[]> | undefined;
  private queries = 0;
  private samples = 0;

  /** Range queries in flight at once, across jobs and slices. */
  private readonly limit: <T>(work: () => Promise<T>) => Promise<T>;

  constructor(private readonly o: PrometheusSeriesReaderOptions) {
    this.grid = readerGrid(o);
    this.limit = limiter(o.concurrency ?? 4);
  }

  stats(): SeriesReaderStats {
    return { queries: this.queries, series: this.byId.length, samples: this.samples };
  }

  async findSeries(selector: SeriesSelector): Promise<SeriesInfo[]> {
    if (selector.cluster !== undefined && selector.cluster !== this.o.cluster) return [];
    await this.load(selector);
    return this.byId.filter((s) => matches(s.info, selector)).map((s) => s.info);
  }

  async query(q: SeriesQuery): Promise<SeriesQueryResult> {
    const stored = q.seriesIds
      ? q.seriesIds.map((id) => this.byId[id]).filter((s): s is Stored => s !== undefined)
      : (await this.findSeries(q.selector ?? {})).map((info) => this.byId[info.id] as Stored);
    const stepMs = this.stepOf(q);
    const alignedFromMs = Math.floor(q.fromMs / this.grid.stepMs) * this.grid.stepMs;
    const grid = { fromMs: q.fromMs, toMs: q.toMs, alignedFromMs, stepMs, steps: Math.max(0, Math.ceil((q.toMs - alignedFromMs) / stepMs)) };
    const quantiles = q.quantiles ?? [];
    // Only the samples inside the range are folded (a binary search on the sorted timestamps, views rather than
    // copies), sparsely like the store's raw tier: the analyses ask for the last minutes at 1 s steps and for
    // hourly points of every series, and a dense grid of steps per series would dwarf the samples.
    const series: QueriedSeries[] = stored.map((s) => ({ series: s.info, points: rawPoints(grid, [windowOf(s.data, grid)], quantiles) }));
    return { tier: 'raw', stepMs, approximateQuantiles: false, quantileRelativeError: 0, series };
  }

  /** The points of {@link query}, copied into columns. */
  async queryColumns(q: ColumnQuery): Promise<ColumnQueryResult> {
    const res = await this.query(q);
    const shape = { fields: q.fields, quantiles: q.quantiles?.length ?? 0 };
    return { ...res, series: res.series.map((s) => ({ series: s.series, ...pointColumns(s.points, shape) })) };
  }

  /** The requested step rounded up to a multiple of the grid step, bounded like the store's. */
  private stepOf(q: SeriesQuery): number {
    const rangeMs = Math.max(1, q.toMs - q.fromMs);
    const asked = Math.max(q.stepMs ?? rangeMs / DEFAULT_POINTS, rangeMs / MAX_POINTS, 1);
    return Math.ceil(asked / this.grid.stepMs) * this.grid.stepMs;
  }

  private async load(selector: SeriesSelector): Promise<void> {
    const work: Promise<void>[] = [this.runJobs(clusterJobsFor(selector, this.o.labels))];
    const metrics = containerMetricsFor(selector);
    if (metrics.size > 0) {
      const namespaces = namespacesFor(selector, await this.namespaces());
      work.push(this.runJobs(this.jobsOf(namespaces, metrics)));
      if (needsTotals(selector)) work.push(this.loadTotals(selector, namespaces));
    }
    await Promise.all(work);
  }

  private async loadTotals(selector: SeriesSelector, namespaces: readonly string[]): Promise<void> {
    // Each namespace's totals once its container series are in; the cluster total once all of them are.
    const scopes: Array<{ key: string; namespaces: string[]; scope: TotalsScope }> = namespaces.map((ns) => ({ key: `ns:${ns}`, namespaces: [ns], scope: 'namespace' }));
    if (selector.kind === undefined || selector.kind === 'cluster') {
      scopes.push({ key: 'cluster', namespaces: [...(await this.namespaces())], scope: 'cluster' });
    }
    await Promise.all(scopes.map((s) => this.once(this.totals, s.key, async () => this.addTotals(s))));
  }

  private async addTotals(s: { namespaces: string[]; scope: TotalsScope }): Promise<void> {
    const metrics = containerMetricsFor({ kind: 'namespace' });
    await this.runJobs(this.jobsOf(s.namespaces, metrics));
    const prefixes = s.namespaces.map((ns) => `${ns}/`);
    const containers = this.byId.filter((x) => x.info.kind === 'container' && metrics.has(x.info.metric) && prefixes.some((p) => x.info.entity.startsWith(p)));
    const opts = { grid: this.grid, cluster: this.o.cluster, workloadOf: this.o.workloadOf, scope: s.scope };
    for (const t of deriveTotals(containers.map((x) => x.data), opts)) this.add(t);
  }

  /** The container jobs of the metrics: per namespace, or cluster-wide when configured and unrestricted. */
  private jobsOf(namespaces: readonly string[], metrics: ReadonlySet<string>): RangeJob[] {
    if (namespaces.length === 0) return [];
    if (this.o.clusterWide === true && this.o.namespaces === undefined) return clusterContainerJobs(metrics, this.o.labels);
    return containerJobs(namespaces, metrics, this.o.labels);
  }

  /** Namespaces with containers in the range (one label-values lookup), restricted to the configured ones. */
  private namespaces(): Promise<string[]> {
    this.namespaceList ??= (async () => {
      this.queries++;
      const found = await namespacesWithContainers(this.o.querier, { signal: this.signal(), startMs: this.grid.startMs, endMs: this.endMs(), labels: this.o.labels });
      const only = this.o.namespaces;
      return only === undefined ? found : found.filter((ns) => only.includes(ns));
    })();
    return this.namespaceList;
  }

  private async runJobs(jobs: readonly RangeJob[]): Promise<void> {
    if (this.grid.points === 0) return;
    await Promise.all(jobs.map((job) => this.once(this.jobs, job.name, async () => this.runJob(job))));
  }

  /** One job: its slices through the shared limit, their series joined in time order under one key each. */
  private async runJob(job: RangeJob): Promise<void> {
    const startMs = this.startOf(job.metric);
    // Slices are of the whole range's length: a metric read over its end only needs fewer (usually one). Node and
    // PVC series live as long as their objects, a handful of them: slicing would only add requests.
    const wanted = job.kind === 'container' ? (this.o.slices ?? 1) : 1;
    const count = Math.ceil((wanted * (this.endMs() - startMs + this.grid.stepMs)) / (this.endMs() - this.grid.startMs + this.grid.stepMs));
    const slices = sliceGrid({ startMs, endMs: this.endMs(), stepMs: this.grid.stepMs, slices: count });
    const parts = await Promise.all(
      slices.map((slice) =>
        this.limit(async () => {
          this.queries++;
          return this.o.querier.queryRange(job.query, { signal: this.signal(), ...slice, stepMs: this.grid.stepMs });
        }),
      ),
    );
    for (const s of toImported(job, joinSlices(parts))) this.add(s);
  }

  /** The first grid point a metric is read from: the range's, or later for a metric read over its end only. */
  private startOf(metric: string): number {
    const from = this.o.metricFromMs?.[metric];
    if (from === undefined || from <= this.grid.startMs) return this.grid.startMs;
    return this.grid.startMs + Math.ceil((from - this.grid.startMs) / this.grid.stepMs) * this.grid.stepMs;
  }

  /** Runs `work` once per key; later callers await the same promise (a failure is not cached). */
  private once(cache: Map<string, Promise<void>>, key: string, work: () => Promise<void>): Promise<void> {
    let p = cache.get(key);
    if (!p) {
      p = work().catch((err: unknown) => {
        cache.delete(key);
        throw err;
      });
      cache.set(key, p);
    }
    return p;
  }

  private add(s: GridSeries): void {
    const key = `${s.kind}\u0000${s.entity}\u0000${s.metric}`;
    if (this.byKey.has(key)) return;
    const stored: Stored = { info: { id: this.byId.length, cluster: this.o.cluster, kind: s.kind, entity: s.entity, metric: s.metric }, data: finiteOnly(s) };
    this.byKey.set(key, stored);
    this.byId.push(stored);
    this.samples += s.values.length;
  }

  private endMs(): number {
    return this.grid.startMs + Math.max(0, this.grid.points - 1) * this.grid.stepMs;
  }

  private signal(): AbortSignal {
    return this.o.signal ?? new AbortController().signal;
  }
}
