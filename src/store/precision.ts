// SPDX-License-Identifier: Apache-2.0
// How precisely each metric is stored. Values are kept as integers in units of 10^-decimals (a scaled-integer
// column compresses far better than float bits); `null` keeps the exact float64 value. The unit suffix of the
// metric name decides the default, so a new metric named after the house convention gets a sensible precision.

/** Decimal places kept per metric, or null for exact float64. */
export type DecimalsPolicy = (metric: string) => number | null;

/** Defaults by unit suffix: millicores to 0.001 m, bytes to 1 B, ratios to 1e-6, rates to 0.1/s. */
const SUFFIX_DECIMALS: ReadonlyArray<readonly [string, number]> = [
  ['_m', 3],
  ['_b', 0],
  ['_bytes', 0],
  ['_ratio', 6],
  ['_bps', 1],
  ['_count', 0],
];

const NAME_DECIMALS: Readonly<Record<string, number>> = { restarts: 0, inodes_used: 0 };

/** The default policy; metrics without a known unit are stored exactly. */
export function defaultDecimals(metric: string): number | null {
  const named = NAME_DECIMALS[metric];
  if (named !== undefined) return named;
  for (const [suffix, decimals] of SUFFIX_DECIMALS) if (metric.endsWith(suffix)) return decimals;
  return null;
}

/** A policy with per-metric overrides on top of the defaults. */
export function decimalsPolicy(overrides: Readonly<Record<string, number | null>> = {}): DecimalsPolicy {
  return (metric) => (metric in overrides ? (overrides[metric] ?? null) : defaultDecimals(metric));
}

const POW10: readonly number[] = Array.from({ length: 23 }, (_, i) => 10 ** i);

/** Value in units of 10^-decimals, rounded to an integer. */
export function toScaled(v: number, decimals: number): number {
  return decimals >= 0 ? Math.round(v * (POW10[decimals] ?? 10 ** decimals)) : Math.round(v / 10 ** -decimals);
}

/** Inverse of {@link toScaled}: division by an exact power of ten gives the nearest double to the decimal. */
export function fromScaled(n: number, decimals: number): number {
  return decimals >= 0 ? n / (POW10[decimals] ?? 10 ** decimals) : n * 10 ** -decimals;
}

/** Largest magnitude of a scaled integer; beyond it a chunk falls back to exact float64 coding. */
export const MAX_SCALED = 2 ** 50;

/** Greatest common divisor of two non-negative integers below 2^53. */
export function gcd(a: number, b: number): number {
  let x = a;
  let y = b;
  while (y !== 0) {
    const t = x % y;
    x = y;
    y = t;
  }
  return x;
}
