// SPDX-License-Identifier: Apache-2.0
// Tolerant readers of the untyped parts of stored objects. The Go printers work on fully defaulted internal types,
// where a missing field is a zero value; these helpers give the same zero values (empty string, 0, empty list)
// for objects created through the simulator with fields left out, instead of throwing.

export type JsonRecord = Record<string, unknown>;

function isRecord(v: unknown): v is JsonRecord {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The value at `path` below `root`, or undefined when any step is missing or not an object. */
export function at(root: unknown, ...path: readonly string[]): unknown {
  let cur: unknown = root;
  for (const key of path) {
    if (!isRecord(cur)) return undefined;
    cur = cur[key];
  }
  return cur;
}

export function rec(v: unknown): JsonRecord {
  return isRecord(v) ? v : {};
}

export function recs(v: unknown): JsonRecord[] {
  return Array.isArray(v) ? v.filter(isRecord) : [];
}

export function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

export function strs(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

export function num(v: unknown, fallback = 0): number {
  return typeof v === 'number' && Number.isFinite(v) ? v : fallback;
}

/** A `map[string]string` (labels, selectors, resource lists); non-string values are dropped. */
export function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(rec(v))) {
    if (typeof val === 'string') out[k] = val;
  }
  return out;
}

/** Epoch milliseconds of an RFC 3339 timestamp; undefined for missing or unparsable values (Go's zero time). */
export function timeMs(v: unknown): number | undefined {
  if (typeof v !== 'string' || v === '') return undefined;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * An IntOrString value as Go's `intstr.String()` writes it: numbers in decimal, strings as they are
 * (for example `50%`).
 */
export function intOrString(v: unknown): string | undefined {
  if (typeof v === 'number') return String(Math.trunc(v));
  if (typeof v === 'string') return v;
  return undefined;
}
