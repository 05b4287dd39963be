// SPDX-License-Identifier: Apache-2.0
// The hindsight bound of the replay: the least idle CPU that any recommender holding one CPU request per trace
// could reach at a given CPU under-provisioning fraction, if it knew every sample the replay scores in advance.
// It answers "is this target reachable at all by a request that does not follow the time of day?".
//
// Per trace, a request r costs idle(r) = Σ max(0, r − u) × step over the scored samples and leaves over(r) samples
// above it. Minimising Σ idle subject to Σ over ≤ f × N is bounded below by the Lagrangian dual
//   g(λ) = Σ_traces min_r [idle(r) + λ × over(r)] − λ × f × N   (weak duality: g(λ) ≤ the optimum for every λ ≥ 0),
// and the best r of each trace is one of its sample values (idle is piecewise linear, over a step function). The
// bound ignores rounding and floors, which only add idle, so it is optimistic for every real strategy.
import type { Resources } from '../rightsizing/types.ts';
import { recommendAt, segmentsOf } from './evaluate.ts';
import type { UsageTrace } from './types.ts';
import { HOUR_MS } from '../../domain/time.ts';

/** The CPU samples the replay scores on one trace (a sample scored by two segments counts twice), ascending. */
export interface ScoredCpu {
  readonly values: Float64Array;
  /** Grid step in hours: the idle core-hours of one sample per millicore ÷ 1000. */
  readonly hours: number;
}

export interface HindsightBound {
  /** Lower bound on idle CPU core-hours at an under-provisioning fraction of at most `fraction`. */
  readonly idleCpuCoreHours: number;
  readonly fraction: number;
  readonly samples: number;
}

type Eligible = (trace: UsageTrace, to: number) => Resources | undefined;

/**
 * The samples each eligible segment scores. Eligibility (100 points and 3 h of history) is the same for every
 * strategy, so one strategy's recommendation decides it, as in `replayTrace`.
 */
export function scoredCpu(trace: UsageTrace, eligible: Eligible = (t, to) => recommendAt(t, to, 'krm')): ScoredCpu {
  const values: number[] = [];
  let hours = 0;
  for (const seg of segmentsOf(trace, { strategies: ['krm'] })) {
    if (eligible(trace, seg.from) === undefined) continue;
    hours = seg.stepMs / HOUR_MS;
    for (let i = seg.from; i < seg.to; i++) {
      const u = trace.cpu[i] as number;
      if (Number.isFinite(u)) values.push(u);
    }
  }
  return { values: Float64Array.from(values).sort(), hours };
}

/** min_r [idle(r) + λ × over(r)] of one trace, with the idle and the count above of the minimising request. */
export function bestRequest(g: ScoredCpu, lambda: number): { cost: number; idle: number; over: number } {
  const n = g.values.length;
  // A request below every sample: no idle, every sample above it.
  let best = { cost: lambda * n, idle: 0, over: n };
  let prefix = 0;
  for (let k = 0; k < n; k++) {
    const r = g.values[k] as number;
    prefix += r;
    // Samples after k that equal r are counted as above here; the last of a run of ties gets them right and wins.
    const idle = (((k + 1) * r - prefix) / 1000) * g.hours;
    const over = n - 1 - k;
    const cost = idle + lambda * over;
    if (cost < best.cost) best = { cost, idle, over };
  }
  return best;
}

function dual(groups: readonly ScoredCpu[], lambda: number, allowed: number): { value: number; over: number } {
  let value = 0;
  let over = 0;
  for (const g of groups) {
    const b = bestRequest(g, lambda);
    value += b.cost;
    over += b.over;
  }
  return { value: value - lambda * allowed, over };
}

/** The hindsight lower bound on idle CPU at an under-provisioning fraction `fraction` (see the file comment). */
export function hindsightBound(groups: readonly ScoredCpu[], fraction: number): HindsightBound {
  const samples = groups.reduce((n, g) => n + g.values.length, 0);
  const allowed = fraction * samples;
  // λ is core-hours per sample above the request; the bracket grows until a λ leaves at most `allowed` above.
  let lo = 0;
  let hi = 1;
  while (dual(groups, hi, allowed).over > allowed && hi < 1e9) hi *= 2;
  for (let i = 0; i < 50; i++) {
    const mid = (lo + hi) / 2;
    if (dual(groups, mid, allowed).over > allowed) lo = mid;
    else hi = mid;
  }
  const value = Math.max(dual(groups, lo, allowed).value, dual(groups, hi, allowed).value);
  return { idleCpuCoreHours: Math.max(0, value), fraction, samples };
}
