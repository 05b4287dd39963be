// SPDX-License-Identifier: Apache-2.0
// PVC fill (REQUIREMENTS §3.9, issue 5 item 8): ratio = used ÷ capacity per claim, with its growth trend in GiB/day
// and days to full. The trend is a Theil–Sen slope over the last 6 h (robust to the one-off jumps of compactions
// and log rotations that throw a least-squares line); days to full divides the free bytes by it. Rules, most
// severe first: free < 3 % critical (1 min); free < 15 % and full within 4 days on the 6 h trend high (1 h);
// ratio > 0.8 medium (5 min); ratio < 0.3 throughout 7 days info. Between 0.3 and 0.8 nothing is said.
import type { Sample } from '../../domain/series.ts';
import type { Severity } from '../severity.ts';
import { theilSenSlope } from '../stats/trend.ts';
import { HOUR_MS, DAY_MS } from '../../domain/time.ts';

const MIN_MS = 60_000;
const GIB = 2 ** 30;

export interface PvcFillInput {
  readonly nowMs: number;
  /** Bytes used, ascending. */
  readonly usedBytes: readonly Sample[];
  /** Capacity in bytes (the volume's, else the claim's status capacity). */
  readonly capacityBytes: number;
  /** Inodes used and total, for the inode variant of the high-usage rule. */
  readonly inodesUsed?: number;
  readonly inodesTotal?: number;
}

export type PvcRule = 'nearly-full' | 'filling-up' | 'high-usage' | 'low-usage' | 'inodes-high';

export interface PvcFinding {
  readonly rule: PvcRule;
  readonly severity: Severity;
  readonly text: string;
}

export interface PvcFill {
  readonly status: 'ok' | 'insufficient_data';
  readonly ratio?: number;
  readonly usedBytes?: number;
  /** Growth over the last 6 h, GiB per day (negative when shrinking). */
  readonly growthGiBPerDay?: number;
  /** Days until full on that trend; undefined when not growing. */
  readonly daysToFull?: number;
  readonly findings: readonly PvcFinding[];
}

interface Rule {
  readonly rule: PvcRule;
  readonly severity: Severity;
  readonly sustainMs: number;
  readonly text: string;
  readonly holds: (ratio: number) => boolean;
}

const RATIO_RULES: readonly Rule[] = [
  { rule: 'nearly-full', severity: 'critical', sustainMs: MIN_MS, text: 'Volume nearly full: less than 3 % free.', holds: (r) => 1 - r < 0.03 },
  { rule: 'high-usage', severity: 'medium', sustainMs: 5 * MIN_MS, text: 'High usage: consider expanding or cleaning data.', holds: (r) => r > 0.8 },
  { rule: 'low-usage', severity: 'info', sustainMs: 7 * DAY_MS, text: 'Low usage: consider shrinking to save cost.', holds: (r) => r < 0.3 },
];

function finite(samples: readonly Sample[], nowMs: number): Sample[] {
  return samples.filter((s) => Number.isFinite(s.value) && s.tsMs <= nowMs);
}

/**
 * True when every sample of the last `sustainMs` satisfies `holds` and the samples reach back that far (a rule
 * cannot be sustained for longer than the data shows).
 */
function sustained(samples: readonly Sample[], opts: { nowMs: number; sustainMs: number; holds: (v: number) => boolean }): boolean {
  const from = opts.nowMs - opts.sustainMs;
  const first = samples[0];
  if (first === undefined || first.tsMs > from) return false;
  // The sample in force at `from` (the last one at or before it) and every later one must hold: a window shorter
  // than the sampling step holds no sample of its own and is judged by the one in force, not passed vacuously.
  let i = samples.length - 1;
  while (i > 0 && (samples[i] as Sample).tsMs > from) i--;
  return samples.slice(i).every((s) => opts.holds(s.value));
}

/** Theil–Sen slope of the last 6 h in bytes per ms; undefined below 3 points. */
export function recentSlope(samples: readonly Sample[], nowMs: number, windowMs = 6 * HOUR_MS): number | undefined {
  const recent = samples.filter((s) => s.tsMs >= nowMs - windowMs);
  if (recent.length < 3) return undefined;
  const slope = theilSenSlope({ x: recent.map((s) => s.tsMs), y: recent.map((s) => s.value) });
  return Number.isFinite(slope) ? slope : undefined;
}

function fillingUp(samples: readonly Sample[], input: PvcFillInput, daysToFull: number | undefined): boolean {
  if (daysToFull === undefined || daysToFull > 4) return false;
  return sustained(samples, { nowMs: input.nowMs, sustainMs: HOUR_MS, holds: (v) => 1 - v / input.capacityBytes < 0.15 });
}

/** Judges one claim's fill. */
export function assessPvcFill(input: PvcFillInput): PvcFill {
  const samples = finite(input.usedBytes, input.nowMs);
  const last = samples[samples.length - 1];
  if (last === undefined || !(input.capacityBytes > 0)) return { status: 'insufficient_data', findings: [] };
  const ratio = last.value / input.capacityBytes;
  const slope = recentSlope(samples, input.nowMs);
  const free = Math.max(0, input.capacityBytes - last.value);
  const daysToFull = slope !== undefined && slope > 0 ? free / slope / DAY_MS : undefined;
  return {
    status: 'ok',
    ratio,
    usedBytes: last.value,
    growthGiBPerDay: slope === undefined ? undefined : (slope * DAY_MS) / GIB,
    daysToFull,
    findings: findingsOf(samples, input, daysToFull),
  };
}

function findingsOf(samples: readonly Sample[], input: PvcFillInput, daysToFull: number | undefined): PvcFinding[] {
  const findings: PvcFinding[] = [];
  const asRatio = samples.map((s) => ({ tsMs: s.tsMs, value: s.value / input.capacityBytes }));
  for (const r of RATIO_RULES) {
    if (sustained(asRatio, { nowMs: input.nowMs, sustainMs: r.sustainMs, holds: r.holds })) findings.push({ rule: r.rule, severity: r.severity, text: r.text });
  }
  if (fillingUp(samples, input, daysToFull)) {
    findings.push({ rule: 'filling-up', severity: 'high', text: `Filling up: full in ${(daysToFull as number).toFixed(1)} days at the 6-hour trend.` });
  }
  if ((input.inodesUsed ?? 0) / (input.inodesTotal ?? Infinity) > 0.9) {
    findings.push({ rule: 'inodes-high', severity: 'medium', text: 'More than 90 % of the inodes are used.' });
  }
  // The critical rule implies the high-usage one; report the one that says most.
  const hasCritical = findings.some((f) => f.rule === 'nearly-full');
  return hasCritical ? findings.filter((f) => f.rule !== 'high-usage') : findings;
}
