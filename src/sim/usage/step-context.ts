// SPDX-License-Identifier: Apache-2.0
// Everything about a step that is the same for all containers, computed once per step: the seasonal curves for
// every phase bucket (so the per-container cost of seasonality is two table reads instead of trigonometry) and
// the lattice cell and weight of each noise octave (so per-container noise is two hashes and a lerp).
import { DAILY_PHASES, WEEKLY_PHASES } from './resolve-profile.ts';
import { smoothstep } from './random.ts';
import { HOUR_MS, DAY_MS } from '../../domain/time.ts';

/** 1970-01-01 was a Thursday: hour 72 of a Monday-based week. */
const EPOCH_HOUR_OF_WEEK = 72;

/** Lattice spacing of the fast CPU noise octave, ms: about white at a one-minute scrape. */
export const FAST_NOISE_PERIOD_MS = 15_000;
/** Lattice spacing of the slow CPU noise octave (load wander), ms. */
export const SLOW_NOISE_PERIOD_MS = 600_000;
/** Lattice spacing of memory noise, ms: memory moves slowly. */
export const MEMORY_NOISE_PERIOD_MS = 300_000;

/**
 * Daily load shape at `x` days after the peak: 1 at the peak, about −0.6 in the night trough, mean 0. The second
 * harmonic flattens the night and sharpens the afternoon, as request traffic does.
 */
export function dailyShape(x: number): number {
  const a = 2 * Math.PI * x;
  return (Math.cos(a) + 0.25 * Math.cos(2 * a)) / 1.25;
}

/** A noise octave's lattice cell and smoothstep weight at the step time. */
export interface Octave {
  k: number;
  w: number;
}

function octaveAt(o: Octave, tMs: number, periodMs: number): void {
  const x = tMs / periodMs;
  o.k = Math.floor(x);
  o.w = smoothstep(x - o.k);
}

/** cos and sin of 2π·harmonic·p/n for p in [0, n): with them, a phase-shifted cosine needs no trigonometry. */
function rotations(n: number, harmonic: number): { cos: Float64Array; sin: Float64Array } {
  const cos = new Float64Array(n);
  const sin = new Float64Array(n);
  for (let p = 0; p < n; p++) {
    cos[p] = Math.cos((2 * Math.PI * harmonic * p) / n);
    sin[p] = Math.sin((2 * Math.PI * harmonic * p) / n);
  }
  return { cos, sin };
}

const DAILY_1 = rotations(DAILY_PHASES, 1);
const DAILY_2 = rotations(DAILY_PHASES, 2);
const WEEKLY_1 = rotations(WEEKLY_PHASES, 1);

/** Per-step values shared by all containers. Reused across steps: `prepare` overwrites it in place. */
export class StepContext {
  /** End of the step, epoch ms. */
  tMs = 0;
  /** Length of the step, seconds (0 when only evaluating, not integrating). */
  dtSec = 0;
  /** `daily[p]`: {@link dailyShape} now for a container whose peak is in bucket p. */
  readonly daily = new Float64Array(DAILY_PHASES);
  /** `weekly[h]`: cosine of the week now for a container whose peak is at hour h of the week. */
  readonly weekly = new Float64Array(WEEKLY_PHASES);
  readonly fast: Octave = { k: 0, w: 0 };
  readonly slow: Octave = { k: 0, w: 0 };
  readonly memory: Octave = { k: 0, w: 0 };

  /** Fills the context for a step ending at `tMs` (epoch ms) that lasted `dtSec` seconds. */
  prepare(tMs: number, dtSec: number): void {
    this.tMs = tMs;
    this.dtSec = dtSec;
    // cos(a − b) = cos a·cos b + sin a·sin b, with b the bucket's phase from the tables above.
    const a = (2 * Math.PI * (((tMs % DAY_MS) + DAY_MS) % DAY_MS)) / DAY_MS;
    const c1 = Math.cos(a);
    const s1 = Math.sin(a);
    const c2 = Math.cos(2 * a);
    const s2 = Math.sin(2 * a);
    for (let p = 0; p < DAILY_PHASES; p++) {
      const first = c1 * DAILY_1.cos[p]! + s1 * DAILY_1.sin[p]!;
      const second = c2 * DAILY_2.cos[p]! + s2 * DAILY_2.sin[p]!;
      this.daily[p] = (first + 0.25 * second) / 1.25;
    }
    const w = (2 * Math.PI * ((tMs / HOUR_MS + EPOCH_HOUR_OF_WEEK) % WEEKLY_PHASES)) / WEEKLY_PHASES;
    const cw = Math.cos(w);
    const sw = Math.sin(w);
    for (let h = 0; h < WEEKLY_PHASES; h++) this.weekly[h] = cw * WEEKLY_1.cos[h]! + sw * WEEKLY_1.sin[h]!;
    octaveAt(this.fast, tMs, FAST_NOISE_PERIOD_MS);
    octaveAt(this.slow, tMs, SLOW_NOISE_PERIOD_MS);
    octaveAt(this.memory, tMs, MEMORY_NOISE_PERIOD_MS);
  }
}
