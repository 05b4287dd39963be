// SPDX-License-Identifier: Apache-2.0
// Narrowing accessors for decoded API JSON. Objects arrive as `unknown` (we never trust the wire to match a
// generated type), and every projection reads through these, so a field of the wrong type becomes `undefined`
// instead of a crash deep inside an analysis.

/** A decoded JSON object. */
export type RawObject = Readonly<Record<string, unknown>>;

const EMPTY: RawObject = Object.freeze({});

/** `value` if it is a plain JSON object, else an empty object. */
export function obj(value: unknown): RawObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as RawObject) : EMPTY;
}

/** `value` if it is a JSON object, else undefined. */
export function objOrUndefined(value: unknown): RawObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as RawObject) : undefined;
}

/** `value` if it is an array, else an empty array. */
export function arr(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

export function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** Bounds of the intern table: entries, and the longest string worth sharing. */
const INTERN_MAX_ENTRIES = 200_000;
const INTERN_MAX_CHARS = 256;
const interned = new Map<string, string>();

/**
 * `str(value)`, sharing one copy of each distinct value. JSON.parse allocates a fresh string for every occurrence,
 * and at 150,000 pods the same namespaces, node names, images, label keys, condition types and reasons repeat
 * hundreds of thousands of times. The table is bounded; past its size new values are simply not shared.
 */
export function istr(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > INTERN_MAX_CHARS) return str(value);
  const known = interned.get(value);
  if (known !== undefined) return known;
  if (interned.size < INTERN_MAX_ENTRIES) interned.set(value, value);
  return value;
}

export function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export function bool(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

/** A string-to-string map (labels, selectors), keys and values interned; non-string values are dropped. */
export function strMap(value: unknown): Readonly<Record<string, string>> {
  const out: Record<string, string> = {};
  const o = obj(value);
  for (const k in o) {
    const v = o[k];
    if (typeof v === 'string') out[istr(k) as string] = istr(v) as string;
  }
  return out;
}

/** Strings of an array, others dropped. */
export function strList(value: unknown): readonly string[] {
  return arr(value).filter((v): v is string => typeof v === 'string');
}

/** An RFC 3339 timestamp as epoch milliseconds; undefined when absent or unparsable. */
export function timeMs(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** An IntOrString field (`maxSurge: 25%` or `maxSurge: 1`). */
export function intOrString(value: unknown): number | string | undefined {
  return typeof value === 'number' || typeof value === 'string' ? value : undefined;
}

const MAX_MESSAGE_CHARS = 1024;

/** Free-text status messages, cut to bound memory (a kubelet message can embed a whole stack trace). */
export function message(value: unknown): string | undefined {
  const s = str(value);
  return s !== undefined && s.length > MAX_MESSAGE_CHARS ? `${s.slice(0, MAX_MESSAGE_CHARS)}…` : s;
}
