// SPDX-License-Identifier: Apache-2.0
// OOM risk of one container (REQUIREMENTS §3.3): the 15-minute working-set peak against the memory limit, OOM kills
// of the last 24 hours, the leak verdict and, for containers without a limit, the memory pressure of their node.
// A container without a limit gets no ratio: the limit is never defaulted to anything.
import type { Sample } from '../../domain/series.ts';
import { maxSeverity, type Severity } from '../severity.ts';
import { HOUR_MS } from '../../domain/time.ts';

const MIN_MS = 60_000;
const MiB = 1024 * 1024;

export interface OomRiskInput {
  readonly nowMs: number;
  /** Working-set samples, ascending; at least the last 15 minutes. */
  readonly workingSet: readonly Sample[];
  readonly limitBytes?: number;
  /** Times of OOM kills of this container (any age; the last 24 h count). */
  readonly oomKillsMs: readonly number[];
  /** Hours until a detected leak reaches the limit, when the leak analysis found one. */
  readonly leakTimeToLimitHours?: number;
  readonly leakDetected?: boolean;
  /** Memory use of the container's node, 0–1, for containers without a limit. */
  readonly nodeMemoryRatio?: number;
}

export interface OomRisk {
  readonly severity: Severity | undefined;
  /** Peak working set over 15 minutes ÷ limit; undefined without a limit or without samples. */
  readonly memoryUsageRatio?: number;
  readonly peak15mBytes?: number;
  readonly oomKills24h: number;
  /** Estimated hours to an OOM kill, from the leak trend. */
  readonly timeToOomHours?: number;
  /** An OOM-aware limit: the larger of peak × 1.2 and peak + 100 MiB (over the longest peak known here). */
  readonly recommendedLimitBytes?: number;
  readonly reasons: readonly string[];
}

function peakSince(samples: readonly Sample[], fromMs: number): number | undefined {
  let peak: number | undefined;
  for (const s of samples) if (s.tsMs >= fromMs && Number.isFinite(s.value) && (peak === undefined || s.value > peak)) peak = s.value;
  return peak;
}

function ratioSeverity(r: number | undefined): Severity | undefined {
  if (r === undefined) return undefined;
  return r > 0.95 ? 'high' : r > 0.9 ? 'medium' : undefined;
}

function killSeverity(kills: number, leak: boolean): Severity | undefined {
  if (kills >= 2 || (kills >= 1 && leak)) return 'critical';
  return kills >= 1 ? 'high' : undefined;
}

interface Facts {
  readonly ratio?: number;
  readonly kills: number;
  readonly limit?: number;
  readonly ttl?: number;
}

type Rule = (input: OomRiskInput, f: Facts) => [Severity, string] | undefined;

const RULES: readonly Rule[] = [
  (_i, f) => {
    const s = ratioSeverity(f.ratio);
    return s && f.ratio !== undefined ? [s, `working set peaked at ${(f.ratio * 100).toFixed(0)} % of the limit in 15 minutes`] : undefined;
  },
  (i, f) => {
    const leak = i.leakDetected === true;
    const s = killSeverity(f.kills, leak);
    return s ? [s, `${f.kills} OOM kill${f.kills === 1 ? '' : 's'} in 24 h${leak ? ' with a memory leak' : ''}`] : undefined;
  },
  (_i, f) => (f.ttl !== undefined && f.ttl < 24 ? ['high', `the memory leak reaches the limit in ${f.ttl.toFixed(1)} h`] : undefined),
  (i, f) =>
    f.limit === undefined && i.nodeMemoryRatio !== undefined && i.nodeMemoryRatio > 0.85
      ? ['medium', `no memory limit on a node at ${(i.nodeMemoryRatio * 100).toFixed(0)} % memory`]
      : undefined,
];

function factsOf(input: OomRiskInput, peak15m: number | undefined): Facts {
  const limit = input.limitBytes !== undefined && input.limitBytes > 0 ? input.limitBytes : undefined;
  return {
    ...(limit === undefined ? {} : { limit }),
    ...(limit !== undefined && peak15m !== undefined ? { ratio: peak15m / limit } : {}),
    kills: input.oomKillsMs.filter((t) => t > input.nowMs - 24 * HOUR_MS && t <= input.nowMs).length,
    ...(limit === undefined || input.leakTimeToLimitHours === undefined ? {} : { ttl: input.leakTimeToLimitHours }),
  };
}

/** Scores the OOM risk of one container. */
export function assessOomRisk(input: OomRiskInput): OomRisk {
  const peak15m = peakSince(input.workingSet, input.nowMs - 15 * MIN_MS);
  const basis = peakSince(input.workingSet, input.nowMs - 24 * HOUR_MS) ?? peak15m;
  const f = factsOf(input, peak15m);
  let severity: Severity | undefined;
  const reasons: string[] = [];
  for (const rule of RULES) {
    const hit = rule(input, f);
    if (hit === undefined) continue;
    severity = maxSeverity(severity, hit[0]);
    reasons.push(hit[1]);
  }
  return {
    severity,
    ...(f.ratio === undefined ? {} : { memoryUsageRatio: f.ratio }),
    ...(peak15m === undefined ? {} : { peak15mBytes: peak15m }),
    oomKills24h: f.kills,
    ...(f.ttl === undefined ? {} : { timeToOomHours: f.ttl }),
    ...(basis === undefined ? {} : { recommendedLimitBytes: Math.max(basis * 1.2, basis + 100 * MiB) }),
    reasons,
  };
}
