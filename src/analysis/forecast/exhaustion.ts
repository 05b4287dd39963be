// SPDX-License-Identifier: Apache-2.0
// Days until exhaustion (REQUIREMENTS §3.8): when a forecast first reaches a limit — Σ requests at 90 % of
// allocatable, quota used at hard, PVC used at capacity. Two answers: the expected date (the point forecast crosses)
// and the earliest plausible one (the upper 95 % bound crosses), so an operator sees both the likely and the
// cautious date. The short-range linear check of §3.8 (`predict_linear` over 1 h, 1 h ahead) is here too.
import type { Sample } from '../../domain/series.ts';
import type { Forecast } from './forecast.ts';
import { HOUR_MS, DAY_MS } from '../../domain/time.ts';

export interface Exhaustion {
  /** Days from `nowMs` until the point forecast reaches the limit; 0 when already there; undefined: not within the horizon. */
  readonly expectedDays?: number;
  /** Same for the upper 95 % bound. */
  readonly earliestDays?: number;
  /** The horizon looked at, in days. */
  readonly horizonDays: number;
}

function firstCrossing(f: Forecast, field: 'mean' | 'upper95', at: { limit: number; nowMs: number }): number | undefined {
  const tsMs = f.points.firstAtLeast(field, at.limit);
  return tsMs === undefined ? undefined : Math.max(0, (tsMs - at.nowMs) / DAY_MS);
}

/** When the forecast reaches `limit`; `current` at or above it means now. */
export function daysUntil(f: Forecast, at: { limit: number; nowMs: number; current?: number }): Exhaustion {
  const last = f.points.at(-1);
  const horizonDays = last === undefined ? 0 : Math.max(0, (last.tsMs - at.nowMs) / DAY_MS);
  if (at.current !== undefined && at.current >= at.limit) return { expectedDays: 0, earliestDays: 0, horizonDays };
  if (f.status !== 'ok') return { horizonDays };
  return { expectedDays: firstCrossing(f, 'mean', at), earliestDays: firstCrossing(f, 'upper95', at), horizonDays };
}

/** Least-squares line over the samples in `[nowMs − windowMs, nowMs]`, evaluated `aheadMs` past `nowMs` (PromQL's predict_linear). */
export function predictLinear(samples: readonly Sample[], at: { nowMs: number; windowMs?: number; aheadMs?: number }): number | undefined {
  const from = at.nowMs - (at.windowMs ?? HOUR_MS);
  const w = samples.filter((s) => s.tsMs >= from && s.tsMs <= at.nowMs && Number.isFinite(s.value));
  if (w.length < 2) return undefined;
  const mx = w.reduce((a, s) => a + s.tsMs, 0) / w.length;
  const my = w.reduce((a, s) => a + s.value, 0) / w.length;
  let sxy = 0;
  let sxx = 0;
  for (const s of w) {
    sxy += (s.tsMs - mx) * (s.value - my);
    sxx += (s.tsMs - mx) ** 2;
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  return my + slope * (at.nowMs + (at.aheadMs ?? HOUR_MS) - mx);
}
