// SPDX-License-Identifier: Apache-2.0
// Timestamp formats found in container logs. All are UTC, as on a typical node.

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

interface Parts {
  year: number;
  month: number;
  day: number;
  hh: string;
  mm: string;
  ss: string;
  millis: string;
}

function parts(ms: number): Parts {
  const d = new Date(ms);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth(),
    day: d.getUTCDate(),
    hh: pad(d.getUTCHours()),
    mm: pad(d.getUTCMinutes()),
    ss: pad(d.getUTCSeconds()),
    millis: pad(d.getUTCMilliseconds(), 3),
  };
}

/**
 * Go's time.RFC3339Nano, as the kubelet prefixes lines with `timestamps=true`: nanoseconds with trailing zeros
 * removed, and no fraction at all when it is zero (`2026-06-26T10:14:14.1234Z`, `2026-06-26T10:14:14Z`).
 * `nanosInMs` is the sub-millisecond part, 0..999_999.
 */
export function rfc3339Nano(ms: number, nanosInMs = 0): string {
  const p = parts(ms);
  const nanos = Number(p.millis) * 1_000_000 + nanosInMs;
  const fraction = nanos === 0 ? '' : `.${pad(nanos, 9).replace(/0+$/, '')}`;
  return `${p.year}-${pad(p.month + 1)}-${pad(p.day)}T${p.hh}:${p.mm}:${p.ss}${fraction}Z`;
}

/** `2026-06-26T10:14:14.123Z` (JavaScript's toISOString, logback's ISO8601 in UTC). */
export function isoMillis(ms: number): string {
  return new Date(ms).toISOString();
}

/** `2026-06-26T10:14:14Z`, second precision (logrus text format). */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `2026-06-26 10:14:14,123` (Python logging's default asctime). */
export function pythonTime(ms: number): string {
  const p = parts(ms);
  return `${p.year}-${pad(p.month + 1)}-${pad(p.day)} ${p.hh}:${p.mm}:${p.ss},${p.millis}`;
}

/** `2026-06-26 10:14:14.123 UTC` (PostgreSQL's log_line_prefix `%m`). */
export function postgresTime(ms: number): string {
  const p = parts(ms);
  return `${p.year}-${pad(p.month + 1)}-${pad(p.day)} ${p.hh}:${p.mm}:${p.ss}.${p.millis} UTC`;
}

/** `2026/06/26 10:14:14` (nginx error log, Go's standard log package). */
export function slashTime(ms: number): string {
  const p = parts(ms);
  return `${p.year}/${pad(p.month + 1)}/${pad(p.day)} ${p.hh}:${p.mm}:${p.ss}`;
}

/** `26/Jun/2026:10:14:14 +0000` (nginx access log `$time_local`). */
export function accessLogTime(ms: number): string {
  const p = parts(ms);
  return `${pad(p.day)}/${MONTHS[p.month] ?? ''}/${p.year}:${p.hh}:${p.mm}:${p.ss} +0000`;
}

/** `26 Jun 2026 10:14:14.123` (Redis server log). */
export function redisTime(ms: number): string {
  const p = parts(ms);
  return `${pad(p.day)} ${MONTHS[p.month] ?? ''} ${p.year} ${p.hh}:${p.mm}:${p.ss}.${p.millis}`;
}
