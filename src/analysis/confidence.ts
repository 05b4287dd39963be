// SPDX-License-Identifier: Apache-2.0
// Data sufficiency shared by every analysis (REQUIREMENTS §3.0): how much history a result stands on decides how
// sure we say we are, the same way everywhere.
import { DAY_MS } from '../domain/time.ts';

export type Confidence = 'low' | 'medium' | 'high';

/** `low` below 24 h of data or 50 % coverage; `high` from 7 days and 90 % coverage; `medium` otherwise. */
export function confidenceOf(spanMs: number, coverage: number): Confidence {
  if (spanMs < DAY_MS || coverage < 0.5) return 'low';
  if (spanMs >= 7 * DAY_MS && coverage >= 0.9) return 'high';
  return 'medium';
}

/** Share of the expected samples present: `points` over the span at one sample per `stepMs` (0–1). */
export function coverageOf(points: number, spanMs: number, stepMs: number): number {
  if (points <= 0) return 0;
  const expected = Math.floor(spanMs / stepMs) + 1;
  return Math.min(1, points / expected);
}
