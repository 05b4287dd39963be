// SPDX-License-Identifier: Apache-2.0
// Ages as the API server's printers write them: apimachinery `duration.HumanDuration`, which keeps about two
// significant figures and switches units at fixed thresholds (2 minutes, 10 minutes, 3 hours, 8 hours, 2 days,
// 8 days, 2 years, 8 years). Clock skew of up to one second reads as "0s"; more than that as "<invalid>".
import { at, timeMs } from './fields.ts';
import { SECOND_MS, MINUTE_MS, HOUR_MS } from '../../../domain/time.ts';

const DAY_HOURS = 24;
const YEAR_DAYS = 365;

/** Text the printers use for a missing (zero) timestamp. */
export const UNKNOWN_AGE = '<unknown>';

/** `2d` or `2d3h`: the smaller unit is left out when it is zero. */
function withRemainder(major: string, minor: number, minorUnit: string): string {
  return minor === 0 ? major : `${major}${minor}${minorUnit}`;
}

function humanHours(hours: number): string {
  if (hours < 48) return `${hours}h`;
  const days = Math.floor(hours / DAY_HOURS);
  if (hours < DAY_HOURS * 8) return withRemainder(`${days}d`, hours % DAY_HOURS, 'h');
  if (hours < DAY_HOURS * YEAR_DAYS * 2) return `${days}d`;
  const years = Math.floor(days / YEAR_DAYS);
  if (hours < DAY_HOURS * YEAR_DAYS * 8) return withRemainder(`${years}y`, days % YEAR_DAYS, 'd');
  return `${years}y`;
}

/** `duration.HumanDuration` of a span in milliseconds (for example 200_000 → `3m20s`, 2 days 3 hours → `2d3h`). */
export function humanDuration(spanMs: number): string {
  // Go converts with int(d.Seconds()), which truncates toward zero: -1.9 s is still "0s".
  const seconds = Math.trunc(spanMs / SECOND_MS);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 120) return `${seconds}s`;
  const minutes = Math.floor(spanMs / MINUTE_MS);
  if (minutes < 10) return withRemainder(`${minutes}m`, seconds % 60, 's');
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.floor(spanMs / HOUR_MS);
  if (hours < 8) return withRemainder(`${hours}h`, minutes % 60, 'm');
  return humanHours(hours);
}

/** Age of an RFC 3339 timestamp at `nowMs`, or `<unknown>` when it is missing (`translateTimestampSince`). */
export function ageSince(timestamp: unknown, nowMs: number): string {
  const ms = timeMs(timestamp);
  return ms === undefined ? UNKNOWN_AGE : humanDuration(nowMs - ms);
}

/** The AGE cell of any object: the age of `metadata.creationTimestamp`. */
export function objectAge(obj: unknown, nowMs: number): string {
  return ageSince(at(obj, 'metadata', 'creationTimestamp'), nowMs);
}
