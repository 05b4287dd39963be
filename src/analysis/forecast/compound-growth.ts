// SPDX-License-Identifier: Apache-2.0
// Long-range capacity forecast by compound growth (REQUIREMENTS §3.8): projected = u × (1 + g)^h with targets 80 %
// (CPU), 85 % (memory) and 90 % (storage). g is the monthly growth from a log-linear least-squares fit of the daily
// utilisation over the last 90 days (at least 14), unless the user gives one. A month is 30 days.
import { DAY_MS } from '../../domain/time.ts';

export type CapacityResource = 'cpu' | 'memory' | 'storage';

export const TARGETS: Readonly<Record<CapacityResource, number>> = { cpu: 80, memory: 85, storage: 90 };

export const ADVICE = 'Allow extra headroom for peak periods. Plan expansion in phases. Monitor actual growth and adjust the forecast.';

export interface GrowthInput {
  /** Current utilisation per resource in percent (mean of daily p95). */
  readonly utilisation: Partial<Record<CapacityResource, number>>;
  /** Monthly growth rate (0.05 = 5 %). */
  readonly growthPerMonth: number;
  readonly horizonMonths?: number;
  /** Current capacity per resource (cores, GiB) for the extra absolute capacity. */
  readonly capacity?: Partial<Record<CapacityResource, number>>;
  /** Price per unit-hour (core-hour, GiB-hour) for the cost of the extra capacity over `periodHours`. */
  readonly pricePerUnitHour?: Partial<Record<CapacityResource, number>>;
  readonly periodHours?: number;
}

export interface GrowthResult {
  readonly resource: CapacityResource;
  readonly utilisation: number;
  readonly projected: number;
  readonly target: number;
  /** max(0, projected − target), percentage points. */
  readonly additionalPoints: number;
  /** C × (projected − target) ÷ target, when the capacity is known. */
  readonly extraCapacity?: number;
  /** ln(T ÷ u) ÷ ln(1 + g) when g > 0 and u < T. */
  readonly monthsToTarget?: number;
  readonly extraCost?: number;
}

function one(resource: CapacityResource, u: number, input: GrowthInput): GrowthResult {
  const g = input.growthPerMonth;
  const target = TARGETS[resource];
  const projected = u * (1 + g) ** (input.horizonMonths ?? 6);
  const c = input.capacity?.[resource];
  const extraCapacity = c === undefined ? undefined : Math.max(0, (c * (projected - target)) / target);
  return {
    resource,
    utilisation: u,
    projected,
    target,
    additionalPoints: Math.max(0, projected - target),
    extraCapacity,
    monthsToTarget: monthsTo(u, target, g),
    extraCost: costOf(extraCapacity, input.pricePerUnitHour?.[resource], input.periodHours),
  };
}

function monthsTo(u: number, target: number, g: number): number | undefined {
  return g > 0 && u < target && u > 0 ? Math.log(target / u) / Math.log(1 + g) : undefined;
}

function costOf(extra: number | undefined, price: number | undefined, hours = 730): number | undefined {
  return extra === undefined || price === undefined ? undefined : extra * price * hours;
}

/** The projection for every resource given. */
export function compoundGrowth(input: GrowthInput): GrowthResult[] {
  return (['cpu', 'memory', 'storage'] as const).flatMap((r) => {
    const u = input.utilisation[r];
    return u === undefined ? [] : [one(r, u, input)];
  });
}

/**
 * Monthly growth from daily values (`tsMs`, utilisation) by a least-squares line through ln(value) over the last 90
 * days: g = e^(30·slope per day) − 1. Undefined below 14 days of span or with a non-positive value.
 */
export function growthRate(daily: readonly { tsMs: number; value: number }[], nowMs: number): number | undefined {
  const w = daily.filter((d) => d.tsMs > nowMs - 90 * DAY_MS && d.tsMs <= nowMs && Number.isFinite(d.value));
  if (w.length < 2 || w.some((d) => d.value <= 0)) return undefined;
  const first = w[0] as { tsMs: number };
  const last = w[w.length - 1] as { tsMs: number };
  if (last.tsMs - first.tsMs < 14 * DAY_MS) return undefined;
  const xs = w.map((d) => (d.tsMs - first.tsMs) / DAY_MS);
  const ys = w.map((d) => Math.log(d.value));
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = ys.reduce((a, b) => a + b, 0) / ys.length;
  let sxy = 0;
  let sxx = 0;
  xs.forEach((x, i) => {
    sxy += (x - mx) * ((ys[i] as number) - my);
    sxx += (x - mx) ** 2;
  });
  return Math.exp(30 * (sxy / sxx)) - 1;
}
