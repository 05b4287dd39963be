// SPDX-License-Identifier: Apache-2.0
// Enough of the cron syntax for CronJob schedules in scenarios: minute and hour fields with "*", "*/n", "n",
// "a-b" and lists; day-of-month, month and day-of-week must be "*". Times are UTC, as a CronJob without
// spec.timeZone uses the controller manager's zone (UTC on every managed control plane).
import { MINUTE_MS, HOUR_MS } from '../../../domain/time.ts';

export interface CronSchedule {
  minutes: readonly boolean[];
  hours: readonly boolean[];
}

function isRange(lo: number, hi: number, max: number): boolean {
  return Number.isInteger(lo) && Number.isInteger(hi) && lo >= 0 && hi < max;
}

/** One comma-separated part: "*", "n", "a-b", each optionally "/step". */
function parsePart(part: string, max: number): { lo: number; hi: number; step: number } {
  const [range = '*', stepText] = part.split('/');
  const step = stepText === undefined ? 1 : Number(stepText);
  const bounds = range === '*' ? [0, max - 1] : range.split('-').map(Number);
  const lo = bounds[0] ?? Number.NaN;
  const hi = bounds[1] ?? (stepText === undefined ? lo : max - 1);
  if (!isRange(lo, hi, max) || !Number.isInteger(step) || step < 1) throw new Error(`invalid cron field part "${part}"`);
  return { lo, hi, step };
}

function parseField(field: string, max: number): boolean[] {
  const set = new Array<boolean>(max).fill(false);
  for (const part of field.split(',')) {
    const { lo, hi, step } = parsePart(part, max);
    for (let v = lo; v <= hi; v += step) set[v] = true;
  }
  return set;
}

/** Parses "m h * * *"; throws on anything it does not support. */
export function parseCron(expr: string): CronSchedule {
  const fields = expr.trim().split(/\s+/);
  if (fields.length !== 5 || fields.slice(2).some((f) => f !== '*')) {
    throw new Error(`unsupported cron schedule "${expr}": use "minute hour * * *"`);
  }
  return { minutes: parseField(fields[0] as string, 60), hours: parseField(fields[1] as string, 24) };
}

function matches(s: CronSchedule, ms: number): boolean {
  const d = new Date(ms);
  return s.minutes[d.getUTCMinutes()] === true && s.hours[d.getUTCHours()] === true;
}

/** The last `count` scheduled times at or before `atMs`, newest first. */
export function previousRuns(s: CronSchedule, atMs: number, count: number): number[] {
  const out: number[] = [];
  let t = Math.floor(atMs / MINUTE_MS) * MINUTE_MS;
  const limit = t - 400 * 24 * HOUR_MS;
  while (out.length < count && t > limit) {
    if (!s.hours[new Date(t).getUTCHours()]) {
      t = Math.floor(t / HOUR_MS) * HOUR_MS - MINUTE_MS;
      continue;
    }
    if (matches(s, t)) out.push(t);
    t -= MINUTE_MS;
  }
  return out;
}

/** The first scheduled time strictly after `afterMs`. */
export function nextRun(s: CronSchedule, afterMs: number): number {
  let t = (Math.floor(afterMs / MINUTE_MS) + 1) * MINUTE_MS;
  for (let i = 0; i < 366 * 24 * 60; i++, t += MINUTE_MS) if (matches(s, t)) return t;
  return Number.POSITIVE_INFINITY;
}
