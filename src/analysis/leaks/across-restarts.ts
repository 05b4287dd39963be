// SPDX-License-Identifier: Apache-2.0
// A leak that a restart hides: the working-set trend of each instance is too short to test, but the instances tell
// the story together (REQUIREMENTS §3.6, "across restarts"): the peak before each restart keeps rising over 3 or more
// consecutive restarts, or OOM kills recur at a steady interval (the container grows to its limit again and again).

/** One ended instance: when it ended, the peak working set it reached, and whether it was OOM-killed. */
export interface EndedInstance {
  readonly endedAtMs: number;
  readonly peakBytes: number;
  readonly oomKilled: boolean;
}

export type RestartLeakVerdict =
  | { readonly status: 'none' }
  | { readonly status: 'rising-peaks'; readonly restarts: number; readonly peaksBytes: readonly number[] }
  | { readonly status: 'periodic-oom'; readonly kills: number; readonly meanIntervalHours: number; readonly intervalCv: number };

/** Minimum consecutive restarts with a rising peak, and the steadiness (coefficient of variation) of OOM intervals. */
export const RESTART_LEAK_DEFAULTS = Object.freeze({ minRisingRestarts: 3, maxIntervalCv: 0.25, minKills: 3 });

function risingRun(instances: readonly EndedInstance[]): number[] {
  // The longest run of strictly rising peaks that ends with the newest instance.
  const run: number[] = [];
  for (let i = instances.length - 1; i >= 0; i--) {
    const peak = (instances[i] as EndedInstance).peakBytes;
    if (run.length > 0 && !(peak < (run[0] as number))) break;
    run.unshift(peak);
  }
  return run;
}

function intervalStats(times: readonly number[]): { mean: number; cv: number } {
  const gaps: number[] = [];
  for (let i = 1; i < times.length; i++) gaps.push((times[i] as number) - (times[i - 1] as number));
  const mean = gaps.reduce((a, b) => a + b, 0) / gaps.length;
  const variance = gaps.reduce((a, b) => a + (b - mean) ** 2, 0) / gaps.length;
  return { mean, cv: mean === 0 ? Number.POSITIVE_INFINITY : Math.sqrt(variance) / mean };
}

/** Judges the ended instances of one container, oldest first. */
export function detectLeakAcrossRestarts(instances: readonly EndedInstance[], opts = RESTART_LEAK_DEFAULTS): RestartLeakVerdict {
  const valid = instances.filter((i) => Number.isFinite(i.peakBytes) && i.peakBytes > 0);
  const run = risingRun(valid);
  // n rising restarts need n + 1 peaks: the first of the run is the base the others rise from.
  if (run.length - 1 >= opts.minRisingRestarts) return { status: 'rising-peaks', restarts: run.length - 1, peaksBytes: run };
  const kills = valid.filter((i) => i.oomKilled).map((i) => i.endedAtMs);
  if (kills.length >= opts.minKills) {
    const { mean, cv } = intervalStats(kills);
    if (cv <= opts.maxIntervalCv) return { status: 'periodic-oom', kills: kills.length, meanIntervalHours: mean / 3_600_000, intervalCv: cv };
  }
  return { status: 'none' };
}
