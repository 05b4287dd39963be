// SPDX-License-Identifier: Apache-2.0
// Model choices kept from one analysis pass to the next, per forecast series (a capacity scope's usage or requests).
// Choosing the Holt–Winters weights is most of a forecast's cost and the choice changes slowly, so a series is
// searched again only after a day or so; between, its kept model is fitted alone (forecast.ts, ForecastInput.reuse).
// The refits are spread over 24 to 36 hours by the series' name, so that the scopes first seen in one pass do not all
// search again in one pass a day later.
import { fnv32a } from '../../domain/hash.ts';
import type { ModelChoice } from './fit.ts';

/** Age after which a series' model is chosen again (before the per-series spread). */
export const REFIT_MS = 24 * 3_600_000;

function sameModel(a: ModelChoice, b: ModelChoice): boolean {
  const sa = a.smoothing;
  const sb = b.smoothing;
  const smoothing = sa === undefined || sb === undefined ? sa === sb : sa.alpha === sb.alpha && sa.beta === sb.beta && sa.gamma === sb.gamma && sa.phi === sb.phi;
  return smoothing && a.naivePeriod === b.naivePeriod && a.stepMs === b.stepMs && a.shape.daily === b.shape.daily && a.shape.weekly === b.shape.weekly;
}

/** A share in [0, 1) from a series name, the same in every process. */
const spreadOf = (key: string): number => fnv32a(key) / 2 ** 32;

export class ModelMemory {
  private readonly kept = new Map<string, { readonly choice: ModelChoice; readonly chosenAtMs: number }>();

  get size(): number {
    return this.kept.size;
  }

  /** The kept model of `key` if it was chosen recently enough to use at `nowMs`. */
  get(key: string, nowMs: number): ModelChoice | undefined {
    const k = this.kept.get(key);
    if (k === undefined || nowMs - k.chosenAtMs >= REFIT_MS * (1 + 0.5 * spreadOf(key)) || nowMs < k.chosenAtMs) return undefined;
    return k.choice;
  }

  /**
   * Keeps the model a forecast used. `reused` is the kept model it was given: if it fitted that model (the same
   * one comes back), the model keeps its age; a model it searched for (none given, or one that no longer applied)
   * starts a new one.
   */
  remember(key: string, used: { choice: ModelChoice | undefined; reused: ModelChoice | undefined; nowMs: number }): void {
    if (used.choice === undefined) {
      this.kept.delete(key);
      return;
    }
    if (used.reused !== undefined && sameModel(used.reused, used.choice) && this.kept.has(key)) return;
    this.kept.set(key, { choice: used.choice, chosenAtMs: used.nowMs });
  }

  /** Forgets the series not in `seen` (scopes that are gone), so the memory follows the cluster. */
  sweep(seen: ReadonlySet<string>): void {
    for (const key of this.kept.keys()) if (!seen.has(key)) this.kept.delete(key);
  }
}
