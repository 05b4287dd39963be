// SPDX-License-Identifier: Apache-2.0
// The replay: each strategy recommends from the past of a trace and is scored on what follows, two ways:
//  - split: recommend once from the first part (default 30 %) and score on the rest;
//  - rolling origins: every `originEveryMs` (default 2 h), from the first time the history is eligible, recommend
//    from everything before the origin and score until the next origin.
// A stretch where the recommendation is "not enough data" is skipped for every strategy alike.
import { recommend } from '../rightsizing/recommend.ts';
import { medianStepMs } from '../rightsizing/stats.ts';
import type { Resources, StrategyName } from '../rightsizing/types.ts';
import type { SeriesColumn } from '../../domain/series.ts';
import { scoreSegment, type Segment } from './score.ts';
import { addScore, emptyScore, type ReplayScore, type UsageTrace } from './types.ts';
import { HOUR_MS } from '../../domain/time.ts';

/**
 * Spec assumed when a trace does not carry one: memory limit = request (Guaranteed), so that a strategy keeping the
 * limit-to-request ratio sets its limit at its request and every strategy's limit can be scored for OOM kills.
 */
const UNKNOWN_SPEC: Resources = { memRequest: 1_048_576, memLimit: 1_048_576 };

export interface ReplayOptions {
  readonly strategies: readonly StrategyName[];
  readonly splitFraction?: number;
  readonly originEveryMs?: number;
  /** Evaluate the split, the rolling origins, or both (default both). */
  readonly modes?: readonly ('split' | 'rolling')[];
}

export type ReplayResult = Record<string, ReplayScore>;

/** The first `to` points of a trace's column, as a view (rightsizing drops the absent, non-finite ones). */
function head(ts: Float64Array, values: Float64Array, to: number): SeriesColumn {
  return { timestampsMs: ts.subarray(0, to), values: values.subarray(0, to) };
}

/** The recommendation of one strategy from the samples before index `to`, or undefined when not eligible. */
export function recommendAt(trace: UsageTrace, to: number, strategy: StrategyName): Resources | undefined {
  const nowMs = trace.tsMs[to - 1] as number;
  const rec = recommend({
    nowMs,
    strategy,
    pods: [{ pod: trace.name, cpu: head(trace.tsMs, trace.cpu, to), memory: head(trace.tsMs, trace.memory, to) }],
    current: trace.current ?? UNKNOWN_SPEC,
    containersInPod: trace.containersInPod,
  });
  return rec.recommended;
}

function stepOf(trace: UsageTrace): number {
  return medianStepMs(trace.tsMs.subarray(0, 500));
}

/** Index of the first sample at or after `tsMs`. */
function indexAt(trace: UsageTrace, tsMs: number): number {
  let lo = 0;
  let hi = trace.tsMs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((trace.tsMs[mid] as number) < tsMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function splitSegment(trace: UsageTrace, fraction: number, stepMs: number): Segment[] {
  const n = trace.tsMs.length;
  const first = trace.tsMs[0] as number;
  const cut = indexAt(trace, first + ((trace.tsMs[n - 1] as number) - first) * fraction);
  return cut > 0 && cut < n ? [{ from: cut, to: n, stepMs }] : [];
}

function rollingSegments(trace: UsageTrace, everyMs: number, stepMs: number): Segment[] {
  const n = trace.tsMs.length;
  const out: Segment[] = [];
  // The first origin is the first time 3 h of history exist (the sample after 3 h); rolling on from there.
  for (let t = (trace.tsMs[0] as number) + 3 * HOUR_MS + stepMs; t < (trace.tsMs[n - 1] as number); t += everyMs) {
    const from = indexAt(trace, t);
    const to = Math.min(n, indexAt(trace, t + everyMs));
    if (from > 0 && to > from) out.push({ from, to, stepMs });
  }
  return out;
}

/** The segments each evaluation mode scores; each is recommended for from the samples before it. */
export function segmentsOf(trace: UsageTrace, opts: ReplayOptions): Segment[] {
  if (trace.tsMs.length < 2) return [];
  const stepMs = stepOf(trace);
  const modes = opts.modes ?? ['split', 'rolling'];
  return [
    ...(modes.includes('split') ? splitSegment(trace, opts.splitFraction ?? 0.3, stepMs) : []),
    ...(modes.includes('rolling') ? rollingSegments(trace, opts.originEveryMs ?? 2 * HOUR_MS, stepMs) : []),
  ];
}

export function replayTrace(trace: UsageTrace, opts: ReplayOptions): ReplayResult {
  const result: ReplayResult = {};
  for (const s of opts.strategies) result[s] = emptyScore();
  for (const seg of segmentsOf(trace, opts)) {
    const recs = opts.strategies.map((s) => recommendAt(trace, seg.from, s));
    if (recs.some((r) => r === undefined)) continue;
    opts.strategies.forEach((s, i) => addScore(result[s] as ReplayScore, scoreSegment(trace, seg, recs[i] as Resources)));
  }
  return result;
}

/** Isolated exact CPU zeros between non-zero readings are collection artefacts: absent, not idle. */
export function dropIsolatedZeros(cpu: Float64Array): Float64Array {
  const out = Float64Array.from(cpu);
  for (let i = 0; i < cpu.length; i++) {
    if (cpu[i] !== 0) continue;
    const before = i === 0 ? Number.NaN : (cpu[i - 1] as number);
    const after = i === cpu.length - 1 ? Number.NaN : (cpu[i + 1] as number);
    if (before !== 0 && after !== 0) out[i] = Number.NaN;
  }
  return out;
}
