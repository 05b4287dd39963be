// SPDX-License-Identifier: Apache-2.0
// Durations as written in configuration (REQUIREMENTS §0.2): a number followed by a unit, optionally several in a
// row ("1h30m"). Units: ms, s, m (minutes, never months), h, d, w, mo (30 days), y (365 days). A bare number is
// rejected rather than guessed: "60" could mean seconds or milliseconds, and both guesses have shipped in peer tools.
import { SECOND_MS, MINUTE_MS, HOUR_MS, DAY_MS } from '../domain/time.ts';

/** Milliseconds per duration unit. `mo` is 30 days and `y` 365 days, by definition rather than by calendar. */
export const DURATION_UNITS_MS = {
  ms: 1,
  s: SECOND_MS,
  m: MINUTE_MS,
  h: HOUR_MS,
  d: DAY_MS,
  w: 7 * DAY_MS,
  mo: 30 * DAY_MS,
  y: 365 * DAY_MS,
} as const;

/** A duration unit accepted in configuration. */
export type DurationUnit = keyof typeof DURATION_UNITS_MS;

/** Outcome of {@link parseDuration}: milliseconds, or the reason the text is not a duration. */
export type DurationResult = { ok: true; ms: number } | { ok: false; reason: string };

// `mo` and `ms` come before `m` so that "2mo" is two months' worth of days and not "2m" followed by junk.
const PART = /(\d+(?:\.\d+)?)(mo|ms|s|m|h|d|w|y)/y;
const UNIT_LIST = 'ms, s, m, h, d, w, mo, y';

/**
 * Parses a configuration duration such as `"30s"`, `"5m"`, `"14d"`, `"6mo"` or `"1h30m"` into milliseconds
 * (rounded to a whole millisecond). Never throws.
 */
export function parseDuration(text: string): DurationResult {
  const s = text.trim();
  if (s === '') return { ok: false, reason: 'expected a duration such as "60s"' };
  if (/^\d+(\.\d+)?$/.test(s)) {
    return { ok: false, reason: `a bare number has no unit; write for example "${s}s" (units: ${UNIT_LIST})` };
  }
  let total = 0;
  PART.lastIndex = 0;
  while (PART.lastIndex < s.length) {
    const at = PART.lastIndex;
    const m = PART.exec(s);
    if (!m) return { ok: false, reason: `not a duration at "${s.slice(at)}" (units: ${UNIT_LIST})` };
    total += Number(m[1]) * DURATION_UNITS_MS[m[2] as DurationUnit];
  }
  if (!Number.isSafeInteger(Math.round(total))) return { ok: false, reason: 'duration is too large' };
  return { ok: true, ms: Math.round(total) };
}

// Formatting uses the largest unit that divides the value exactly; `w` is left out so that 14 days prints as
// "14d", the way the requirements write it.
const FORMAT_UNITS: readonly DurationUnit[] = ['y', 'mo', 'd', 'h', 'm', 's', 'ms'];

/**
 * Formats milliseconds as a configuration duration that {@link parseDuration} reads back to the same value:
 * 60000 → `"1m"`, 1209600000 → `"14d"`, 90000 → `"90s"`, 1500 → `"1500ms"`.
 */
export function formatDurationMs(ms: number): string {
  if (ms === 0) return '0s';
  for (const unit of FORMAT_UNITS) {
    const size = DURATION_UNITS_MS[unit];
    if (ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
