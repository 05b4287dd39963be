// SPDX-License-Identifier: Apache-2.0
// Wall-clock time is injected everywhere (HOUSE-STYLE §6): components take a Clock instead of calling Date.now(),
// so tests drive time with ManualClock. Structurally the same as `Clock` in domain/ports.ts (runtime is a leaf).

/** Injected wall clock. */
export interface Clock {
  /** Current time in Unix epoch milliseconds. */
  now(): number;
}

/** The real clock. */
export const systemClock: Clock = { now: () => Date.now() };
